// DNS over UDP port 53 and mDNS port 5353 (RFC 1035, RFC 6891 OPT; Wireshark's packet-dns.c): header,
// flags, questions and resource records (A, AAAA, CNAME, NS, PTR, MX, TXT, SOA, SRV, OPT; others as
// bytes), names with compression. A compression loop or a name past 255 characters ends the name
// with packet-dns.c's "<Name contains a pointer that loops>" / "<Name too long>". Info as tshark prints it.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { formatIPv4, formatIPv6 } from '../../fields/addr.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import { ReportedBoundsError, type Tvb } from '../tvb.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { addText } from '../text.js';
import { inErrorPacket } from './ip.js';

export const proto_dns = defineProtocol('dns', 'Domain Name System', 'DNS');

const TYPES: Readonly<Record<number, string>> = {
  0: 'Unused', 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV',
  35: 'NAPTR', 39: 'DNAME', 41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS',
  255: 'ANY', 257: 'CAA',
  // The rest of packet-dns.c's dns_types_vals, for Info and record labels.
  3: 'MD', 4: 'MF', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 14: 'MINFO', 17: 'RP', 18: 'AFSDB', 19: 'X25',
  20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS', 29: 'LOC', 30: 'NXT',
  31: 'EID', 32: 'NIMLOC', 34: 'ATMA', 36: 'KX', 37: 'CERT', 38: 'A6', 40: 'SINK', 42: 'APL', 44: 'SSHFP',
  45: 'IPSECKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 56: 'NINFO',
  57: 'RKEY', 58: 'TALINK', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 99: 'SPF',
  100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID', 105: 'L32', 106: 'L64', 107: 'LP', 108: 'EUI48',
  109: 'EUI64', 249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 256: 'URI',
  32768: 'TA', 32769: 'DLV', 65281: 'WINS', 65282: 'WINS-R', 65422: 'XPF',
};
/** Type labels in the tree (Wireshark's dns_types_description_vals); Info uses the short names. */
const TYPE_DESCRIPTIONS: Readonly<Record<number, string>> = {
  ...TYPES, 1: 'A (Host Address)', 2: 'NS (authoritative Name Server)', 5: 'CNAME (Canonical NAME for an alias)',
  6: 'SOA (Start Of a zone of Authority)', 12: 'PTR (domain name PoinTeR)', 15: 'MX (Mail eXchange)',
  16: 'TXT (Text strings)', 28: 'AAAA (IPv6 Address)', 33: 'SRV (Server Selection)',
};
const CLASSES: Readonly<Record<number, string>> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
const OPCODES: Readonly<Record<number, string>> = { 0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update' };
const RCODES: Readonly<Record<number, string>> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused',
  6: 'Name exists', 7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative', 10: 'Name out of zone',
};

