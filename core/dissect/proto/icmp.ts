// ICMP (RFC 792; Wireshark's packet-icmp.c): type, code, checksum (verified when the whole message is
// here, as Wireshark does), echo identifiers and sequence numbers in both byte orders, the sender's
// timestamp at the start of ping data, request/reply matching, and the IP header quoted by error
// messages (dissected by ip/udp in "error packet" mode, so it does not take over the columns).

import { Base, FT, type Field, defineFields, defineProtocol } from '../../fields/registry.js';
import type { CaptureContext } from '../packet.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addExtEcho } from './ext-echo.js';
import { CHECKSUM_STATUS, CHECKSUM_UNVERIFIED, addChecksumStatus, dissectIp, dissectQuoted, inErrorPacket, lastIpTtl } from './ip.js';

export const proto_icmp = defineProtocol('icmp', 'Internet Control Message Protocol', 'ICMP');

const TYPES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable', 4: 'Source quench (flow control)',
  5: 'Redirect', 6: 'Alternate host address', 8: 'Echo (ping) request', 9: 'Router advertisement',
  10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request',
  14: 'Timestamp reply', 15: 'Information request', 16: 'Information reply', 17: 'Address mask request',
  18: 'Address mask reply', 30: 'Traceroute', 31: 'Datagram Conversion Error', 32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here', 35: 'Mobile Registration Request', 36: 'Mobile Registration Reply',
  37: 'Domain Name Request', 38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris', 42: 'Extended Echo request',
  43: 'Extended Echo reply',
};
/** RFC 8335 section 3 codes (packet-icmp.c ext_echo_req_code_str / ext_echo_reply_code_str). */
const EXT_ECHO_REQ_CODES: Readonly<Record<number, string>> = { 0: 'No error' };
const EXT_ECHO_RSP_CODES: Readonly<Record<number, string>> = {
  0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query',
};
const UNREACH: Readonly<Record<number, string>> = {
  0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable',
  4: 'Fragmentation needed', 5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown',
  8: 'Source host isolated', 9: 'Network administratively prohibited', 10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS', 12: 'Host unreachable for TOS', 13: 'Communication administratively filtered',
  14: 'Host precedence violation', 15: 'Precedence cutoff in effect',
};
const REDIRECT: Readonly<Record<number, string>> = {
  0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host',
};
const TIME_EXCEEDED: Readonly<Record<number, string>> = { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' };
const PARAM_PROBLEM: Readonly<Record<number, string>> = { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' };

export const hf_icmp = defineFields(proto_icmp, {
  type: { abbrev: 'icmp.type', name: 'Type', type: FT.UINT8, base: Base.DEC },
  code: { abbrev: 'icmp.code', name: 'Code', type: FT.UINT8, base: Base.DEC },
  checksum: { abbrev: 'icmp.checksum', name: 'Checksum', type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: 'icmp.checksum.status', name: 'Checksum Status', type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS },
  unused: { abbrev: 'icmp.unused', name: 'Unused', type: FT.BYTES },
  ident: { abbrev: 'icmp.ident', name: 'Identifier (BE)', type: FT.UINT16, base: Base.DEC_HEX },
  ident_le: { abbrev: 'icmp.ident_le', name: 'Identifier (LE)', type: FT.UINT16, base: Base.DEC_HEX },
  seq: { abbrev: 'icmp.seq', name: 'Sequence Number (BE)', type: FT.UINT16, base: Base.DEC_HEX },
  seq_le: { abbrev: 'icmp.seq_le', name: 'Sequence Number (LE)', type: FT.UINT16, base: Base.DEC_HEX },
  ext_echo_seq: { abbrev: 'icmp.ext.echo.seq', name: 'Sequence Number', type: FT.UINT8, base: Base.DEC_HEX },
  ext_echo_req_res: { abbrev: 'icmp.ext.echo.req.res', name: 'Reserved', type: FT.UINT8, base: Base.HEX, bitmask: 0xfe },
  ext_echo_req_local: { abbrev: 'icmp.ext.echo.req.local', name: 'Local bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x01, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_state: { abbrev: 'icmp.ext.echo.rsp.state', name: 'State', type: FT.UINT8, base: Base.DEC, bitmask: 0xe0, strings: { 0: 'Reserved', 1: 'Incomplete', 2: 'Reachable', 3: 'Stale', 4: 'Delay', 5: 'Probe', 6: 'Failed' } },
  ext_echo_rsp_res: { abbrev: 'icmp.ext.echo.rsp.res', name: 'Reserved', type: FT.UINT8, base: Base.HEX, bitmask: 0x18 },
  ext_echo_rsp_active: { abbrev: 'icmp.ext.echo.rsp.active', name: 'Active bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x04, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_ipv4: { abbrev: 'icmp.ext.echo.rsp.ipv4', name: 'IPv4 bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x02, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_ipv6: { abbrev: 'icmp.ext.echo.rsp.ipv6', name: 'IPv6 bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x01, tfs: ['Set', 'Not set'] },
  mtu: { abbrev: 'icmp.mtu', name: 'MTU of next hop', type: FT.UINT16, base: Base.DEC },
  pointer: { abbrev: 'icmp.pointer', name: 'Pointer', type: FT.UINT32, base: Base.DEC },
  redir_gw: { abbrev: 'icmp.redir_gw', name: 'Gateway Address', type: FT.IPv4 },
  resp_in: { abbrev: 'icmp.resp_in', name: 'Response frame', type: FT.FRAMENUM },
  resp_to: { abbrev: 'icmp.resp_to', name: 'Request frame', type: FT.FRAMENUM },
  resptime: { abbrev: 'icmp.resptime', name: 'Response time', type: FT.DOUBLE, unit: ' ms' },
  data_time: { abbrev: 'icmp.data_time', name: 'Timestamp from icmp data', type: FT.ABSOLUTE_TIME, base: Base.TIME_UTC },
  data_time_relative: { abbrev: 'icmp.data_time_relative', name: 'Timestamp from icmp data (relative)', type: FT.RELATIVE_TIME, unit: ' seconds' },
});

/** RFC 1071 Internet checksum over `n` bytes at `off`; 0 when the data (checksum included) is intact. */
export function internetChecksum(tvb: Tvb, off: number, n: number, initial = 0): number {
  const b = tvb.bytesAt(off, n);
  let sum = initial;
  for (let i = 0; i + 1 < n; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (n & 1) sum += b[n - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * Echo request/reply pairs (Wireshark's icmp_transaction_t), keyed by identifier, sequence and the
 * address pair. Bounded: the oldest transactions are forgotten past MAX_TRANSACTIONS.
 */
export class EchoTracker {
  static readonly MAX_TRANSACTIONS = 65536;
  private readonly open = new Map<string, { req: number; reqNs: number; rep: number }>();
  /** frame → peer frame, from the first pass. */
  private readonly peer = new Map<number, number>();

  request(key: string, num: number, ns: number): void {
    if (this.open.size >= EchoTracker.MAX_TRANSACTIONS) this.open.delete(this.open.keys().next().value as string);
    this.open.set(key, { req: num, reqNs: ns, rep: 0 });
  }
  /** The request frame a reply answers and its time, or undefined. */
  reply(key: string, num: number): { req: number; reqNs: number } | undefined {
    const t = this.open.get(key);
    if (t === undefined || t.req >= num) return undefined;
    if (t.rep === 0) {
      t.rep = num;
      this.peer.set(t.req, num);
      if (this.peer.size > EchoTracker.MAX_TRANSACTIONS * 2) this.peer.delete(this.peer.keys().next().value as number);
    }
    return t;
  }
  replyOf(req: number): number | undefined {
    return this.peer.get(req);
  }
  /** Per-frame answers of the first pass, for revisits: reply frame → [request frame, request time]. */
  readonly replyInfo = new Map<number, [number, number]>();
}

function tracker(capture: CaptureContext, proto: string): EchoTracker {
  return capture.state(proto, () => new EchoTracker());
}

/**
 * The 8-byte timeval Linux ping puts at the start of the echo data, as Wireshark guesses it: seconds
 * and microseconds as two 32-bit words, big-endian first then little-endian, accepted when within a
 * day before the frame (packet-icmp.c, get_best_guess_timestamp).
 */
function dataTimestamp(tvb: Tvb, off: number, frameSec: number): { sec: number; usec: number } | undefined {
  if (tvb.remaining(off) < 8) return undefined;
  const ok = (sec: number, usec: number) => ((frameSec - sec) >>> 0) < 86400 && usec < 1_000_000;
  let sec = tvb.u32(off), usec = tvb.u32(off + 4);
  if (ok(sec, usec)) return { sec, usec };
  sec = tvb.u32le(off);
  usec = tvb.u32le(off + 4);
  return ok(sec, usec) ? { sec, usec } : undefined;
}

export function dissectIcmp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  const inError = inErrorPacket.depth > 0;
  pinfo.enter('icmp', 'ICMP');
  const type = tvb.u8(0), code = tvb.u8(1), sum = tvb.u16(2);
  const typeStr = TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  const codes = type === 3 ? UNREACH : type === 5 ? REDIRECT : type === 11 ? TIME_EXCEEDED : type === 12 ? PARAM_PROBLEM
    : type === 42 ? EXT_ECHO_REQ_CODES : type === 43 ? EXT_ECHO_RSP_CODES : undefined;
  const codeStr = codes ? (codes[code] ?? `Unknown code: ${code}`) : undefined;
  // The TTL of the IP header that carried this message ("ttl=64" in the Info column).
  const ipTtl = lastIpTtl.value;
  if (pinfo.columns && !inError) {
    pinfo.protocol = 'ICMP';
    pinfo.setInfo(typeStr.padEnd(20) + (codeStr !== undefined ? ` (${codeStr})` : ''));
  }
  const top = tree.add(parent, proto_icmp, tvb, 0, -1, null);
  const ti = tree.add(top, hf_icmp.type, tvb, 0, 1, type);
  if (tree.full) tree.appendText(ti, ` (${typeStr})`);
  const ci = tree.add(top, hf_icmp.code, tvb, 1, 1, code);
  if (tree.full && codeStr !== undefined) tree.appendText(ci, ` (${codeStr})`);
  const cki = tree.add(top, hf_icmp.checksum, tvb, 2, 2, sum);
  // packet-icmp.c verifies only a whole datagram that is not quoted inside an ICMP error.
  if (!pinfo.fragmented && !inError && tvb.length >= tvb.reportedLength) {
    const good = internetChecksum(tvb, 0, tvb.length) === 0;
    if (tree.full) tree.appendText(cki, good ? ' [correct]' : ' [incorrect]');
    addChecksumStatus(ctx, top, hf_icmp.checksum_status, tvb, 2, 0, good ? 1 : 0);
  } else {
    if (tree.full) tree.appendText(cki, pinfo.fragmented ? ' [unverified] [fragmented datagram]' : inError ? ' [unverified] [in ICMP error packet]' : ' [unverified]');
    addChecksumStatus(ctx, top, hf_icmp.checksum_status, tvb, 2, 0, CHECKSUM_UNVERIFIED);
  }

  if (type === 0 || type === 8 || type === 13 || type === 14 || type === 17 || type === 18) {
    const id = tvb.u16(4), seq = tvb.u16(6);
    tree.add(top, hf_icmp.ident, tvb, 4, 2, id);
    tree.add(top, hf_icmp.ident_le, tvb, 4, 2, tvb.u16le(4));
    tree.add(top, hf_icmp.seq, tvb, 6, 2, seq);
    tree.add(top, hf_icmp.seq_le, tvb, 6, 2, tvb.u16le(6));
    if (pinfo.columns && !inError) pinfo.appendInfo(` id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}/${tvb.u16le(6)}, ttl=${ipTtl}`);
    if ((type === 0 || type === 8) && !inError) echoMatch(ctx, 'icmp', ICMP_ECHO, top, tvb, type === 8, id, seq);
    if (type === 0 || type === 8) {
      let off = 8;
      const ts = dataTimestamp(tvb, 8, pinfo.tsSec);
      if (ts !== undefined) {
        const abs = BigInt(ts.sec) * 1_000_000_000n + BigInt(ts.usec * 1000);
        tree.add(top, hf_icmp.data_time, tvb, 8, 8, abs);
        const rel = (pinfo.tsSec - ts.sec) * 1e9 + (pinfo.tsNsec - ts.usec * 1000);
        tree.add(top, hf_icmp.data_time_relative, tvb, 8, 8, rel, ItemFlags.GENERATED);
        off = 16;
      }
      dissectData(tvb.sub(off), ctx, top);
    }
    return tvb.length;
  }
  if (type === 42 || type === 43) {
    // RFC 8335 extended echo: identifier, an 8-bit sequence number and a flags byte; the ICMP
    // multi-part extension that follows (RFC 4884) is shown as data.
    tree.add(top, hf_icmp.ident, tvb, 4, 2, tvb.u16(4));
    tree.add(top, hf_icmp.ident_le, tvb, 4, 2, tvb.u16le(4));
    addExtEcho(ctx, top, tvb, type === 42, hf_icmp);
    if (tvb.remaining(8) > 0) dissectData(tvb.sub(8), ctx, top);
    return tvb.length;
  }
  if (type === 3 || type === 11 || type === 12 || type === 4 || type === 5) {
    if (type === 3 && code === 4) {
      tree.add(top, hf_icmp.unused, tvb, 4, 2, tvb.bytesAt(4, 2));
      tree.add(top, hf_icmp.mtu, tvb, 6, 2, tvb.u16(6));
    } else if (type === 12) {
      tree.add(top, hf_icmp.pointer, tvb, 4, 1, tvb.u8(4));
      tree.add(top, hf_icmp.unused, tvb, 5, 3, tvb.bytesAt(5, 3));
    } else if (type === 5) {
      tree.add(top, hf_icmp.redir_gw, tvb, 4, 4, tvb.u32(4));
    } else {
      tree.add(top, hf_icmp.unused, tvb, 4, 4, tvb.bytesAt(4, 4));
    }
    // The quoted datagram: its IP header and first bytes, dissected without touching the columns.
    dissectQuoted(dissectIp, tvb.sub(8), ctx, top);
    return tvb.length;
  }
  if (tvb.remaining(8) > 0) dissectData(tvb.sub(8), ctx, top);
  return tvb.length;
}

/** The generated fields echo matching adds: Wireshark's icmp.resp_in/resp_to/resptime and icmpv6's. */
export interface EchoFields {
  respIn: Field;
  respTo: Field;
  respTime: Field;
}

/**
 * Request/reply matching shared by ICMP and ICMPv6 (their own state under `proto`): "(request in N)"
 * on replies, and "(reply in N)" on requests once the reply is known (a second pass).
 */
export function echoMatch(ctx: Ctx, proto: 'icmp' | 'icmpv6', hf: EchoFields, top: Item, tvb: Tvb, isRequest: boolean, id: number, seq: number): void {
  const { pinfo, tree, capture } = ctx;
  const t = tracker(capture, proto);
  const a = pinfo.netSrc.bytes.join('.'), b = pinfo.netDst.bytes.join('.');
  const key = isRequest ? `${id}/${seq}/${a}/${b}` : `${id}/${seq}/${b}/${a}`;
  const nowNs = capture.relNs[pinfo.num];
  if (isRequest) {
    if (!pinfo.visited) t.request(key, pinfo.num, nowNs);
    const rep = t.replyOf(pinfo.num);
    if (rep !== undefined && pinfo.visited) {
      tree.add(top, hf.respIn, tvb, 0, 0, rep, ItemFlags.GENERATED);
      if (pinfo.columns) pinfo.appendInfo(` (reply in ${rep})`);
    }
    return;
  }
  let info = t.replyInfo.get(pinfo.num);
  if (info === undefined && !pinfo.visited) {
    const m = t.reply(key, pinfo.num);
    if (m !== undefined) {
      info = [m.req, m.reqNs];
      t.replyInfo.set(pinfo.num, info);
    }
  }
  if (info === undefined) return;
  tree.add(top, hf.respTo, tvb, 0, 0, info[0], ItemFlags.GENERATED);
  tree.add(top, hf.respTime, tvb, 0, 0, capture.deltaNs(pinfo.num, info[0]) / 1e6, ItemFlags.GENERATED); // exact stamps, not relNs floats
  if (pinfo.columns) pinfo.appendInfo(` (request in ${info[0]})`);
}

const ICMP_ECHO: EchoFields = { respIn: hf_icmp.resp_in, respTo: hf_icmp.resp_to, respTime: hf_icmp.resptime };

tables.ipProto.add(1, dissectIcmp);
