// UDP (RFC 768; Wireshark's packet-udp.c): ports, length, checksum (shown unverified, Wireshark 4.0's
// default), the conversation index udp.stream with its [Timestamps], then the payload by port (the
// lower port first, Wireshark's "try low port first" rule), by heuristics, or as data.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { type CaptureContext, PortType, type PacketInfo } from '../packet.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addText } from '../text.js';
import { CHECKSUM_STATUS, CHECKSUM_UNVERIFIED, addChecksumStatus, inErrorPacket } from './ip.js';
import { AddrType } from '../packet.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';

export const proto_udp = defineProtocol('udp', 'User Datagram Protocol', 'UDP');

export const hf_udp = defineFields(proto_udp, {
  srcport: { abbrev: 'udp.srcport', name: 'Source Port', type: FT.UINT16, base: Base.DEC },
  dstport: { abbrev: 'udp.dstport', name: 'Destination Port', type: FT.UINT16, base: Base.DEC },
  port: { abbrev: 'udp.port', name: 'Source or Destination Port', type: FT.UINT16, base: Base.DEC },
  length: { abbrev: 'udp.length', name: 'Length', type: FT.UINT16, base: Base.DEC },
  checksum: { abbrev: 'udp.checksum', name: 'Checksum', type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: 'udp.checksum.status', name: 'Checksum Status', type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS },
  stream: { abbrev: 'udp.stream', name: 'Stream index', type: FT.UINT32, base: Base.DEC },
  time_relative: { abbrev: 'udp.time_relative', name: 'Time since first frame', type: FT.RELATIVE_TIME, unit: ' seconds' },
  time_delta: { abbrev: 'udp.time_delta', name: 'Time since previous frame', type: FT.RELATIVE_TIME, unit: ' seconds' },
  payload: { abbrev: 'udp.payload', name: 'Payload', type: FT.BYTES },
});

const hf_udp_ei = defineFields(proto_udp, {
  length_bad: { abbrev: 'udp.length.bad', name: 'Bad length value', type: FT.NONE },
  length_bad_zero: { abbrev: 'udp.length.bad_zero', name: 'Length is zero but payload < 65536', type: FT.NONE },
});
const ei_udp_length_bad: ExpertInfo = { field: hf_udp_ei.length_bad, severity: ExpertSeverity.ERROR, group: ExpertGroup.MALFORMED };
const ei_udp_length_bad_zero: ExpertInfo = { field: hf_udp_ei.length_bad_zero, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };

/**
 * UDP conversations of a capture: one entry per address/port pair (either direction), and per frame
 * its stream and the conversation's previous frame, so a revisited frame shows what the first pass
 * computed. Frame numbers, not times, are kept: Capture.exactDeltaNs then gives tshark's exact
 * nanoseconds (relNs is a float). Memory: one map entry per conversation, 8 bytes per frame.
 */
class UdpState {
  readonly convs = new Map<string, { index: number; first: number; last: number }>();
  streamOf = new Int32Array(1024).fill(-1);
  prevOf = new Int32Array(1024);