export const hf_dns = defineFields(proto_dns, {
  length: { abbrev: 'dns.length', name: 'Length', type: FT.UINT16, base: Base.DEC },
  id: { abbrev: 'dns.id', name: 'Transaction ID', type: FT.UINT16, base: Base.HEX },
  flags: { abbrev: 'dns.flags', name: 'Flags', type: FT.UINT16, base: Base.HEX },
  flags_response: { abbrev: 'dns.flags.response', name: 'Response', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x8000, tfs: ['Message is a response', 'Message is a query'] },
  flags_opcode: { abbrev: 'dns.flags.opcode', name: 'Opcode', type: FT.UINT16, base: Base.DEC, bitmask: 0x7800, strings: OPCODES },
  flags_authoritative: { abbrev: 'dns.flags.authoritative', name: 'Authoritative', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0400, tfs: ['Server is an authority for domain', 'Server is not an authority for domain'] },
  flags_truncated: { abbrev: 'dns.flags.truncated', name: 'Truncated', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0200, tfs: ['Message is truncated', 'Message is not truncated'] },
  flags_recdesired: { abbrev: 'dns.flags.recdesired', name: 'Recursion desired', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0100, tfs: ['Do query recursively', "Don't do query recursively"] },
  flags_recavail: { abbrev: 'dns.flags.recavail', name: 'Recursion available', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0080, tfs: ['Server can do recursive queries', "Server can't do recursive queries"] },
  flags_z: { abbrev: 'dns.flags.z', name: 'Z', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0040, tfs: ['reserved (1)', 'reserved (0)'] },
  flags_authenticated: { abbrev: 'dns.flags.authenticated', name: 'Answer authenticated', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0020, tfs: ['Answer/authority portion was authenticated by the server', 'Answer/authority portion was not authenticated by the server'] },
  flags_checkdisable: { abbrev: 'dns.flags.checkdisable', name: 'Non-authenticated data', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0010, tfs: ['Acceptable', 'Unacceptable'] },
  flags_rcode: { abbrev: 'dns.flags.rcode', name: 'Reply code', type: FT.UINT16, base: Base.DEC, bitmask: 0x000f, strings: RCODES },
  count_queries: { abbrev: 'dns.count.queries', name: 'Questions', type: FT.UINT16, base: Base.DEC },
  count_answers: { abbrev: 'dns.count.answers', name: 'Answer RRs', type: FT.UINT16, base: Base.DEC },
  count_auth_rr: { abbrev: 'dns.count.auth_rr', name: 'Authority RRs', type: FT.UINT16, base: Base.DEC },
  count_add_rr: { abbrev: 'dns.count.add_rr', name: 'Additional RRs', type: FT.UINT16, base: Base.DEC },
  qry_name: { abbrev: 'dns.qry.name', name: 'Name', type: FT.STRING },
  qry_name_len: { abbrev: 'dns.qry.name.len', name: 'Name Length', type: FT.UINT16, base: Base.DEC },
  count_labels: { abbrev: 'dns.count.labels', name: 'Label Count', type: FT.UINT16, base: Base.DEC },
  qry_type: { abbrev: 'dns.qry.type', name: 'Type', type: FT.UINT16, base: Base.DEC, strings: TYPE_DESCRIPTIONS },
  qry_class: { abbrev: 'dns.qry.class', name: 'Class', type: FT.UINT16, base: Base.HEX, strings: CLASSES },
  resp_name: { abbrev: 'dns.resp.name', name: 'Name', type: FT.STRING },
  resp_type: { abbrev: 'dns.resp.type', name: 'Type', type: FT.UINT16, base: Base.DEC, strings: TYPE_DESCRIPTIONS },
  resp_class: { abbrev: 'dns.resp.class', name: 'Class', type: FT.UINT16, base: Base.HEX, strings: CLASSES },
  resp_ttl: { abbrev: 'dns.resp.ttl', name: 'Time to live', type: FT.INT32, base: Base.DEC },
  resp_len: { abbrev: 'dns.resp.len', name: 'Data length', type: FT.UINT32, base: Base.DEC },
  a: { abbrev: 'dns.a', name: 'Address', type: FT.IPv4 },
  aaaa: { abbrev: 'dns.aaaa', name: 'AAAA Address', type: FT.IPv6 },
  cname: { abbrev: 'dns.cname', name: 'CNAME', type: FT.STRING },
  ns: { abbrev: 'dns.ns', name: 'Name Server', type: FT.STRING },
  ptr_domain_name: { abbrev: 'dns.ptr.domain_name', name: 'Domain Name', type: FT.STRING },
  mx_preference: { abbrev: 'dns.mx.preference', name: 'Preference', type: FT.UINT16, base: Base.DEC },
  mx_mail_exchange: { abbrev: 'dns.mx.mail_exchange', name: 'Mail Exchange', type: FT.STRING },
  txt_length: { abbrev: 'dns.txt.length', name: 'TXT Length', type: FT.UINT8, base: Base.DEC },
  txt: { abbrev: 'dns.txt', name: 'TXT', type: FT.STRING },
  soa_mname: { abbrev: 'dns.soa.mname', name: 'Primary name server', type: FT.STRING },
  soa_rname: { abbrev: 'dns.soa.rname', name: 'Responsible authority\'s mailbox', type: FT.STRING },
  soa_serial_number: { abbrev: 'dns.soa.serial_number', name: 'Serial Number', type: FT.UINT32, base: Base.DEC },
  soa_refresh_interval: { abbrev: 'dns.soa.refresh_interval', name: 'Refresh Interval', type: FT.UINT32, base: Base.DEC },
  soa_retry_interval: { abbrev: 'dns.soa.retry_interval', name: 'Retry Interval', type: FT.UINT32, base: Base.DEC },
  soa_expire_limit: { abbrev: 'dns.soa.expire_limit', name: 'Expire limit', type: FT.UINT32, base: Base.DEC },
  soa_minimum_ttl: { abbrev: 'dns.soa.minimum_ttl', name: 'Minimum TTL', type: FT.UINT32, base: Base.DEC },
  srv_priority: { abbrev: 'dns.srv.priority', name: 'Priority', type: FT.UINT16, base: Base.DEC },
  srv_weight: { abbrev: 'dns.srv.weight', name: 'Weight', type: FT.UINT16, base: Base.DEC },
  srv_port: { abbrev: 'dns.srv.port', name: 'Port', type: FT.UINT16, base: Base.DEC },
  srv_target: { abbrev: 'dns.srv.target', name: 'Target', type: FT.STRING },
  rr_udp_payload_size: { abbrev: 'dns.rr.udp_payload_size', name: 'UDP payload size', type: FT.UINT16, base: Base.DEC },
  resp_ext_rcode: { abbrev: 'dns.resp.ext_rcode', name: 'Higher bits in extended RCODE', type: FT.UINT8, base: Base.HEX },
  resp_edns0_version: { abbrev: 'dns.resp.edns0_version', name: 'EDNS0 version', type: FT.UINT8, base: Base.DEC },
  resp_z: { abbrev: 'dns.resp.z', name: 'Z', type: FT.UINT16, base: Base.HEX },
  resp_z_do: { abbrev: 'dns.resp.z.do', name: 'DO bit', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x8000, tfs: ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs'] },
  resp_z_reserved: { abbrev: 'dns.resp.z.reserved', name: 'Reserved', type: FT.UINT16, base: Base.HEX, bitmask: 0x7fff },
  data: { abbrev: 'dns.data', name: 'Data', type: FT.BYTES },
  response_in: { abbrev: 'dns.response_in', name: 'Response In', type: FT.FRAMENUM },
  response_to: { abbrev: 'dns.response_to', name: 'Request In', type: FT.FRAMENUM },
  retransmit_request_in: { abbrev: 'dns.retransmit_request_in', name: 'Retransmitted request. Original request in', type: FT.FRAMENUM },
  retransmit_response_in: { abbrev: 'dns.retransmit_response_in', name: 'Retransmitted response. Original response in', type: FT.FRAMENUM },
  retransmission: { abbrev: 'dns.retransmission', name: 'Retransmission', type: FT.BOOLEAN, tfs: ['True', 'False'] },
  time: { abbrev: 'dns.time', name: 'Time', type: FT.RELATIVE_TIME, unit: ' seconds' },
});

const hf_dns_ei = defineFields(proto_dns, {
  undecoded_type: { abbrev: 'dns.undecoded.type', name: 'Undecoded option', type: FT.NONE },
});
const hf_dns_retrans = defineFields(proto_dns, {
  request: { abbrev: 'dns.retransmit_request', name: 'DNS query retransmission', type: FT.NONE },
  response: { abbrev: 'dns.retransmit_response', name: 'DNS response retransmission', type: FT.NONE },
});
const ei_dns_retransmit_request: ExpertInfo = { field: hf_dns_retrans.request, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };
const ei_dns_retransmit_response: ExpertInfo = { field: hf_dns_retrans.response, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };
const ei_dns_undecoded_type: ExpertInfo = { field: hf_dns_ei.undecoded_type, severity: ExpertSeverity.NOTE, group: ExpertGroup.UNDECODED };

/**
 * Record types that Wireshark 4.0's dissect_dns_answer has a case for (RFC 1035 to RFC 9460 and the
 * Microsoft WINS types); every other type falls to its default case.
 */
const DECODED_BY_WIRESHARK = new Set([
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
  31, 32, 33, 34, 35, 36, 37, 38, 39, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 55, 59, 60, 61, 62, 63,
  64, 65, 99, 104, 105, 106, 107, 108, 109, 249, 250, 257, 32769, 65281, 65282, 65422,
]);

/** One query and its answer (packet-dns.c's dns_transaction_t); 0 = not seen. */
interface DnsTransaction { req: number; rep: number }

/**
 * Transactions per transaction ID and address/port pair, and each frame's first-pass finding: its
 * transaction and, for a retransmission, the frame it repeats. Bounded: past MAX entries the oldest
 * are forgotten.
 */
class DnsTransactions {
  static readonly MAX = 65536;
  readonly byKey = new Map<string, DnsTransaction>();
  readonly ofFrame = new Map<number, { t: DnsTransaction; retransOf: number }>();
  trim(): void {
    for (const m of [this.byKey, this.ofFrame] as Map<unknown, unknown>[]) {
      if (m.size > DnsTransactions.MAX) m.delete(m.keys().next().value);
    }
  }
}

/** packet-dns.c's "retransmission_timer" default: a query repeated within 5 s is a retransmission. */
const RETRANSMISSION_NS = 5e9;

const MAX_NAME = 255;

/** "300 (5 minutes)": Wireshark's unsigned_time_secs_to_str for the TTL label. */
function ttlText(t: number): string {
  if (t === 0) return '0 seconds';
  const parts: string[] = [];
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  let rest = t;
  for (const [n, name] of units) {
    const q = Math.floor(rest / n);
    if (q > 0) parts.push(`${q} ${name}${q === 1 ? '' : 's'}`);
    rest -= q * n;
  }
  return parts.join(', ');
}

/** packet-dns.c writes control characters of a label as \ooo (octal); other bytes stay as they are. */
const utf8 = new TextDecoder('utf-8');
/** format_text reads the name's bytes as UTF-8: a byte that does not decode shows as U+FFFD. */
function displayText(raw: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(raw)) return raw;
  return utf8.decode(Uint8Array.from(raw, (c) => c.charCodeAt(0)));
}