  conversation(pinfo: PacketInfo, sport: number, dport: number) {
    const a = `${pinfo.netSrc.bytes.join('.')}/${sport}`, b = `${pinfo.netDst.bytes.join('.')}/${dport}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = this.convs.get(key);
    if (c === undefined) {
      c = { index: this.convs.size, first: 0, last: 0 };
      this.convs.set(key, c);
    }
    return c;
  }
  ensure(num: number): void {
    if (num < this.streamOf.length) return;
    const n = Math.max(num + 1, this.streamOf.length * 2);
    const s = new Int32Array(n).fill(-1);
    s.set(this.streamOf);
    this.streamOf = s;
    const d = new Int32Array(n);
    d.set(this.prevOf);
    this.prevOf = d;
  }
}

function state(capture: CaptureContext): UdpState {
  return capture.state('udp', () => new UdpState());
}

export function dissectUdp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree, capture } = ctx;
  const inError = inErrorPacket.depth > 0;
  pinfo.enter('udp', 'UDP');
  const sport = tvb.u16(0), dport = tvb.u16(2);
  if (pinfo.columns && !inError) {
    pinfo.protocol = 'UDP';
    pinfo.setInfo(`${sport} \u2192 ${dport}`);
  }
  const top = tree.add(parent, proto_udp, tvb, 0, 8, null);
  if (tree.full) tree.setText(top, `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`);
  tree.add(top, hf_udp.srcport, tvb, 0, 2, sport);
  tree.add(top, hf_udp.dstport, tvb, 2, 2, dport);
  tree.add(top, hf_udp.port, tvb, 0, 2, sport, ItemFlags.HIDDEN);
  tree.add(top, hf_udp.port, tvb, 2, 2, dport, ItemFlags.HIDDEN);
  const rawLen = tvb.u16(4);
  let ulen = rawLen;
  const reported = tvb.reportedLength;
  // RFC 2675 section 4: a zero length over IPv6 is a jumbogram, as long as the IPv6 payload; the item
  // keeps the 0 it read, with a warning when the payload would fit a normal length.
  const jumbo = ulen === 0 && pinfo.src.type === AddrType.IPv6;
  if (jumbo) ulen = reported;
  const li = tree.add(top, hf_udp.length, tvb, 4, 2, rawLen);
  if (jumbo && reported < 65536) addExpert(ctx, li, tvb, 4, 0, ei_udp_length_bad_zero);
  if (ulen < 8) {
    // packet-udp.c: the length counts the header, so below 8 it is bogus and the dissection ends.
    if (tree.full) tree.appendText(li, ' (bogus, must be >= 8)');
    addExpert(ctx, li, tvb, 4, 2, ei_udp_length_bad, `Bad length value ${ulen} < 8`);
    if (pinfo.columns && !inError) pinfo.appendInfo(` [BAD UDP LENGTH ${ulen} < 8]`);
    return tvb.length;
  }
  if (ulen > reported && !pinfo.fragmented && !inError) {
    if (tree.full) tree.appendText(li, ` (bogus, payload length ${reported})`);
    addExpert(ctx, li, tvb, 4, 2, ei_udp_length_bad, `Bad length value ${ulen} > IP payload length`);
    if (pinfo.columns) pinfo.appendInfo(` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]`);
  }
  const dataLen = ulen - 8;
  if (pinfo.columns && !inError) pinfo.appendInfo(jumbo ? ` Len=${dataLen} [Jumbogram]` : ` Len=${dataLen}`);
  const sum = tvb.u16(6);
  const ck = tree.add(top, hf_udp.checksum, tvb, 6, 2, sum);
  if (sum === 0) {
    // RFC 768: zero means the sender computed no checksum.
    if (tree.full) tree.appendText(ck, ' [zero-value ignored]');
    addChecksumStatus(ctx, top, hf_udp.checksum_status, tvb, 6, 2, 3);
  } else {
    if (tree.full) tree.appendText(ck, ' [unverified]');
    addChecksumStatus(ctx, top, hf_udp.checksum_status, tvb, 6, 0, CHECKSUM_UNVERIFIED);
  }

  // Conversation index and timestamps (packet-udp.c, udp_calculate_timestamps). A header quoted in an
  // ICMP error belongs to the same conversation but adds no timestamps.
  const st = state(capture);
  const num = pinfo.num;
  st.ensure(num);
  const conv = st.conversation(pinfo, sport, dport);
  if (!inError && !pinfo.visited) {
    if (conv.first === 0) conv.first = conv.last = num;
    st.prevOf[num] = conv.last;
    conv.last = num;
    st.streamOf[num] = conv.index;
  }
  tree.add(top, hf_udp.stream, tvb, 8, 0, conv.index, ItemFlags.GENERATED);
  if (!inError) {
    pinfo.ptype = PortType.UDP;
    pinfo.srcPort = sport;
    pinfo.dstPort = dport;
  }
  // packet-udp.c 4.0 stops after the stream index when the length says there is no payload: no
  // timestamps, no payload item, no subdissector, whatever bytes IP has after the header.
  if (ulen === 8) return 8;
  if (!inError && tree.mode !== 'none') {
    const ts = addText(ctx, top, tvb, 0, 0, 'Timestamps', ItemFlags.GENERATED);
    const first = conv.first || num, prev = st.prevOf[num] || num;
    tree.add(ts < 0 ? top : ts, hf_udp.time_relative, tvb, 0, 0, capture.exactDeltaNs(num, first), ItemFlags.GENERATED);
    tree.add(ts < 0 ? top : ts, hf_udp.time_delta, tvb, 0, 0, capture.exactDeltaNs(num, prev), ItemFlags.GENERATED);
  }

  // decode_udp_ports: the payload ends where the UDP length says, within what IP reports; the
  // udp.payload item covers every captured byte after the header, as Wireshark's does.
  const restReported = Math.max(0, reported - 8);
  const payloadReported = Math.min(dataLen, restReported);
  const rest = tvb.remaining(8);
  const payload = tvb.sub(8, Math.min(rest, payloadReported), payloadReported);
  // An item "to the end" where the capture ends before the payload starts throws (proto.c's
  // tvb_ensure_captured_length_remaining): the snaplen cut ends the packet here, as in tshark.
  if (rest === 0 && restReported > 0) tvb.ensure(8, 1);
  if (rest > 0) {
    const pl = tree.add(top, hf_udp.payload, tvb, 8, rest, tvb.bytesAt(8, rest));
    if (tree.full) tree.setText(pl, `UDP payload (${payload.length} byte${payload.length === 1 ? '' : 's'})`);
  }
  const [low, high] = sport > dport ? [dport, sport] : [sport, dport];
  if (!(tables.udpPort.tryDissect(low, payload, ctx, parent) || (high !== low && tables.udpPort.tryDissect(high, payload, ctx, parent))
    || tables.udpHeuristic.tryDissect(payload, ctx, parent))) {
    dissectData(payload, ctx, parent);
  }
  return 8 + dataLen;
}

tables.ipProto.add(17, dissectUdp);