function escapeLabel(label: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(label) ? label.replace(/[\x00-\x1f\x7f]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0')) : label;
}

/**
 * A domain name at `off` (RFC 1035 4.1.4), as packet-dns.c's expand_dns_name/get_dns_name read it:
 * its text, the bytes it occupies where it starts, its raw length (dns.qry.name.len) and label count.
 * At most 255 characters are kept (MAX_DNAME_LEN, the first label's byte reserved); a longer name is
 * "<Name too long>", read to its end all the same. A pointer loop is caught when a pointer targets
 * its own offset + 2 or after 255 pointers ("<Name contains a pointer that loops>"); pointers may go
 * forwards. An empty name of more than one byte throws (get_dns_name's ReportedBoundsError).
 */
export function readName(tvb: Tvb, off: number): { name: string; len: number; labels: number; rawLen: number } {
  let raw = '';
  let pos = off, len = -1, maxname = MAX_NAME, pointers = 0;
  let special: string | undefined;
  for (;;) {
    const b = tvb.u8(pos++);
    if (b === 0) break;
    const kind = b & 0xc0;
    if (kind === 0x00) {
      if (raw.length > 0) {
        if (maxname > 0) { raw += '.'; maxname--; }
      } else {
        maxname--;
      }
      for (let n = b; n > 0; n--) {
        if (maxname > 0) { raw += String.fromCharCode(tvb.u8(pos)); maxname--; }
        pos++;
      }
    } else if (kind === 0x40) {
      // packet-dns.c: an extended label (RFC 6891 6.2.4) other than a bit string ends the name.
      if ((b & 0x3f) === 0x01) {
        const bits = tvb.u8(pos++);
        let text = '\\[x';
        for (let n = ((bits - 1) >> 3) + 1; n > 0; n--) text += tvb.u8(pos++).toString(16).padStart(2, '0');
        text += `/${bits}]`;
        if (maxname > 0) { raw += text.slice(0, maxname); maxname = text.length <= maxname ? maxname - text.length : 0; }
      } else {
        special = '<Unknown extended label>';
        len = pos - off;
        break;
      }
    } else if (kind === 0x80) {
      throw new ReportedBoundsError();
    } else {
      const target = ((b & 0x3f) << 8) | tvb.u8(pos);
      pos++;
      pointers++;
      if (len < 0) len = pos - off;
      if (target === pos + 2 || pointers > MAX_NAME) { special = '<Name contains a pointer that loops>'; break; }
      pos = target;
    }
  }
  if (special === undefined && maxname <= 0) special = '<Name too long>';
  if (len < 0) len = pos - off;
  const rawName = special ?? raw;
  if (rawName === '' && len <= 1) return { name: '<Root>', len, labels: 1, rawLen: 6 };
  if (len < 1 || (len > 1 && rawName.length === 0)) throw new ReportedBoundsError();
  // qname_labels_count: the dots of the raw name plus one, for names longer than one byte.
  let labels = rawName.length > 1 ? 1 : 0;
  for (let i = 0; i < rawName.length; i++) if (rawName.charCodeAt(i) === 46) labels++;
  return { name: special ?? escapeLabel(displayText(raw)), len, labels, rawLen: rawName.length };
}

/**
 * First pass: finds or opens this frame's transaction (keyed by transport, ID and the query's address/port pair)
 * and decides whether it repeats an earlier query or answer; later passes read what was decided.
 * Not done inside an ICMP error's quoted packet (packet-dns.c skips in_error_pkt).
 */
function trackTransaction(ctx: Ctx, id: number, isResponse: boolean): { t: DnsTransaction; retransOf: number } | undefined {
  const { pinfo } = ctx;
  if (inErrorPacket.depth > 0) return undefined;
  const tr = ctx.capture.state('dns', () => new DnsTransactions());
  if (pinfo.visited) return tr.ofFrame.get(pinfo.num);
  const ends = [`${pinfo.netSrc.bytes.join('.')}/${pinfo.srcPort}`, `${pinfo.netDst.bytes.join('.')}/${pinfo.dstPort}`];
  // Wireshark keeps transactions per conversation, and a TCP and a UDP conversation on the same ports
  // are two: the transport is part of the key (it also keeps DNS over TCP within its TCP stream's
  // partition, core/dissect/partition.ts).
  const key = `${pinfo.ptype}|${id}|${isResponse ? ends[1] : ends[0]}|${isResponse ? ends[0] : ends[1]}`;
  let t = tr.byKey.get(key);
  let retransOf = 0;
  if (!isResponse) {
    // A query repeats the open one unless that was answered or is 5 s or more older.
    if (t !== undefined && t.rep === 0 && Number(ctx.capture.exactDeltaNs(pinfo.num, t.req)) < RETRANSMISSION_NS) {
      retransOf = t.req;
    } else {
      t = { req: pinfo.num, rep: 0 };
      tr.byKey.set(key, t);
    }
  } else {
    if (t === undefined) return undefined;
    if (t.rep === 0) t.rep = pinfo.num;
    else retransOf = t.rep;
  }
  const found = { t, retransOf };
  tr.ofFrame.set(pinfo.num, found);
  tr.trim();
  return found;
}

export function dissectDns(tvb: Tvb, ctx: Ctx, parent: Item): number {
  ctx.pinfo.enter('dns', 'DNS');
  return dissectMessage(tvb, ctx, parent, null);
}

/**
 * One DNS message in `tvb`. Over TCP (`framing` is the tvb with the 2-byte length prefix, RFC 1035
 * 4.2.2) the protocol item covers the prefix too and shows it first as dns.length.
 */
function dissectMessage(tvb: Tvb, ctx: Ctx, parent: Item, framing: Tvb | null): number {
  const { pinfo, tree } = ctx;
  const id = tvb.u16(0), flags = tvb.u16(2);
  const isResponse = (flags & 0x8000) !== 0, opcode = (flags >> 11) & 0xf, rcode = flags & 0xf;
  const info: string[] = [];
  let head = `${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${isResponse ? ' response' : ''} 0x${id.toString(16).padStart(4, '0')}`;
  if (isResponse && rcode !== 0) head += ` ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  const top = framing === null ? tree.add(parent, proto_dns, tvb, 0, -1, null) : tree.add(parent, proto_dns, framing, 0, tvb.length + 2, null);
  if (tree.full) tree.setText(top, `Domain Name System (${isResponse ? 'response' : 'query'})`);
  if (framing !== null) tree.add(top, hf_dns.length, framing, 0, 2, tvb.reportedLength);
  const idItem = tree.add(top, hf_dns.id, tvb, 0, 2, id);
  const found = trackTransaction(ctx, id, isResponse);
  if (found !== undefined && found.retransOf > 0) {
    addExpert(ctx, idItem, tvb, 0, 0, isResponse ? ei_dns_retransmit_response : ei_dns_retransmit_request,
      isResponse ? `DNS response retransmission. Original response in frame ${found.retransOf}` : `DNS query retransmission. Original request in frame ${found.retransOf}`);
  }
  const fi = tree.add(top, hf_dns.flags, tvb, 2, 2, flags);
  if (tree.full) tree.appendText(fi, ` ${OPCODES[opcode] ?? 'Unknown operation'}${isResponse ? ` response, ${RCODES[rcode] ?? 'Unknown error'}` : ''}`);
  tree.add(fi, hf_dns.flags_response, tvb, 2, 2, isResponse);
  tree.add(fi, hf_dns.flags_opcode, tvb, 2, 2, opcode);
  if (isResponse) tree.add(fi, hf_dns.flags_authoritative, tvb, 2, 2, (flags & 0x0400) !== 0);
  tree.add(fi, hf_dns.flags_truncated, tvb, 2, 2, (flags & 0x0200) !== 0);
  tree.add(fi, hf_dns.flags_recdesired, tvb, 2, 2, (flags & 0x0100) !== 0);
  if (isResponse) tree.add(fi, hf_dns.flags_recavail, tvb, 2, 2, (flags & 0x0080) !== 0);
  tree.add(fi, hf_dns.flags_z, tvb, 2, 2, (flags & 0x0040) !== 0);
  if (isResponse) {
    tree.add(fi, hf_dns.flags_authenticated, tvb, 2, 2, (flags & 0x0020) !== 0);
  } else if ((flags & 0x0020) !== 0) {
    // RFC 6840 5.7: a query may set AD to ask for it; packet-dns.c shows the bit only when set,
    // under the same filter name with its own label.
    const ad = tree.add(fi, hf_dns.flags_authenticated, tvb, 2, 2, true);
    if (tree.full) tree.setText(ad, '.... .... ..1. .... = AD bit: Set');
  }
  tree.add(fi, hf_dns.flags_checkdisable, tvb, 2, 2, (flags & 0x0010) !== 0);
  if (isResponse) tree.add(fi, hf_dns.flags_rcode, tvb, 2, 2, rcode);
  // packet-dns.c reads each count as it shows it: a message cut inside the header still shows the
  // counts before the cut (and the columns), then the exception.
  let qd = 0, an = 0, ns = 0, ar = 0;
  let off = 12;
  try {
    qd = tvb.u16(4);
    tree.add(top, hf_dns.count_queries, tvb, 4, 2, qd);
    an = tvb.u16(6);
    tree.add(top, hf_dns.count_answers, tvb, 6, 2, an);
    ns = tvb.u16(8);
    tree.add(top, hf_dns.count_auth_rr, tvb, 8, 2, ns);
    ar = tvb.u16(10);
    tree.add(top, hf_dns.count_add_rr, tvb, 10, 2, ar);
    // Sections as Wireshark's tree shows them: a text subtree per section, one per record.
    const qs = qd > 0 ? addText(ctx, top, tvb, off, 0, 'Queries') : top;
    let qEnd = off;
    for (let i = 0; i < qd; i++) {
      const n = readName(tvb, off);
      const type = tvb.u16(off + n.len), cls = tvb.u16(off + n.len + 2);
      const q = addText(ctx, qs < 0 ? top : qs, tvb, off, n.len + 4, `${n.name}: type ${TYPES[type] ?? `Unknown (${type})`}, class ${CLASSES[cls & 0x7fff] ?? `Unknown (${cls})`}`);
      const top2 = q < 0 ? top : q;
      tree.add(top2, hf_dns.qry_name, tvb, off, n.len, n.name);
      tree.add(top2, hf_dns.qry_name_len, tvb, off, n.len, n.rawLen > 1 ? n.rawLen : 0, ItemFlags.GENERATED);
      tree.add(top2, hf_dns.count_labels, tvb, off, n.len, n.labels, ItemFlags.GENERATED);
      tree.add(top2, hf_dns.qry_type, tvb, off + n.len, 2, type);
      tree.add(top2, hf_dns.qry_class, tvb, off + n.len + 2, 2, cls & 0x7fff);
      info.push(`${TYPES[type] ?? `Unknown (${type})`} ${n.name}`);
      off += n.len + 4;
      qEnd = off;
    }
    if (qs !== top) tree.setLength(qs, qEnd - 12);
    const sectionNames = ['Answers', 'Authoritative nameservers', 'Additional records'];
    const sectionEnds = [an, an + ns, an + ns + ar];
    let section = top, sectionStart = off, sectionIdx = -1;
    for (let i = 0; i < an + ns + ar && off < tvb.length; i++) {
      const si = sectionEnds.findIndex((e) => i < e);
      if (si !== sectionIdx) {
        if (section !== top) tree.setLength(section, off - sectionStart);
        sectionIdx = si;
        sectionStart = off;
        const t = addText(ctx, top, tvb, off, 0, sectionNames[si]);
        section = t < 0 ? top : t;
      }
      const n = readName(tvb, off);
      const at = off + n.len;
      const type = tvb.u16(at), cls = tvb.u16(at + 2), rdlen = tvb.u16(at + 8), rd = at + 10;
      // Wireshark adds the record's subtree with its whole length first, so a record whose data runs
      // past the packet shows nothing of itself (proto_tree_add_subtree throws).
      tvb.ensure(off, rd + rdlen - off);
      const recordItem = addText(ctx, section, tvb, off, 0, n.name);
      const rec = recordItem < 0 ? section : recordItem;
      const tname = TYPES[type] ?? `Unknown (${type})`;
      // Wireshark splits an SRV owner name into dns.srv.service/proto/name instead (not done here).
      if (type !== 33) tree.add(rec, hf_dns.resp_name, tvb, off, n.len, n.name);
      tree.add(rec, hf_dns.resp_type, tvb, at, 2, type);
      let text = '';
      if (type === 41) {
        tree.add(rec, hf_dns.rr_udp_payload_size, tvb, at + 2, 2, cls);
        tree.add(rec, hf_dns.resp_ext_rcode, tvb, at + 4, 1, tvb.u8(at + 4));
        tree.add(rec, hf_dns.resp_edns0_version, tvb, at + 5, 1, tvb.u8(at + 5));
        const z = tvb.u16(at + 6);
        const zi = tree.add(rec, hf_dns.resp_z, tvb, at + 6, 2, z);
        tree.add(zi, hf_dns.resp_z_do, tvb, at + 6, 2, (z & 0x8000) !== 0);
        tree.add(zi, hf_dns.resp_z_reserved, tvb, at + 6, 2, z & 0x7fff);
      } else {
        tree.add(rec, hf_dns.resp_class, tvb, at + 2, 2, cls & 0x7fff);
        const ttl = tvb.i32(at + 4);
        const ti = tree.add(rec, hf_dns.resp_ttl, tvb, at + 4, 4, ttl);
        if (tree.full) tree.appendText(ti, ` (${ttlText(ttl)})`);
      }
      tree.add(rec, hf_dns.resp_len, tvb, at + 8, 2, rdlen);
      const nameAt = (f: typeof hf_dns.cname, o: number) => {
        const r = readName(tvb, o);
        tree.add(rec, f, tvb, o, r.len, r.name);
        return r;
      };
      switch (type) {
        case 1: tree.add(rec, hf_dns.a, tvb, rd, 4, tvb.u32(rd)); text = formatIPv4(tvb.bytesAt(rd, 4)); break;
        case 28: tree.add(rec, hf_dns.aaaa, tvb, rd, 16, tvb.bytesAt(rd, 16)); text = formatIPv6(tvb.bytesAt(rd, 16)); break;
        case 5: text = nameAt(hf_dns.cname, rd).name; break;
        case 2: text = nameAt(hf_dns.ns, rd).name; break;
        case 12: text = nameAt(hf_dns.ptr_domain_name, rd).name; break;
        case 15: {
          tree.add(rec, hf_dns.mx_preference, tvb, rd, 2, tvb.u16(rd));
          text = `${tvb.u16(rd)} ${nameAt(hf_dns.mx_mail_exchange, rd + 2).name}`;
          break;
        }
        case 16: {
          for (let o = rd; o < rd + rdlen;) {
            const l = tvb.u8(o);
            tree.add(rec, hf_dns.txt_length, tvb, o, 1, l);
            tree.add(rec, hf_dns.txt, tvb, o + 1, l, tvb.latin1(o + 1, l));
            o += 1 + l;
          }
          break;
        }
        case 6: {
          const m = nameAt(hf_dns.soa_mname, rd);
          const r = nameAt(hf_dns.soa_rname, rd + m.len);
          const o = rd + m.len + r.len;
          tree.add(rec, hf_dns.soa_serial_number, tvb, o, 4, tvb.u32(o));
          const secs: [typeof hf_dns.soa_refresh_interval, number][] = [[hf_dns.soa_refresh_interval, 4], [hf_dns.soa_retry_interval, 8],
            [hf_dns.soa_expire_limit, 12], [hf_dns.soa_minimum_ttl, 16]];
          for (const [f, d] of secs) {
            const it = tree.add(rec, f, tvb, o + d, 4, tvb.u32(o + d));
            if (tree.full) tree.appendText(it, ` (${ttlText(tvb.u32(o + d))})`);
          }
          text = m.name;
          break;
        }
        case 33: {
          const p = tvb.u16(rd), w = tvb.u16(rd + 2), port = tvb.u16(rd + 4);
          tree.add(rec, hf_dns.srv_priority, tvb, rd, 2, p);
          tree.add(rec, hf_dns.srv_weight, tvb, rd + 2, 2, w);
          tree.add(rec, hf_dns.srv_port, tvb, rd + 4, 2, port);
          text = `${p} ${w} ${port} ${nameAt(hf_dns.srv_target, rd + 6).name}`;
          break;
        }
        case 41: break;
        default:
          // Types packet-dns.c decodes field by field (we do not): no Data item. Any other type gets
          // its "not implemented" note and the bytes as dns.data.
          if (!DECODED_BY_WIRESHARK.has(type) && rdlen > 0) {
            addExpert(ctx, rec, tvb, off, 0, ei_dns_undecoded_type, `Dissector for DNS Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`);
            tree.add(rec, hf_dns.data, tvb, rd, rdlen, tvb.bytesAt(rd, rdlen));
          }
      }
      // Wireshark's Info lists every record: "A 1.2.3.4", "MX 10 mail.example", "TXT", "OPT".
      info.push(text !== '' && type !== 16 ? `${tname} ${text}` : tname);
      if (tree.full && recordItem >= 0) {
        const detail = type === 1 || type === 28 ? `addr ${text}` : type === 5 ? `cname ${text}` : type === 2 ? `ns ${text}`
          : type === 12 ? text : type === 15 ? `preference ${tvb.u16(rd)}, mx ${text.slice(text.indexOf(' ') + 1)}`
            : type === 6 ? `mname ${text}` : type === 33 ? `priority ${tvb.u16(rd)}, weight ${tvb.u16(rd + 2)}, port ${tvb.u16(rd + 4)}, target ${text.split(' ')[3]}` : '';
        tree.setText(recordItem, type === 41 ? `${n.name}: type OPT` : `${n.name}: type ${tname}, class ${CLASSES[cls & 0x7fff] ?? `Unknown (${cls})`}${detail ? `, ${detail}` : ''}`);
        tree.setLength(recordItem, rd + rdlen - off);
      }
      off = rd + rdlen;
    }
    if (section !== top) tree.setLength(section, off - sectionStart);
    // Request/response items at the end of the DNS tree, as packet-dns.c adds them: "[Response In]"
    // on queries once the answer has been seen (when a frame is revisited), "[Request In]" and
    // "[Time]" on answers, and the retransmission links.
    if (found !== undefined) {
      const { t, retransOf } = found;
      const G = ItemFlags.GENERATED;
      if (!isResponse) {
        if (pinfo.visited && t.rep > 0) tree.add(top, hf_dns.response_in, tvb, 0, 0, t.rep, G);
        if (retransOf > 0) {
          tree.add(top, hf_dns.retransmit_request_in, tvb, 0, 0, retransOf, G);
          tree.add(top, hf_dns.retransmission, tvb, 0, 0, true, G);
        }
      } else if (retransOf > 0) {
        tree.add(top, hf_dns.retransmit_response_in, tvb, 0, 0, retransOf, G);
        tree.add(top, hf_dns.retransmission, tvb, 0, 0, true, G);
      } else {
        tree.add(top, hf_dns.response_to, tvb, 0, 0, t.req, G);
        // Exact nanoseconds from the frames' own stamps (relNs is a float: off by tens of ns).
        tree.add(top, hf_dns.time, tvb, 0, 0, ctx.capture.exactDeltaNs(pinfo.num, t.req), G);
      }
    }
  } finally {
    if (pinfo.columns) {
      pinfo.protocol = 'DNS';
      pinfo.setInfo([head, ...info].join(' '));
    }
  }
  return tvb.length;
}

/**
 * DNS over TCP (packet-dns.c dissect_dns_tcp through tcp_dissect_pdus): each message behind its
 * 2-byte length; a message that continues in a later segment is asked for through TCP reassembly.
 */
export function dissectDnsTcp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo } = ctx;
  let off = 0;
  while (off < tvb.length) {
    const avail = tvb.reportedLength - off;
    const need = avail >= 2 ? 2 + tvb.u16(off) : 2;
    if (avail < need && pinfo.canDesegment) {
      pinfo.desegmentOffset = off;
      pinfo.desegmentLen = need - avail;
      return tvb.length;
    }
    pinfo.enter('dns', 'DNS');
    const framing = tvb.sub(off, Math.min(need, tvb.length - off), need);
    dissectMessage(framing.sub(2, -1, need - 2), ctx, parent, framing);
    off += need;
  }
  return tvb.length;
}

/**
 * packet-dns.c's UDP heuristic (on by default in 4.0): a header that looks like a standard query with
 * exactly one question, or a standard response with at most one question, 100 answers and 10
 * authority records; at most 10 additional records; not an empty message. Checked against every UDP
 * frame of tcpdump's corpus on other ports: it takes exactly the ones tshark shows as DNS.
 */
function dnsHeuristic(tvb: Tvb, ctx: Ctx, parent: Item): boolean {
  if (tvb.reportedLength <= 12 || tvb.length < 12) return false;
  // NetBIOS Name Service uses the same header layout; Wireshark's udp.port table gives it port 137
  // before any heuristic runs, so none of its packets may be taken for DNS here.
  if (ctx.pinfo.srcPort === 137 || ctx.pinfo.dstPort === 137) return false;
  const flags = tvb.u16(2), quest = tvb.u16(4), ans = tvb.u16(6), auth = tvb.u16(8), add = tvb.u16(10);
  if ((flags & 0x7800) !== 0) return false;
  if ((flags & 0x8000) === 0) {
    if (quest !== 1 || ans !== 0 || auth !== 0) return false;
  } else if (quest > 1 || ans > 100 || auth > 10) {
    return false;
  }
  if (add > 10 || quest + ans === 0) return false;
  dissectDns(tvb, ctx, parent);
  return true;
}

tables.udpPort.add(53, dissectDns);
tables.udpPort.add(5353, dissectDns);
tables.tcpPort.add(53, dissectDnsTcp);
tables.tcpPort.add(5353, dissectDnsTcp);
tables.udpHeuristic.add('dns', dnsHeuristic);
