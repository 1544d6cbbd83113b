// Transmission Control Protocol (Wireshark 4.0's epan/dissectors/packet-tcp.c; RFC 9293, options from
// RFC 7323 (window scale, timestamps) and RFC 2018 (SACK)). Field names, labels and Info text are
// Wireshark's, checked against tshark 4.0.17 (test/unit/core/dissect/proto/tcp.test.ts).
//
// Conversation state design (ctx.capture.state('tcp')), written so that issue 4's SEQ/ACK analysis and
// reassembly are added to it rather than replacing it:
//   - A stream is one TCP conversation, numbered in order of first appearance (tcp.stream). The
//     4-tuple -> current stream map is the only keyed structure; everything else is typed arrays.
//   - Per stream (index = stream number), struct-of-arrays in `TcpStreams`, two slots per stream for
//     the two directions: slot 0 is the endpoint that compares higher by (address, port), as
//     Wireshark's get_tcp_conversation_data picks fwd/rev. Holds base sequence numbers (relative
//     numbers), window scale shift (-1 unknown, -2 no scaling, as Wireshark's win_scale), first and
//     last frame (tcp.time_relative/time_delta), FIN/RST seen, and the application dissector a
//     heuristic attached to the conversation (conversation_set_dissector) with the frame it starts at.
//     Issue 4 adds per-direction analysis columns here (next expected seq, last ack, window,
//     dup-ack count, in-flight bytes) and a per-direction reassembly buffer keyed by stream slot.
//   - Per frame (index = frame number), struct-of-arrays in `TcpFrames`: the results of the first
//     pass that a later, out-of-order re-dissection must reproduce: stream index, the window scale
//     that applied, the previous frame of the stream. Issue 4 adds its analysis flags (one Uint16 of
//     TCP_A_* bits), acked frame, RTT, bytes in flight and "reassembled in" here, computed on the
//     first pass (pinfo.visited false) and only read afterwards.
//   Memory is a few bytes per frame and ~60 bytes per stream: bounded by the capture, never by time.

import { Base, FT, defineFields, defineProtocol, type Field, type FieldValue } from '../../fields/registry.js';
import { type Address, AddressAt, type LazyInfo, PortType, type CaptureContext } from '../packet.js';
import { type Ctx, type Dissector, tables } from '../table.js';
import { FieldGroup, ItemFlags, type Item, NO_ITEM, type ProtoTree } from '../tree.js';
import { ExpertGroup, ExpertSeverity, addExpert, proto_expert } from '../frame.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addText, hf_text } from '../text.js';
import { TA, TcpAnalysis, defineAnalysisFields } from './tcp-analysis.js';
import { TcpReassembly, defineReassemblyFields } from './tcp-reassembly.js';
import { taps } from '../tap/taps.js';
import { grow } from '../grow.js';

export const proto_tcp = defineProtocol('tcp', 'Transmission Control Protocol', 'TCP');

const OPTION_KINDS: Readonly<Record<number, string>> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted',
  5: 'SACK', 6: 'Echo', 7: 'Echo Reply', 8: 'Time Stamp Option', 9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile', 11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data', 16: 'Skeeter', 17: 'Bubba', 18: 'Trailer Checksum Option',
  19: 'MD5 Signature Option', 20: 'SCPS Capabilities', 21: 'Selective Negative Acknowledgements',
  22: 'Record Boundaries', 23: 'Corruption experienced', 24: 'SNAP', 25: 'Unassigned', 26: 'TCP Compression Filter',
  27: 'Quick-Start Response', 28: 'User Timeout Option', 29: 'The TCP Authentication Option', 30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie', 76: 'Riverbed Probe', 78: 'Riverbed Transparency', 172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1', 253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};

/** Wireshark's proto_checksum_vals. */
export const CHECKSUM_STATUS: Readonly<Record<number, string>> = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };
const CHECKSUM_UNVERIFIED = 2;

const SET: readonly [string, string] = ['Set', 'Not set'];

export const hf_tcp = defineFields(proto_tcp, {
  srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: FT.UINT16, base: Base.DEC },
  dstport: { abbrev: 'tcp.dstport', name: 'Destination Port', type: FT.UINT16, base: Base.DEC },
  port: { abbrev: 'tcp.port', name: 'Source or Destination Port', type: FT.UINT16, base: Base.DEC },
  stream: { abbrev: 'tcp.stream', name: 'Stream index', type: FT.UINT32, base: Base.DEC },
  len: { abbrev: 'tcp.len', name: 'TCP Segment Len', type: FT.UINT32, base: Base.DEC },
  seq: { abbrev: 'tcp.seq', name: 'Sequence Number', type: FT.UINT32, base: Base.DEC },
  seq_raw: { abbrev: 'tcp.seq_raw', name: 'Sequence Number (raw)', type: FT.UINT32, base: Base.DEC },
  nxtseq: { abbrev: 'tcp.nxtseq', name: 'Next Sequence Number', type: FT.UINT32, base: Base.DEC },
  ack: { abbrev: 'tcp.ack', name: 'Acknowledgment Number', type: FT.UINT32, base: Base.DEC },
  ack_raw: { abbrev: 'tcp.ack_raw', name: 'Acknowledgment number (raw)', type: FT.UINT32, base: Base.DEC },
  hdr_len: { abbrev: 'tcp.hdr_len', name: 'Header Length', type: FT.UINT8, base: Base.DEC },
  flags: { abbrev: 'tcp.flags', name: 'Flags', type: FT.UINT16, base: Base.HEX, bitmask: 0xfff },
  flags_res: { abbrev: 'tcp.flags.res', name: 'Reserved', type: FT.BOOLEAN, bitmask: 0xe00, bitWidth: 12, tfs: SET },
  flags_ae: { abbrev: 'tcp.flags.ae', name: 'Accurate ECN', type: FT.BOOLEAN, bitmask: 0x100, bitWidth: 12, tfs: SET },
  flags_cwr: { abbrev: 'tcp.flags.cwr', name: 'Congestion Window Reduced', type: FT.BOOLEAN, bitmask: 0x80, bitWidth: 12, tfs: SET },
  flags_ece: { abbrev: 'tcp.flags.ece', name: 'ECN-Echo', type: FT.BOOLEAN, bitmask: 0x40, bitWidth: 12, tfs: SET },
  flags_ace: { abbrev: 'tcp.flags.ace', name: 'ACE', type: FT.UINT8, base: Base.DEC },
  flags_urg: { abbrev: 'tcp.flags.urg', name: 'Urgent', type: FT.BOOLEAN, bitmask: 0x20, bitWidth: 12, tfs: SET },
  flags_ack: { abbrev: 'tcp.flags.ack', name: 'Acknowledgment', type: FT.BOOLEAN, bitmask: 0x10, bitWidth: 12, tfs: SET },
  flags_push: { abbrev: 'tcp.flags.push', name: 'Push', type: FT.BOOLEAN, bitmask: 0x8, bitWidth: 12, tfs: SET },
  flags_reset: { abbrev: 'tcp.flags.reset', name: 'Reset', type: FT.BOOLEAN, bitmask: 0x4, bitWidth: 12, tfs: SET },
  flags_syn: { abbrev: 'tcp.flags.syn', name: 'Syn', type: FT.BOOLEAN, bitmask: 0x2, bitWidth: 12, tfs: SET },
  flags_fin: { abbrev: 'tcp.flags.fin', name: 'Fin', type: FT.BOOLEAN, bitmask: 0x1, bitWidth: 12, tfs: SET },
  flags_str: { abbrev: 'tcp.flags.str', name: 'TCP Flags', type: FT.STRING },
  window_size_value: { abbrev: 'tcp.window_size_value', name: 'Window', type: FT.UINT16, base: Base.DEC, blurb: 'The window size value from the TCP header' },
  window_size: { abbrev: 'tcp.window_size', name: 'Calculated window size', type: FT.UINT32, base: Base.DEC, blurb: 'The scaled window size (if scaling has been used)' },
  window_size_scalefactor: { abbrev: 'tcp.window_size_scalefactor', name: 'Window size scaling factor', type: FT.INT32, base: Base.DEC, blurb: 'The window size scaling factor (-1 when unknown, -2 when no scaling is used)' },
  checksum: { abbrev: 'tcp.checksum', name: 'Checksum', type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: 'tcp.checksum.status', name: 'Checksum Status', type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS },
  urgent_pointer: { abbrev: 'tcp.urgent_pointer', name: 'Urgent Pointer', type: FT.UINT16, base: Base.DEC },
  options: { abbrev: 'tcp.options', name: 'TCP Options', type: FT.BYTES },
  option_kind: { abbrev: 'tcp.option_kind', name: 'Kind', type: FT.UINT8, base: Base.DEC, strings: OPTION_KINDS },
  option_len: { abbrev: 'tcp.option_len', name: 'Length', type: FT.UINT8, base: Base.DEC },
  mss_val: { abbrev: 'tcp.options.mss_val', name: 'MSS Value', type: FT.UINT16, base: Base.DEC },
  wscale_shift: { abbrev: 'tcp.options.wscale.shift', name: 'Shift count', type: FT.UINT8, base: Base.DEC },
  wscale_multiplier: { abbrev: 'tcp.options.wscale.multiplier', name: 'Multiplier', type: FT.UINT16, base: Base.DEC },
  sack_le: { abbrev: 'tcp.options.sack_le', name: 'TCP SACK Left Edge', type: FT.UINT32, base: Base.DEC },
  sack_re: { abbrev: 'tcp.options.sack_re', name: 'TCP SACK Right Edge', type: FT.UINT32, base: Base.DEC },
  sack_count: { abbrev: 'tcp.options.sack.count', name: 'TCP SACK Count', type: FT.UINT8, base: Base.DEC },
  tsval: { abbrev: 'tcp.options.timestamp.tsval', name: 'Timestamp value', type: FT.UINT32, base: Base.DEC },
  tsecr: { abbrev: 'tcp.options.timestamp.tsecr', name: 'Timestamp echo reply', type: FT.UINT32, base: Base.DEC },
  unknown_payload: { abbrev: 'tcp.options.unknown.payload', name: 'Payload', type: FT.BYTES },
  time_relative: { abbrev: 'tcp.time_relative', name: 'Time since first frame in this TCP stream', type: FT.RELATIVE_TIME, unit: ' seconds' },
  time_delta: { abbrev: 'tcp.time_delta', name: 'Time since previous frame in this TCP stream', type: FT.RELATIVE_TIME, unit: ' seconds' },
  payload: { abbrev: 'tcp.payload', name: 'TCP payload', type: FT.BYTES },
  reset_cause: { abbrev: 'tcp.reset_cause', name: 'Reset cause', type: FT.STRING },
});

export const hf_tcp_analysis = defineAnalysisFields(proto_tcp);
export const hf_tcp_rsm = defineReassemblyFields(proto_tcp);
export const hf_tcp_completeness = defineFields(proto_tcp, {
  completeness: { abbrev: 'tcp.completeness', name: 'Conversation completeness', type: FT.UINT8, base: Base.DEC, blurb: 'The completeness of the conversation capture' },
}).completeness;

/** packet-tcp.c conversation_completeness_fill: SYN 1, SYN-ACK 2, ACK 4, DATA 8, FIN 16, RST 32. */
export function completenessText(v: number): string {
  switch (v) {
    case 1: return `Incomplete, SYN_SENT (${v})`;
    case 3: return `Incomplete, CLIENT_ESTABLISHED (${v})`;
    case 7: return `Incomplete, ESTABLISHED (${v})`;
    case 15: return `Incomplete, DATA (${v})`;
    default:
      if ((v & 7) === 7 && (v & 48) !== 0) return `Complete, ${v & 8 ? 'WITH_DATA' : 'NO_DATA'} (${v})`;
      return `Incomplete (${v})`;
  }
}

// Each option is a protocol of its own in Wireshark 4.0 ("TCP Option - Maximum segment size",
// filter tcp.options.mss), so `tcp.options.mss` works as a filter; "in name only", with FT_BYTES values
// (-T fields prints the option's bytes).
export const proto_tcp_option = {
  eol: defineProtocol('tcp.options.eol', 'TCP Option - End of Option List (EOL)', 'End of Option List (EOL)', FT.BYTES),
  nop: defineProtocol('tcp.options.nop', 'TCP Option - No-Operation (NOP)', 'No-Operation (NOP)', FT.BYTES),
  mss: defineProtocol('tcp.options.mss', 'TCP Option - Maximum segment size', 'Maximum segment size', FT.BYTES),
  wscale: defineProtocol('tcp.options.wscale', 'TCP Option - Window scale', 'Window scale', FT.BYTES),
  sack_perm: defineProtocol('tcp.options.sack_perm', 'TCP Option - SACK permitted', 'SACK permitted', FT.BYTES),
  sack: defineProtocol('tcp.options.sack', 'TCP Option - SACK', 'SACK', FT.BYTES),
  timestamp: defineProtocol('tcp.options.timestamp', 'TCP Option - Timestamps', 'Timestamps', FT.BYTES),
  md5: defineProtocol('tcp.options.md5', 'TCP Option - TCP MD5 signature', 'TCP MD5 signature', FT.BYTES),
  scps: defineProtocol('tcp.options.scps', 'TCP Option - SCPS capabilities', 'SCPS capabilities', FT.BYTES),
  ao: defineProtocol('tcp.options.ao', 'TCP Option - TCP AO', 'TCP AO', FT.BYTES),
  tfo: defineProtocol('tcp.options.tfo', 'TCP Option - TCP Fast Open', 'TCP Fast Open', FT.BYTES),
  acc_ecn: defineProtocol('tcp.options.acc_ecn', 'TCP Option - Accurate ECN', 'Accurate ECN', FT.BYTES),
  experimental: defineProtocol('tcp.options.experimental', 'TCP Option - Experimental', 'Experimental', FT.BYTES),
  unknown: defineProtocol('tcp.options.unknown', 'TCP Option - Unknown', 'Unknown', FT.BYTES),
};

/** Experiment identifiers of RFC 6994 shared experimental options (packet-tcp.c tcp_exid_vs, 4.0). */
const EXIDS: Readonly<Record<number, string>> = {
  0x00ac: 'TCP ACK Rate Request', 0x0348: 'Host ID', 0x0a0d: 'Autonomous System Compensation',
  0x0ca0: 'Capability Option', 0x0ed0: 'Extended Data Offset', 0x454e: 'Encryption Negotiation',
  0x5323: 'Service Number', 0x75ec: 'Timestamp Interval', 0xacc0: 'Accurate ECN - Order 0',
  0xacc1: 'Accurate ECN - Order 1', 0xacce: 'Accurate ECN', 0xe2d4: 'Shared Memory communications over RMDA protocol',
  0xf989: 'Fast Open', 0xf990: 'Low Latency',
};
const EXID_TFO = 0xf989, EXID_ACC_ECN_0 = 0xacc0, EXID_ACC_ECN_1 = 0xacc1;
const TCPOPT_ACC_ECN_0 = 172, TCPOPT_ACC_ECN_1 = 174;

// Fields of the options Wireshark 4.0 decodes beyond the classic ones (RFC 2385 MD5, CCSDS 714.0-B-2
// SCPS, RFC 5925 TCP-AO, RFC 7413 Fast Open, RFC 6994 experiments, draft-ietf-tcpm-accurate-ecn).
const hf_tcp_opt = defineFields(proto_tcp, {
  md5_digest: { abbrev: 'tcp.options.md5.digest', name: 'MD5 digest', type: FT.BYTES },
  ao_keyid: { abbrev: 'tcp.options.ao.keyid', name: 'AO KeyID', type: FT.UINT8, base: Base.DEC },
  ao_rnextkeyid: { abbrev: 'tcp.options.ao.rnextkeyid', name: 'AO RNextKeyID', type: FT.UINT8, base: Base.DEC },
  ao_mac: { abbrev: 'tcp.options.ao.mac', name: 'AO MAC', type: FT.BYTES },
  exp_data: { abbrev: 'tcp.options.experimental.data', name: 'Data', type: FT.BYTES },
  exp_exid: { abbrev: 'tcp.options.experimental.exid', name: 'Experiment Identifier', type: FT.UINT16, base: Base.HEX, strings: EXIDS },
  tfo_request: { abbrev: 'tcp.options.tfo.request', name: 'Fast Open Cookie Request', type: FT.NONE },
  tfo_cookie: { abbrev: 'tcp.options.tfo.cookie', name: 'Fast Open Cookie', type: FT.BYTES },
  acc_ecn_ee0b: { abbrev: 'tcp.options.acc_ecn.ee0b', name: 'Accurate ECN Echo ECT(0) Byte Counter', type: FT.UINT24, base: Base.DEC },
  acc_ecn_eceb: { abbrev: 'tcp.options.acc_ecn.eceb', name: 'Accurate ECN Echo CE Byte Counter', type: FT.UINT24, base: Base.DEC },
  acc_ecn_ee1b: { abbrev: 'tcp.options.acc_ecn.ee1b', name: 'Accurate ECN Echo ECT(1) Byte Counter', type: FT.UINT24, base: Base.DEC },
  scps_vector: { abbrev: 'tcp.options.scps.vector', name: 'TCP SCPS Capabilities Vector', type: FT.UINT8, base: Base.HEX },
  scps_bets: { abbrev: 'tcp.options.scpsflags.bets', name: 'Partial Reliability Capable (BETS)', type: FT.BOOLEAN, bitmask: 0x80, bitWidth: 8, tfs: SET },
  scps_snack1: { abbrev: 'tcp.options.scpsflags.snack1', name: 'Short Form SNACK Capable (SNACK1)', type: FT.BOOLEAN, bitmask: 0x40, bitWidth: 8, tfs: SET },
  scps_snack2: { abbrev: 'tcp.options.scpsflags.snack2', name: 'Long Form SNACK Capable (SNACK2)', type: FT.BOOLEAN, bitmask: 0x20, bitWidth: 8, tfs: SET },
  scps_compress: { abbrev: 'tcp.options.scpsflags.compress', name: 'Lossless Header Compression (COMP)', type: FT.BOOLEAN, bitmask: 0x10, bitWidth: 8, tfs: SET },
  scps_nlts: { abbrev: 'tcp.options.scpsflags.nlts', name: 'Network Layer Timestamp (NLTS)', type: FT.BOOLEAN, bitmask: 0x08, bitWidth: 8, tfs: SET },
  scps_reserved: { abbrev: 'tcp.options.scpsflags.reserved', name: 'Reserved', type: FT.UINT8, base: Base.DEC, bitmask: 0x07 },
  scps_connid: { abbrev: 'tcp.options.scps.binding', name: 'Connection ID', type: FT.UINT8, base: Base.DEC },
  scps_binding_id: { abbrev: 'tcp.options.scps.binding.id', name: 'Binding Space (Community) ID', type: FT.UINT8, base: Base.DEC },
  scps_binding_len: { abbrev: 'tcp.options.scps.binding.len', name: 'Extended Capability Length', type: FT.UINT8, base: Base.DEC },
  scps_binding_data: { abbrev: 'tcp.options.scps.binding.data', name: 'Binding Space Data', type: FT.BYTES },
});
const SCPS_CAPS: readonly (readonly [number, string])[] = [[0x80, 'BETS'], [0x40, 'SNACK1'], [0x20, 'SNACK2'], [0x10, 'COMP'], [0x08, 'NLTS'], [0x07, 'RESERVED']];

// Expert items of the connection's life (packet-tcp.c ei_tcp_connection_*), under the flag bits.
const hf_tcp_conn = defineFields(proto_tcp, {
  fin_active: { abbrev: 'tcp.connection.fin_active', name: 'This frame initiates the connection closing', type: FT.NONE },
  fin_passive: { abbrev: 'tcp.connection.fin_passive', name: 'This frame undergoes the connection closing', type: FT.NONE },
  synack: { abbrev: 'tcp.connection.synack', name: 'Connection establish acknowledge (SYN+ACK)', type: FT.NONE },
  syn: { abbrev: 'tcp.connection.syn', name: 'Connection establish request (SYN)', type: FT.NONE },
  fin: { abbrev: 'tcp.connection.fin', name: 'Connection finish (FIN)', type: FT.NONE },
  rst: { abbrev: 'tcp.connection.rst', name: 'Connection reset (RST)', type: FT.NONE },
  dsack_le: { abbrev: 'tcp.options.sack.dsack_le', name: 'TCP D-SACK Left Edge', type: FT.UINT32, base: Base.DEC },
  dsack_re: { abbrev: 'tcp.options.sack.dsack_re', name: 'TCP D-SACK Right Edge', type: FT.UINT32, base: Base.DEC },
  dsack: { abbrev: 'tcp.options.sack.dsack', name: 'D-SACK Sequence', type: FT.NONE },
  nonzero_padding: { abbrev: 'tcp.non_zero_bytes_after_eol', name: 'Non zero bytes in option space after EOL option', type: FT.NONE },
  ack_nonzero: { abbrev: 'tcp.ack.nonzero', name: 'The acknowledgment number field is nonzero while the ACK flag is not set', type: FT.NONE },
  nop: { abbrev: 'tcp.nop', name: '4 NOP in a row - a router may have removed some options', type: FT.NONE },
  mss_absent: { abbrev: 'tcp.options.mss.absent', name: 'The SYN packet does not contain a MSS option', type: FT.NONE },
  urgent_nonzero: { abbrev: 'tcp.urgent_pointer.non_zero', name: 'The urgent pointer field is nonzero while the URG flag is not set', type: FT.NONE },
});
const chatSeq = (field: Field) => ({ field, severity: ExpertSeverity.CHAT, group: ExpertGroup.SEQUENCE });
const ei_tcp = {
  fin_active: { field: hf_tcp_conn.fin_active, severity: ExpertSeverity.NOTE, group: ExpertGroup.SEQUENCE },
  fin_passive: { field: hf_tcp_conn.fin_passive, severity: ExpertSeverity.NOTE, group: ExpertGroup.SEQUENCE },
  synack: chatSeq(hf_tcp_conn.synack),
  syn: chatSeq(hf_tcp_conn.syn),
  fin: chatSeq(hf_tcp_conn.fin),
  rst: { field: hf_tcp_conn.rst, severity: ExpertSeverity.WARN, group: ExpertGroup.SEQUENCE },
  dsack: { field: hf_tcp_conn.dsack, severity: ExpertSeverity.WARN, group: ExpertGroup.SEQUENCE },
  nonzero_padding: { field: hf_tcp_conn.nonzero_padding, severity: ExpertSeverity.ERROR, group: ExpertGroup.PROTOCOL },
  ack_nonzero: { field: hf_tcp_conn.ack_nonzero, severity: ExpertSeverity.NOTE, group: ExpertGroup.PROTOCOL },
  urgent_nonzero: { field: hf_tcp_conn.urgent_nonzero, severity: ExpertSeverity.NOTE, group: ExpertGroup.PROTOCOL },
  nop: { field: hf_tcp_conn.nop, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL },
  mss_absent: { field: hf_tcp_conn.mss_absent, severity: ExpertSeverity.NOTE, group: ExpertGroup.PROTOCOL },
};

/**
 * tree.add for an item that never gets children. A 'fields' pass that does not want it adds nothing,
 * not even the skeleton node (tree.ts): a node without children places no other item, so the recorded
 * items and their order stay the same, and a filter such as `tcp.port == 85` skips ~40 adds a segment.
 */
function leaf(tree: ProtoTree, parent: Item, field: Field, tvb: Tvb, off: number, len: number, value: FieldValue, flags = ItemFlags.NONE): Item {
  if (tree.mode === 'fields' && (tree.interest === null || tree.interest[field.id] !== 1)) return NO_ITEM;
  return tree.add(parent, field, tvb, off, len, value, flags);
}

// Every item of a subtree (experts included), for 'fields' passes that skip the subtrees they do not read.
/** The options subtree (dissectOptionsTree and its helpers). */
const OPTION_ITEMS = new FieldGroup([proto_expert, hf_text], [...Object.values(proto_tcp_option), ...Object.values(hf_tcp_opt),
  hf_tcp.options, hf_tcp.option_kind, hf_tcp.option_len, hf_tcp.mss_val, hf_tcp.wscale_shift, hf_tcp.wscale_multiplier,
  hf_tcp.sack_le, hf_tcp.sack_re, hf_tcp.sack_count, hf_tcp.tsval, hf_tcp.tsecr, hf_tcp.unknown_payload,
  hf_tcp_conn.dsack_le, hf_tcp_conn.dsack_re, hf_tcp_conn.dsack, hf_tcp_conn.nonzero_padding, hf_tcp_conn.nop, hf_tcp_conn.mss_absent]);
/** [SEQ/ACK analysis] (TcpAnalysis.print). */
const ANALYSIS_ITEMS = new FieldGroup([proto_expert], Object.values(hf_tcp_analysis));
/** The flag bits under tcp.flags (their experts are only added with SYN, FIN or RST set). */
const FLAG_ITEMS = new FieldGroup([], [hf_tcp.flags, hf_tcp.flags_res, hf_tcp.flags_ae, hf_tcp.flags_cwr, hf_tcp.flags_ece, hf_tcp.flags_ace,
  hf_tcp.flags_urg, hf_tcp.flags_ack, hf_tcp.flags_push, hf_tcp.flags_reset, hf_tcp.flags_syn, hf_tcp.flags_fin, hf_tcp.flags_str]);
/** [Timestamps]. */
const TIMESTAMP_ITEMS = new FieldGroup([hf_text], [hf_tcp.time_relative, hf_tcp.time_delta]);

const TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PUSH = 0x08, TH_ACK = 0x10, TH_URG = 0x20;
const TH_AE = 0x100, TH_RES = 0xe00, TH_CWR = 0x80, TH_ECE = 0x40, TH_ACE = TH_AE | TH_CWR | TH_ECE;
/** TcpStreams.accEcn bits: the SYN asked for AccECN (AE, CWR, ECE all set), the SYN/ACK took it. */
const ACC_SYN = 1, ACC_SYNACK = 2;
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];
/** Wireshark's tcp_flags_to_str_first_letter, from bit 11 down to bit 0. */
const FLAG_LETTERS = 'RRRACEUAPRSF';
const MIDDLE_DOT = '\u00b7';

/**
 * "FIN, ACK" as Wireshark's tcp_flags_to_str prints it ("<None>" when no flag is set). With `ace`
 * (an Accurate ECN stream past its handshake) AE, CWR and ECE are one 3-bit counter, "ACE=n".
 */
export function tcpFlagsToStr(flags: number, ace = false): string {
  // Every segment's Info column needs it: built once per flag combination (12 bits), then reused.
  const k = (flags & 0xfff) | (ace ? 0x1000 : 0);
  return (flagStrs[k] ??= buildFlagsStr(flags & 0xfff, ace));
}
const flagStrs: (string | undefined)[] = new Array<string | undefined>(8192);
function buildFlagsStr(flags: number, ace: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < (ace ? 6 : 8); i++) if (flags & (1 << i)) parts.push(FLAG_NAMES[i]);
  if (ace) parts.push(`ACE=${aceOf(flags)}`);
  else if (flags & TH_AE) parts.push('AE');
  if (flags & TH_RES) parts.push('Reserved');
  return parts.length > 0 ? parts.join(', ') : '<None>';
}

/** The AccECN ACE counter: AE, CWR and ECE read as one number, AE the high bit. */
function aceOf(flags: number): number {
  return (flags & TH_ACE) >> 6;
}

function flagsLetters(flags: number, ace: boolean): string {
  let s = '';
  for (let i = 0; i < 12; i++) {
    // tshark 4.0 on an AccECN stream: "-n-" in the A, C, E places, n the ACE counter.
    if (ace && i >= 3 && i <= 5) s += i === 4 ? String(aceOf(flags)) : '-';
    else s += flags & (0x800 >> i) ? FLAG_LETTERS[i] : MIDDLE_DOT;
  }
  return s;
}

/** No window scale value shown (SYN segments: RFC 7323 §2.2, the window in a SYN is never scaled). */
const WS_NOT_SHOWN = -3;
const WS_UNKNOWN = -1;
const WS_NONE = -2;


/** Per-stream state, two slots (2*s + dir) for the two directions. See the design note at the top. */
export class TcpStreams {
  count = 0;
  /**
   * 4-tuple -> newest stream index (a reused 4-tuple points at its newest stream): an open-addressing
   * table of stream + 1 keyed by a numeric hash of the endpoints, whose bytes are kept per stream in
   * `keys` (no string key per packet: building one cost ~0.6 us a packet in the read bench).
   */
  private table = new Int32Array(1024);
  private keys = new Uint8Array(64 * 36);
  private keyLen = new Uint8Array(64);
  baseSeq = new Uint32Array(128);
  /** 1 once baseSeq of that slot is known (Wireshark's TCP_S_BASE_SEQ_SET). */
  baseSet = new Uint8Array(128);
  /** Window scale shift per slot: -1 unknown, -2 no scaling, else the shift (Wireshark's win_scale). */
  winScale = new Int8Array(128).fill(WS_UNKNOWN);
  /** 1 once a FIN or RST was seen in that direction. */
  closed = new Uint8Array(128);
  /** 1 once that direction sent an SCPS capabilities option (packet-tcp.c flow->scps_capable). */
  scps = new Uint8Array(128);
  /** Accurate ECN negotiation per stream: ACC_SYN once the SYN asked for it, ACC_SYNACK once answered. */
  accEcn = new Uint8Array(64);
  firstFrame = new Int32Array(64);
  lastFrame = new Int32Array(64);
  /** Application dissector a heuristic attached to the stream, and the first frame it applies to. */
  app: (Dissector | undefined)[] = [];
  appFrom = new Int32Array(64);

  /**
   * The current stream of the 4-tuple (a, ap) <-> (b, bp), `a` being the "fwd" endpoint (slot 0), or
   * -1; `hash` is tupleHash of the same. Lookups compare the stored bytes, so collisions are harmless.
   */
  find(hash: number, a: Uint8Array, ap: number, b: Uint8Array, bp: number): number {
    const mask = this.table.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const e = this.table[i];
      if (e === 0) return -1;
      if (this.keyIs(e - 1, a, ap, b, bp)) return e - 1;
    }
  }

  private keyIs(s: number, a: Uint8Array, ap: number, b: Uint8Array, bp: number): boolean {
    const n = a.length;
    if (this.keyLen[s] !== 2 * n + 4 || b.length !== n) return false;
    const k = this.keys, o = s * 36;
    if (((k[o + 2 * n] << 8) | k[o + 2 * n + 1]) !== ap || ((k[o + 2 * n + 2] << 8) | k[o + 2 * n + 3]) !== bp) return false;
    for (let i = 0; i < n; i++) if (k[o + i] !== a[i] || k[o + n + i] !== b[i]) return false;
    return true;
  }

  /** Points the 4-tuple at stream `s` (new, or replacing the older stream of a reused 4-tuple). */
  private index(s: number, hash: number, a: Uint8Array, ap: number, b: Uint8Array, bp: number): void {
    if (2 * this.count > this.table.length) this.rehash();
    const n = a.length, o = s * 36;
    this.keys.set(a, o);
    this.keys.set(b, o + n);
    this.keys[o + 2 * n] = ap >> 8; this.keys[o + 2 * n + 1] = ap & 255;
    this.keys[o + 2 * n + 2] = bp >> 8; this.keys[o + 2 * n + 3] = bp & 255;
    this.keyLen[s] = 2 * n + 4;
    const mask = this.table.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const e = this.table[i];
      if (e === 0 || this.sameKey(e - 1, s)) { this.table[i] = s + 1; return; }
    }
  }

  private sameKey(x: number, y: number): boolean {
    const n = this.keyLen[x];
    if (n !== this.keyLen[y]) return false;
    for (let i = 0; i < n; i++) if (this.keys[x * 36 + i] !== this.keys[y * 36 + i]) return false;
    return true;
  }

  /** Doubles the table; only the newest stream of each 4-tuple is in it, so re-insert those. */
  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    const mask = this.table.length - 1;
    for (const e of old) {
      if (e === 0) continue;
      const s = e - 1, o = s * 36;
      let i = keyHash(this.keys, o, this.keyLen[s]) & mask;
      while (this.table[i] !== 0) i = (i + 1) & mask;
      this.table[i] = e;
    }
  }

  /**
   * Makes stream `s`, found by another engine's classifyTcp, exist here from `frame` on, without its
   * 4-tuple: an engine that dissects a partition (read-worker.ts) never looks streams up.
   */
  adopt(s: number, frame: number): void {
    if (s < this.count && this.firstFrame[s] !== 0) return;
    this.room(s);
    this.firstFrame[s] = this.lastFrame[s] = frame;
    while (this.app.length <= s) this.app.push(undefined);
    if (s >= this.count) this.count = s + 1;
  }

  /** Room for stream `s` in the per-stream arrays (two slots a stream for the per-direction ones). */
  private room(s: number): void {
    const slots = 2 * s + 1;
    this.baseSeq = grow(this.baseSeq, slots);
    this.baseSet = grow(this.baseSet, slots);
    this.winScale = grow(this.winScale, slots, WS_UNKNOWN);
    this.closed = grow(this.closed, slots);
    this.scps = grow(this.scps, slots);
    this.accEcn = grow(this.accEcn, s);
    this.firstFrame = grow(this.firstFrame, s);
    this.lastFrame = grow(this.lastFrame, s);
    this.appFrom = grow(this.appFrom, s);
  }

  create(hash: number, a: Uint8Array, ap: number, b: Uint8Array, bp: number, frame: number): number {
    const s = this.count++;
    this.room(s);
    this.firstFrame[s] = this.lastFrame[s] = frame;
    this.app[s] = undefined;
    if (s >= this.keyLen.length) {
      const k = new Uint8Array(this.keys.length * 2); k.set(this.keys); this.keys = k;
      const l = new Uint8Array(this.keyLen.length * 2); l.set(this.keyLen); this.keyLen = l;
    }
    this.index(s, hash, a, ap, b, bp);
    return s;
  }
}

/** Per-frame results of the first pass (see the design note at the top). */
export class TcpFrames {
  /** Stream index + 1 (0: no TCP in that frame). */
  stream = new Int32Array(1024);
  /** Direction slot (0/1) of the frame within its stream. */
  dir = new Uint8Array(1024);
  /** The window scale that applied: shift, -1, -2, or -3 when none is shown (SYN). */
  winScale = new Int8Array(1024);
  /** Previous frame of the same stream (0: none). */
  prev = new Int32Array(1024);
  /** 1 where a FIN answers the peer's FIN (Wireshark's "undergoes the connection closing"). */
  finPassive = new Uint8Array(1024);
  /** Set by classifyTcp: 1 stream preassigned, 2 preassigned as a reused 4-tuple's new stream. */
  preset = new Uint8Array(1024);
  /** 1 where the flags show the AccECN ACE counter instead of AE/CWR/ECE. */
  ace = new Uint8Array(1024);

  ensure(num: number): void {
    if (num < this.stream.length) return; // the columns start and grow together: one test for all
    this.stream = grow(this.stream, num);
    this.dir = grow(this.dir, num);
    this.winScale = grow(this.winScale, num);
    this.prev = grow(this.prev, num);
    this.finPassive = grow(this.finPassive, num);
    this.preset = grow(this.preset, num);
    this.ace = grow(this.ace, num);
  }
}

export class TcpState {
  readonly streams = new TcpStreams();
  readonly frames = new TcpFrames();
  readonly analysis = new TcpAnalysis();
  readonly reassembly = new TcpReassembly();
  /** The Info text of the engine's current packet (one per engine: another engine's packet must not change it). */
  readonly info = new TcpInfo();
}

export function tcpState(ctx: Ctx): TcpState {
  // The capture's state is looked up by name once per capture, not once per segment (the cache keeps
  // the last capture alive only until another capture's first TCP segment).
  if (ctx.capture === lastCapture) return lastState!;
  lastState = ctx.capture.state('tcp', newTcpState);
  lastCapture = ctx.capture;
  return lastState;
}
let lastCapture: CaptureContext | null = null;
let lastState: TcpState | null = null;
function newTcpState(): TcpState {
  return new TcpState();
}

/**
 * Attaches `dissector` to the current packet's TCP stream from this frame on (Wireshark's
 * conversation_set_dissector, as HTTP's heuristic does): later segments of the stream go straight to it.
 */
export function setStreamDissector(ctx: Ctx, dissector: Dissector): void {
  const { pinfo } = ctx;
  if (pinfo.visited || pinfo.tcpStream < 0) return;
  const st = tcpState(ctx).streams;
  if (st.app[pinfo.tcpStream] === undefined) {
    st.app[pinfo.tcpStream] = dissector;
    st.appFrom[pinfo.tcpStream] = pinfo.num;
  }
}

/** FNV-1a over the key bytes as TcpStreams stores them: fwd address, rev address, fwd port, rev port. */
function keyHash(k: Uint8Array, o: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ k[o + i], 0x01000193);
  return h >>> 0;
}
/** keyHash of (a, ap) <-> (b, bp) without building the key. */
function tupleHash(a: Uint8Array, ap: number, b: Uint8Array, bp: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a[i], 0x01000193);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  h = Math.imul(h ^ (ap >> 8), 0x01000193); h = Math.imul(h ^ (ap & 255), 0x01000193);
  h = Math.imul(h ^ (bp >> 8), 0x01000193); h = Math.imul(h ^ (bp & 255), 0x01000193);
  return h >>> 0;
}

/** Wireshark's cmp_address then port order: >= 0 means the source is the "fwd" endpoint (slot 0). */
function compareEndpoints(a: Uint8Array, ap: number, b: Uint8Array, bp: number): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return ap > bp ? 1 : -1;
}

/**
 * Finds or creates the stream of this segment on the first pass (Wireshark's find_or_create_conversation
 * plus its port-reuse rule: a SYN whose sequence number differs from the base of that direction starts a
 * new stream on the same 4-tuple).
 */
function streamOf(st: TcpStreams, src: Uint8Array, dst: Uint8Array, num: number, sport: number, dport: number, flags: number, seq: number, out: StreamOf): void {
  const dir = compareEndpoints(src, sport, dst, dport) >= 0 ? 0 : 1;
  const a = dir === 0 ? src : dst, ap = dir === 0 ? sport : dport;
  const b = dir === 0 ? dst : src, bp = dir === 0 ? dport : sport;
  const hash = tupleHash(a, ap, b, bp);
  let s = st.find(hash, a, ap, b, bp);
  let reused = false;
  if (s < 0) {
    s = st.create(hash, a, ap, b, bp, num);
  } else if ((flags & TH_SYN) !== 0 && st.baseSet[2 * s + dir] === 1 && st.baseSeq[2 * s + dir] !== seq) {
    s = st.create(hash, a, ap, b, bp, num);
    reused = true;
  }
  out.stream = s;
  out.dir = dir;
  out.reused = reused;
}
interface StreamOf { stream: number; dir: number; reused: boolean }

/**
 * The bytes of a network address for streamOf, copied into `four` or `sixteen` when the address lies in
 * the packet (AddressAt): its `bytes` would make a subarray per segment. streamOf keeps copies of its own.
 */
function addrBytes(a: Address, four: Uint8Array, sixteen: Uint8Array): Uint8Array {
  if (a instanceof AddressAt && (a.len === 4 || a.len === 16)) {
    const out = a.len === 4 ? four : sixteen, d = a.data, o = a.off;
    for (let i = 0; i < a.len; i++) out[i] = d[o + i];
    return out;
  }
  return a.bytes;
}
const srcAddr4 = new Uint8Array(4), dstAddr4 = new Uint8Array(4), srcAddr16 = new Uint8Array(16), dstAddr16 = new Uint8Array(16);

/**
 * Relative numbers (packet-tcp.c, "initialize base_seq numbers"): start at 1 when the SYN was not
 * seen, and take the peer's base from the first ACK (usually the SYN/ACK's), as Wireshark does.
 */
function initBases(st: TcpStreams, slot: number, rev: number, flags: number, seqRaw: number, ackRaw: number): void {
  if (st.baseSet[slot] === 0) {
    st.baseSeq[slot] = (flags & TH_SYN) !== 0 ? seqRaw : (seqRaw - 1) >>> 0;
    st.baseSet[slot] = 1;
  }
  if (st.baseSet[rev] === 0 && (flags & TH_ACK) !== 0) {
    st.baseSeq[rev] = (ackRaw - 1) >>> 0;
    st.baseSet[rev] = 1;
  }
}

/**
 * Assigns frame `num`'s TCP segment to its stream ahead of dissection, exactly as dissectTcp's first
 * pass would (the stream table and the base sequence numbers that decide port reuse), and returns the
 * stream index. Partitioned reading (core/dissect/partition.ts) calls it for every frame in order, so
 * that stream numbers stay capture-wide while each partition dissects only its own streams' frames.
 */
export function classifyTcp(ctx: Ctx, num: number, src: Uint8Array, dst: Uint8Array, sport: number, dport: number, flags: number, seqRaw: number, ackRaw: number): number {
  const state = tcpState(ctx);
  const st = state.streams, fr = state.frames;
  fr.ensure(num);
  streamOf(st, src, dst, num, sport, dport, flags, seqRaw, streamOut);
  const { stream, dir, reused } = streamOut;
  fr.stream[num] = stream + 1;
  fr.dir[num] = dir;
  fr.preset[num] = reused ? 2 : 1;
  const slot = 2 * stream + dir, rev = 2 * stream + (dir ^ 1);
  initBases(st, slot, rev, flags, seqRaw, ackRaw);
  const c = tcpClassified;
  c.dir = dir;
  c.reused = reused;
  c.base = st.baseSeq[slot];
  c.baseRev = st.baseSeq[rev];
  c.set = st.baseSet[slot] | (st.baseSet[rev] << 1);
  return stream;
}

/**
 * What the last classifyTcp found besides the stream: all that dissectTcp takes from it, for an engine
 * that dissects the frame without classifying every frame itself (presetTcp). `base`/`baseRev`: the
 * stream's base sequence numbers of the frame's direction and the other one as they stood after it,
 * known where `set` has bit 1 (this direction) or 2 (the other).
 */
export const tcpClassified = { dir: 0, reused: false, base: 0, baseRev: 0, set: 0 };

/**
 * Gives frame `num` what classifyTcp found for it in another engine (tcpClassified there): the
 * partitioned reader's lanes (read-worker.ts) see only their own streams' frames, yet number streams
 * capture-wide and start relative sequence numbers where one engine would.
 */
export function presetTcp(ctx: Ctx, num: number, stream: number, dir: number, reused: boolean, base: number, baseRev: number, set: number): void {
  const state = tcpState(ctx);
  const st = state.streams, fr = state.frames;
  fr.ensure(num);
  st.adopt(stream, num);
  fr.stream[num] = stream + 1;
  fr.dir[num] = dir;
  fr.preset[num] = reused ? 2 : 1;
  const slot = 2 * stream + dir;
  // Bases are set once per direction and never changed (a reused 4-tuple is a new stream).
  if (set & 1) { st.baseSeq[slot] = base; st.baseSet[slot] = 1; }
  if (set & 2) { st.baseSeq[slot ^ 1] = baseRev; st.baseSet[slot ^ 1] = 1; }
}
/** streamOf's answer, reused for every packet (dissection is never re-entered for another frame). */
const streamOut: StreamOf = { stream: 0, dir: 0, reused: false };
/** noteSack's "no blocks": one shared empty list instead of a new [] per segment. */
const NO_SACK: readonly number[] = [];

/**
 * TCP's Info text ("58194 → 85 [PSH, ACK] Seq=1 Ack=1 Win=502 Len=96 TSval=… TSecr=…"), formatted only
 * if no layer above replaces it (HTTP does on nearly every data segment): the numbers are kept, not
 * the text. One object per capture (TcpState), reused for every packet (see LazyInfo).
 */
class TcpInfo implements LazyInfo {
  sport = 0;
  dport = 0;
  /** false while only the ports are known (a header cut short ends the dissection there). */
  full = false;
  flagStr = '';
  relSeq = 0;
  hasAck = false;
  relAck = 0;
  window = 0;
  urg = false;
  urgent = 0;
  segLen = 0;
  /** Options' Info text when formatted at once (options other than optionsFast's), else ''. */
  optText = '';
  /**
   * The options optionsFast took, in their order, as (kind, value, value): MSS (2, mss), WS (3,
   * multiplier), SACK_PERM (4), one SACK block (5, left, right edge, relative), TS (8, TSval, TSecr).
   */
  readonly optKind = new Uint8Array(40);
  readonly optA = new Float64Array(40);
  readonly optB = new Float64Array(40);
  optCount = 0;

  text(): string {
    const ports = `${this.sport} \u2192 ${this.dport}`;
    return this.full ? ports + this.tail() : ports;
  }

  tail(): string {
    let info = ` [${this.flagStr}] Seq=${this.relSeq}`;
    if (this.hasAck) info += ` Ack=${this.relAck}`;
    info += ` Win=${this.window}`;
    if (this.urg) info += ` Urg=${this.urgent}`;
    info += ` Len=${this.segLen}`;
    return this.optCount > 0 ? info + this.optionsText() : info + this.optText;
  }

  /** optionsInfo's text for the options optionsFast took. */
  private optionsText(): string {
    let info = '';
    for (let i = 0; i < this.optCount; i++) {
      switch (this.optKind[i]) {
        case 2: info += ` MSS=${this.optA[i]}`; break;
        case 3: info += ` WS=${this.optA[i]}`; break;
        case 4: info += ' SACK_PERM'; break;
        case 5: info += ` SLE=${this.optA[i]} SRE=${this.optB[i]}`; break;
        default: info += ` TSval=${this.optA[i]} TSecr=${this.optB[i]}`; break;
      }
    }
    return info;
  }

  /** Records an option for optionsText. */
  note(kind: number, a: number, b: number): void {
    const i = this.optCount++;
    this.optKind[i] = kind;
    this.optA[i] = a;
    this.optB[i] = b;
  }
}

/**
 * The application dissector's arguments while TCP hands a payload up through reassembly: a function
 * that reads them, instead of a closure per segment. Saved and restored around each call, so a TCP
 * inside a TCP payload (tunnels) gets its own.
 */
const up = { ctx: null as unknown as Ctx, parent: NO_ITEM as Item, stream: 0, sport: 0, dport: 0 };
function upDissect(t: Tvb): void {
  decodeTcpPayload(t, up.ctx, up.parent, up.stream, up.sport, up.dport);
}

export function dissectTcp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  // Summary passes ('none') add no items: every tree.add below is behind this, with its arguments.
  const items = tree.mode !== 'none';
  pinfo.enter('tcp', 'TCP');
  if (pinfo.columns) pinfo.protocol = 'TCP';
  const sport = tvb.u16(0);
  const dport = tvb.u16(2);
  pinfo.ptype = PortType.TCP;
  pinfo.srcPort = sport;
  pinfo.dstPort = dport;
  const state = tcpState(ctx);
  const ti = state.info;
  if (pinfo.columns) {
    ti.sport = sport;
    ti.dport = dport;
    ti.full = false;
    pinfo.setInfoLazy(ti);
  }

  const top = items ? tree.add(parent, proto_tcp, tvb, 0, -1, null) : NO_ITEM;
  if (items) {
    leaf(tree, top, hf_tcp.srcport, tvb, 0, 2, sport);
    leaf(tree, top, hf_tcp.dstport, tvb, 2, 2, dport);
    leaf(tree, top, hf_tcp.port, tvb, 0, 2, sport, ItemFlags.HIDDEN);
    leaf(tree, top, hf_tcp.port, tvb, 2, 2, dport, ItemFlags.HIDDEN);
    // packet-tcp.c appends to the label as it goes, so a header cut before Seq still names its ports.
    if (tree.full) tree.setText(top, `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}`);
  }

  const seqRaw = tvb.u32(4);
  const ackRaw = tvb.u32(8);
  const offFlags = tvb.u16(12);
  const hlen = (offFlags >> 12) * 4;
  const flags = offFlags & 0xfff;
  if (hlen < 20) {
    // Wireshark stops here with an expert item and this Info text (packet-tcp.c, "Bogus TCP header length").
    if (pinfo.columns) pinfo.appendInfo(`, bogus TCP header length (${hlen}, must be at least 20)`);
    const it = tree.add(top, hf_tcp.hdr_len, tvb, 12, 1, hlen);
    tree.setText(it, `${(offFlags >> 12).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${hlen >> 2}) [bogus, must be at least 20]`);
    tree.setLength(top, 13);
    return tvb.length;
  }
  // A header longer than what was captured (snaplen, or a bogus offset on a short packet) is still
  // dissected as far as its bytes go: tshark 4.0 shows the fixed header, the options it can read and
  // the timestamps, and only then stops with the bounds error (see `capHdr` below).
  const capHdr = Math.min(hlen, tvb.length);
  tree.setLength(top, capHdr);

  // Segment length from the reported (IP) length, so a snaplen-cut segment still has its real length.
  const segLen = Math.max(0, tvb.reportedLength - hlen);

  // Conversation state: updated on the first pass only; a revisit reads what the first pass stored.
  const st = state.streams, fr = state.frames;
  const num = pinfo.num;
  fr.ensure(num);
  let stream: number, dir: number;
  let reused = false;
  const firstPass = !pinfo.visited || fr.stream[num] === 0;
  if (firstPass) {
    const pre = fr.preset[num];
    if (pre !== 0) {
      // classifyTcp (partitioned reading) already found the stream and set its bases.
      stream = fr.stream[num] - 1;
      dir = fr.dir[num];
      reused = pre === 2;
    } else {
      streamOf(st, addrBytes(pinfo.netSrc, srcAddr4, srcAddr16), addrBytes(pinfo.netDst, dstAddr4, dstAddr16), pinfo.num, sport, dport, flags, seqRaw, streamOut);
      stream = streamOut.stream;
      dir = streamOut.dir;
      reused = streamOut.reused;
      fr.stream[num] = stream + 1;
      fr.dir[num] = dir;
      initBases(st, 2 * stream + dir, 2 * stream + (dir ^ 1), flags, seqRaw, ackRaw);
    }
    const slot = 2 * stream + dir, rev = 2 * stream + (dir ^ 1);
    fr.prev[num] = st.lastFrame[stream] === num ? 0 : st.lastFrame[stream];
    st.lastFrame[stream] = num;
    // packet-tcp.c: the first side to send FIN initiates the closing, the other undergoes it.
    if (flags & TH_FIN) fr.finPassive[num] = st.closed[rev] === 1 && st.closed[slot] === 0 ? 1 : 0;
    if (flags & (TH_FIN | TH_RST)) st.closed[slot] = 1;
    // Accurate ECN (draft-ietf-tcpm-accurate-ecn §3.1.1): a SYN with AE, CWR and ECE asks for it, a
    // SYN/ACK with any of them agrees; from then on tshark 4.0 reads the three bits as the ACE counter.
    if (flags & TH_SYN) {
      if (!(flags & TH_ACK)) {
        if ((flags & TH_ACE) === TH_ACE) st.accEcn[stream] |= ACC_SYN;
      } else if ((flags & TH_ACE) !== 0 && (st.accEcn[stream] & ACC_SYN)) {
        st.accEcn[stream] |= ACC_SYNACK;
      }
    }
    fr.ace[num] = (flags & TH_SYN) === 0 && (st.accEcn[stream] & ACC_SYNACK) !== 0 ? 1 : 0;
  } else {
    stream = fr.stream[num] - 1;
    dir = fr.dir[num];
  }
  const slot = 2 * stream + dir, rev = 2 * stream + (dir ^ 1);
  pinfo.tcpStream = stream;

  const relSeq = (seqRaw - st.baseSeq[slot]) >>> 0;
  const hasAck = (flags & TH_ACK) !== 0;
  const relAck = hasAck ? (ackRaw - st.baseSeq[rev]) >>> 0 : ackRaw;
  // SYN and FIN take a sequence number (RFC 9293 §3.4); packet-tcp.c adds one for either or both
  // (corpus frame 8999, SYN and FIN together: Next Sequence Number 1).
  const nxtSeq = (relSeq + segLen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;

  // Wireshark's defaults unless a preference was set (-o): no map lookups on a capture without any.
  const prefs = ctx.capture.prefs;
  const analyze = prefs.size === 0 || ctx.capture.pref('tcp.analyze_sequence_numbers', true);
  const an = state.analysis;
  if (analyze && firstPass) an.noteCompleteness(num, stream, flags, segLen, st.firstFrame[stream] === num, reused);
  const ace = fr.ace[num] === 1;
  const flagStr = tcpFlagsToStr(flags, ace);
  if (items) headerItems(tvb, ctx, top, state, num, stream, firstPass, analyze, seqRaw, ackRaw, relSeq, relAck, nxtSeq, hlen, flags, segLen, sport, dport, flagStr, ace);

  const winValue = tvb.u16(14);
  if (items) tree.add(top, hf_tcp.window_size_value, tvb, 14, 2, winValue);
  const checksum = tvb.u16(16);
  const urgent = tvb.u16(18);

  // Options (RFC 9293 §3.2): their Info text comes after "Len=", so collect it while walking them.
  // The peer's SACK blocks hold until its next segment: one without SACK clears them (tshark 4.0's
  // bytes in flight stop subtracting them then).
  if (firstPass && analyze) an.noteSack(stream, rev, NO_SACK);
  ti.optCount = 0;
  let optText = '';
  let optSimple = true;
  if (hlen > 20) {
    // The common options are noted as numbers in TcpInfo, formatted only if the Info is shown.
    optSimple = capHdr === hlen && optionsFast(tvb, ctx, hlen, flags, slot, rev, st, pinfo.columns ? ti : null);
    if (!optSimple) {
      ti.optCount = 0;
      optText = optionsInfo(tvb, ctx, hlen, flags, slot, rev, st);
    }
  }

  // Window scaling, decided once per frame on the first pass (Wireshark's verify_tcp_window_scaling
  // after a SYN's options, then "window scaling does not apply to SYN" for the value itself).
  let ws: number;
  if (!pinfo.visited) {
    if (flags & TH_SYN) {
      if (st.winScale[slot] === WS_UNKNOWN) {
        // This SYN (or SYN/ACK) has no WS option: RFC 7323 §1.3, scaling is off in both directions.
        st.winScale[slot] = WS_NONE;
        st.winScale[rev] = WS_NONE;
      } else if (hasAck && st.winScale[rev] === WS_NONE) {
        st.winScale[slot] = WS_NONE;
      }
      ws = WS_NOT_SHOWN;
    } else {
      ws = st.winScale[slot];
    }
    fr.winScale[num] = ws;
  } else {
    ws = fr.winScale[num];
  }
  const window = ws >= 0 ? winValue * (1 << ws) : winValue;
  // SEQ/ACK analysis on the first pass (tcp_analyze_sequence_number sees raw numbers and the
  // calculated window); a revisit prints what it stored.
  if (analyze && firstPass) {
    // Times relative to the stream's first frame: exact differences however far frame 1 is.
    an.analyze(num, ctx.capture.deltaNs(num, st.firstFrame[stream]), stream, slot, rev, seqRaw, ackRaw, segLen, flags, window, reused);
  }
  if (items) trailerItems(tvb, ctx, top, st, fr.prev[num], num, stream, slot, rev, hlen, flags, ws, window, checksum, urgent, optSimple);

  if (pinfo.columns) {
    // The Info tail, into TcpInfo while it is still pending (nothing read or replaced the column since).
    const pending = pinfo.pendingInfo === ti;
    ti.flagStr = flagStr;
    ti.relSeq = relSeq;
    ti.hasAck = hasAck;
    ti.relAck = relAck;
    ti.window = window;
    ti.urg = (flags & TH_URG) !== 0;
    ti.urgent = urgent;
    ti.segLen = segLen;
    ti.optText = optText;
    if (pending) ti.full = true;
    else pinfo.appendInfo(ti.tail());
  }
  // The header was cut short: all that its captured bytes allow is shown, now the bounds error
  // (tshark 4.0 stops here too, after [Timestamps] and before [SEQ/ACK analysis]).
  if (capHdr < hlen) tvb.ensure(0, hlen);
  // The analysis' items only where some may be recorded; its Info markers always.
  const ta = !analyze ? 0 : items && tree.wantsAny(ANALYSIS_ITEMS) ? an.print(ctx, tvb, top, hf_tcp_analysis, num, stream) : an.printInfo(pinfo, num);

  const payloadLen = tvb.length - hlen;
  const desegment = prefs.size === 0 || ctx.capture.pref('tcp.desegment_tcp_streams', true);
  if (firstPass && taps.tcp.size > 0) {
    const p = payloadLen > 0 ? tvb.bytesAt(hlen, payloadLen) : new Uint8Array(0);
    const t = { frame: num, stream, src: pinfo.netSrc, srcPort: sport, dst: pinfo.netDst, dstPort: dport, seq: relSeq, ack: hasAck ? relAck : -1, payload: p };
    for (const fn of taps.tcp) fn(t);
  }
  if (segLen > 0 && payloadLen > 0 && (flags & TH_RST)) {
    // RFC 1122 §4.2.2.12: a RST may carry text explaining it; packet-tcp.c shows it as such and hands
    // nothing up (corpus frames 9001-9004).
    if (tree.wants(hf_tcp.reset_cause)) tree.add(top, hf_tcp.reset_cause, tvb, hlen, payloadLen, resetCause(tvb, hlen, payloadLen));
  } else if (segLen > 0 && payloadLen >= 0) {
    const payload = tvb.sub(hlen);
    if (items && tree.wants(hf_tcp.payload) && payload.length > 0) {
      const p = tree.add(top, hf_tcp.payload, payload, 0, payload.length, payload.bytesAt(0, payload.length));
      if (tree.full) tree.setText(p, `TCP payload (${segLen} byte${segLen === 1 ? '' : 's'})`);
    }
    if (ta & TA.SPURIOUS_RETRANSMISSION) {
      // Data the peer has already acknowledged: tshark 4.0 neither hands it up nor shows it as segment data.
    } else if (ta & (TA.RETRANSMISSION | TA.OUT_OF_ORDER)) {
      // tcp.no_subdissector_on_error (default on): a retransmitted or out-of-order segment is not
      // handed up, so protocols that need in-order PDUs are not confused (packet-tcp.c).
      // tshark 4.0 shows no segment data for an out-of-order SYN's data (a retransmitted one has it)
      // nor for a segment the capture cut (corpus frames 4746-4748, 7183).
      const oooSyn = (flags & TH_SYN) !== 0 && (ta & TA.RETRANSMISSION) === 0;
      if (tree.wants(hf_tcp_rsm.segment_data) && !oooSyn && payloadLen >= segLen) {
        const it = tree.add(top, hf_tcp_rsm.segment_data, payload, 0, payload.length, payload.bytesAt(0, payload.length));
        if (tree.full) tree.setText(it, `Retransmitted TCP segment data (${payload.length} byte${payload.length === 1 ? '' : 's'})`);
      }
    } else if (desegment && (flags & TH_SYN) === 0) {
      desegmentUp(state, ctx, payload, top, parent, slot, stream, sport, dport, relSeq, (relSeq + segLen) >>> 0, (flags & TH_FIN) !== 0);
    } else {
      // Not desegmenting: the payload may be part of a PDU that goes on in later segments, so reading
      // past it is "Unreassembled Packet", not malformed (packet-tcp.c marks it with tvb_set_fragment).
      decodeTcpPayload(desegment ? payload : payload.asFragment(), ctx, parent, stream, sport, dport);
    }
  } else if (segLen === 0 && (flags & TH_FIN) && desegment && state.reassembly.wantsFin(num, slot, !firstPass)) {
    desegmentUp(state, ctx, tvb.sub(hlen, 0), top, parent, slot, stream, sport, dport, relSeq, relSeq, true);
  }
  return tvb.length;
}

/** state.reassembly.desegment with `up` set for this segment (and put back after, for an outer TCP). */
function desegmentUp(state: TcpState, ctx: Ctx, payload: Tvb, top: Item, parent: Item, slot: number, stream: number, sport: number, dport: number, seq: number, nxtseq: number, fin: boolean): void {
  const c0 = up.ctx, p0 = up.parent, s0 = up.stream, a0 = up.sport, b0 = up.dport;
  up.ctx = ctx; up.parent = parent; up.stream = stream; up.sport = sport; up.dport = dport;
  try {
    state.reassembly.desegment(ctx, payload, top, hf_tcp_rsm, slot, seq, nxtseq, fin, upDissect);
  } finally {
    up.ctx = c0; up.parent = p0; up.stream = s0; up.sport = a0; up.dport = b0;
  }
}

/** The fixed header's items from the stream index to the flags (tree modes other than 'none'). */
function headerItems(tvb: Tvb, ctx: Ctx, top: Item, state: TcpState, num: number, stream: number, firstPass: boolean, analyze: boolean,
  seqRaw: number, ackRaw: number, relSeq: number, relAck: number, nxtSeq: number, hlen: number, flags: number, segLen: number,
  sport: number, dport: number, flagStr: string, ace: boolean): void {
  const { tree } = ctx;
  const hasAck = (flags & TH_ACK) !== 0;
  if (tree.full) {
    tree.setText(top, `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${relSeq}${hasAck ? `, Ack: ${relAck}` : ''}, Len: ${segLen}`);
  }
  leaf(tree, top, hf_tcp.stream, tvb, 0, 0, stream, ItemFlags.GENERATED);
  if (analyze) {
    const an = state.analysis;
    an.fr.ensure(num);
    // A second pass shows the stream's final state, as tshark -2 and the Wireshark UI do.
    const cv = firstPass ? an.fr.complete[num] : an.flows.complete[stream];
    const ci = leaf(tree, top, hf_tcp_completeness, tvb, 0, 0, cv, ItemFlags.GENERATED);
    if (tree.full) tree.setText(ci, `[Conversation completeness: ${completenessText(cv)}]`);
  }
  leaf(tree, top, hf_tcp.len, tvb, 0, 0, segLen, ItemFlags.GENERATED);
  const seqIt = leaf(tree, top, hf_tcp.seq, tvb, 4, 4, relSeq);
  if (tree.full) tree.setValueText(seqIt, `${relSeq}    (relative sequence number)`);
  leaf(tree, top, hf_tcp.seq_raw, tvb, 4, 4, seqRaw);
  const nx = leaf(tree, top, hf_tcp.nxtseq, tvb, 0, 0, nxtSeq, ItemFlags.GENERATED);
  if (tree.full) tree.setValueText(nx, `${nxtSeq}    (relative sequence number)`);
  const ackNonzero = !hasAck && ackRaw !== 0;
  const ackIt = ackNonzero ? tree.add(top, hf_tcp.ack, tvb, 8, 4, relAck) : leaf(tree, top, hf_tcp.ack, tvb, 8, 4, relAck);
  if (tree.full && hasAck) tree.setValueText(ackIt, `${relAck}    (relative ack number)`);
  // RFC 9293 §3.1: without ACK the field carries nothing; packet-tcp.c notes a nonzero one.
  if (ackNonzero) addExpert(ctx, ackIt, tvb, 8, 4, ei_tcp.ack_nonzero);
  leaf(tree, top, hf_tcp.ack_raw, tvb, 8, 4, ackRaw);
  const hl = leaf(tree, top, hf_tcp.hdr_len, tvb, 12, 1, hlen);
  if (tree.full) tree.setText(hl, `${(hlen >> 2).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${hlen >> 2})`);

  // The flags subtree holds only leaves unless RST, SYN or FIN add their expert items.
  if ((flags & (TH_RST | TH_SYN | TH_FIN)) === 0 && !tree.wantsAny(FLAG_ITEMS)) return;
  const fl = tree.add(top, hf_tcp.flags, tvb, 12, 2, flags);
  // The whole label: packet-tcp.c formats it without the bit pattern of the 12-bit mask.
  if (tree.full) tree.setText(fl, `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagStr})`);
  // Wireshark's bitmask items cover only the byte(s) their bits are in.
  const resIt = leaf(tree, fl, hf_tcp.flags_res, tvb, 12, 1, (flags & TH_RES) !== 0);
  // A boolean's bit pattern shows its whole mask; tshark shows which of the three reserved bits are set.
  if (tree.full && (flags & TH_RES) !== 0 && (flags & TH_RES) !== TH_RES) {
    tree.setText(resIt, `${(flags >> 11) & 1}${(flags >> 10) & 1}${(flags >> 9) & 1}. .... .... = Reserved: Set`);
  }
  if (ace) {
    const a = aceOf(flags);
    const it = leaf(tree, fl, hf_tcp.flags_ace, tvb, 12, 2, a);
    if (tree.full) tree.setText(it, `...${(flags >> 8) & 1} ${(flags >> 7) & 1}${(flags >> 6) & 1}.. .... = ACE: ${a}`);
  } else {
    leaf(tree, fl, hf_tcp.flags_ae, tvb, 12, 1, (flags & TH_AE) !== 0);
    leaf(tree, fl, hf_tcp.flags_cwr, tvb, 13, 1, (flags & TH_CWR) !== 0);
    leaf(tree, fl, hf_tcp.flags_ece, tvb, 13, 1, (flags & TH_ECE) !== 0);
  }
  leaf(tree, fl, hf_tcp.flags_urg, tvb, 13, 1, (flags & TH_URG) !== 0);
  leaf(tree, fl, hf_tcp.flags_ack, tvb, 13, 1, hasAck);
  leaf(tree, fl, hf_tcp.flags_push, tvb, 13, 1, (flags & TH_PUSH) !== 0);
  const rstIt = flags & TH_RST ? tree.add(fl, hf_tcp.flags_reset, tvb, 13, 1, true) : leaf(tree, fl, hf_tcp.flags_reset, tvb, 13, 1, false);
  if (flags & TH_RST) addExpert(ctx, rstIt, tvb, 13, 1, ei_tcp.rst);
  const synIt = flags & TH_SYN ? tree.add(fl, hf_tcp.flags_syn, tvb, 13, 1, true) : leaf(tree, fl, hf_tcp.flags_syn, tvb, 13, 1, false);
  if (flags & TH_SYN) {
    if (hasAck) addExpert(ctx, synIt, tvb, 13, 1, ei_tcp.synack, `Connection establish acknowledge (SYN+ACK): server port ${sport}`);
    else addExpert(ctx, synIt, tvb, 13, 1, ei_tcp.syn, `Connection establish request (SYN): server port ${dport}`);
  }
  const finIt = flags & TH_FIN ? tree.add(fl, hf_tcp.flags_fin, tvb, 13, 1, true) : leaf(tree, fl, hf_tcp.flags_fin, tvb, 13, 1, false);
  if (flags & TH_FIN) addExpert(ctx, finIt, tvb, 13, 1, ei_tcp.fin);
  let fs: Item = NO_ITEM;
  if (tree.wants(hf_tcp.flags_str)) {
    const letters = flagsLetters(flags, ace);
    fs = tree.add(fl, hf_tcp.flags_str, tvb, 12, 2, letters, ItemFlags.GENERATED);
    if (tree.full) tree.setText(fs, `TCP Flags: ${letters}`);
  }
  if (flags & TH_FIN) addExpert(ctx, fs, tvb, 12, 2, state.frames.finPassive[num] ? ei_tcp.fin_passive : ei_tcp.fin_active);
}

/** The items after the window value: calculated window, checksum, urgent pointer, options, [Timestamps]. */
function trailerItems(tvb: Tvb, ctx: Ctx, top: Item, st: TcpStreams, prev: number, num: number, stream: number, slot: number, rev: number,
  hlen: number, flags: number, ws: number, window: number, checksum: number, urgent: number, optSimple: boolean): void {
  const { tree } = ctx;
  leaf(tree, top, hf_tcp.window_size, tvb, 14, 2, window, ItemFlags.GENERATED);
  if (ws !== WS_NOT_SHOWN) {
    const factor = ws >= 0 ? 1 << ws : ws;
    const sf = leaf(tree, top, hf_tcp.window_size_scalefactor, tvb, 14, 2, factor, ItemFlags.GENERATED);
    if (tree.full && ws === WS_UNKNOWN) tree.setValueText(sf, '-1 (unknown)');
    if (tree.full && ws === WS_NONE) tree.setValueText(sf, '-2 (no window scaling used)');
  }

  const ck = leaf(tree, top, hf_tcp.checksum, tvb, 16, 2, checksum);
  if (tree.full) tree.setValueText(ck, `0x${checksum.toString(16).padStart(4, '0')} [unverified]`);
  leaf(tree, top, hf_tcp.checksum_status, tvb, 16, 0, CHECKSUM_UNVERIFIED, ItemFlags.GENERATED);
  if ((flags & TH_URG) === 0 && urgent !== 0) {
    const urgIt = tree.add(top, hf_tcp.urgent_pointer, tvb, 18, 2, urgent);
    addExpert(ctx, urgIt, tvb, 18, 2, ei_tcp.urgent_nonzero);
  } else {
    leaf(tree, top, hf_tcp.urgent_pointer, tvb, 18, 2, urgent);
  }

  // The option items come after the urgent pointer, as in Wireshark's tree; their state and Info text
  // were taken above (optionsInfo) because the window items need the scale a SYN's option sets.
  // A 'fields' pass that wants none of their items skips them whole (and the subarrays of their values),
  // unless they are of a kind whose items may read past the captured bytes (SCPS) and so end the packet.
  if (hlen > 20 && (!optSimple || tree.wantsAny(OPTION_ITEMS))) dissectOptionsTree(tvb, ctx, top, hlen, flags, slot, rev, st);

  // [Timestamps] (Wireshark's tcp_calculate_timestamps): times relative to the stream's first frame
  // and to the stream's previous frame, from the capture's per-frame times.
  if (!tree.wantsAny(TIMESTAMP_ITEMS)) return;
  const tsTree = addText(ctx, top, tvb, 0, 0, '[Timestamps]', ItemFlags.GENERATED);
  // Exact beyond 104 days too (odd captures with clock jumps): a bigint there, as tshark's nstime.
  tree.add(tsTree, hf_tcp.time_relative, tvb, 0, 0, ctx.capture.exactDeltaNs(num, st.firstFrame[stream]), ItemFlags.GENERATED);
  tree.add(tsTree, hf_tcp.time_delta, tvb, 0, 0, prev > 0 ? ctx.capture.exactDeltaNs(num, prev) : 0, ItemFlags.GENERATED);
}

/** The reset cause as ENC_ASCII reads it in Wireshark 4.0: bytes above 0x7f are U+FFFD, a NUL ends it. */
function resetCause(tvb: Tvb, off: number, len: number): string {
  let out = '';
  for (let i = 0; i < len; i++) {
    const c = tvb.u8(off + i);
    if (c === 0) break;
    out += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
  }
  return out;
}

/**
 * Hands the payload on as Wireshark's decode_tcp_ports does: the stream's attached dissector, then the
 * lower port, then the higher port, then the heuristics, then data.
 */
function decodeTcpPayload(payload: Tvb, ctx: Ctx, parent: Item, stream: number, sport: number, dport: number): void {
  const st = tcpState(ctx).streams;
  const app = st.app[stream];
  if (app !== undefined && ctx.pinfo.num >= st.appFrom[stream]) {
    app(payload, ctx, parent);
    return;
  }
  const low = sport < dport ? sport : dport, high = sport < dport ? dport : sport;
  if (tables.tcpPort.tryDissect(low, payload, ctx, parent)) return;
  if (high !== low && tables.tcpPort.tryDissect(high, payload, ctx, parent)) return;
  if (tables.tcpHeuristic.tryDissect(payload, ctx, parent)) return;
  dissectData(payload, ctx, parent);
}

/**
 * optionsInfo's state for the options nearly every segment carries (NOP, EOL, MSS, WS, SACK_PERM,
 * SACK, Timestamps), whole within the captured header, their Info values noted in `ti` (formatted only
 * if shown). False at any other option or a bad length: optionsInfo then walks them all again (the
 * state this applied, a SYN's shift and the SACK blocks, it applies the same).
 */
function optionsFast(tvb: Tvb, ctx: Ctx, hlen: number, flags: number, slot: number, rev: number, st: TcpStreams, ti: TcpInfo | null): boolean {
  const first = !ctx.pinfo.visited;
  let off = 20;
  while (off < hlen) {
    const kind = tvb.u8(off);
    if (kind === 0) return true;
    if (kind === 1) { off++; continue; }
    if (off + 1 >= hlen) return false;
    const len = tvb.u8(off + 1);
    if (len < 2 || off + len > hlen) return false;
    switch (kind) {
      case 2:
        if (len === 4 && ti !== null) ti.note(2, tvb.u16(off + 2), 0);
        break;
      case 3:
        if (len === 3) {
          const shift = tvb.u8(off + 2);
          if (ti !== null) ti.note(3, 1 << Math.min(shift, 14), 0);
          if (first && (flags & TH_SYN)) st.winScale[slot] = Math.min(shift, 14);
        }
        break;
      case 4:
        if (len === 2 && ti !== null) ti.note(4, 0, 0);
        break;
      case 5: {
        const base = st.baseSeq[rev];
        const blocks: number[] | null = first ? [] : null;
        for (let p = off + 2; p + 8 <= off + len; p += 8) {
          const l = tvb.u32(p), r = tvb.u32(p + 4);
          blocks?.push(l, r);
          if (ti !== null) ti.note(5, (l - base) >>> 0, (r - base) >>> 0);
        }
        if (blocks !== null) tcpState(ctx).analysis.noteSack(slot >> 1, rev, blocks);
        break;
      }
      case 8:
        if (len === 10 && ti !== null) ti.note(8, tvb.u32(off + 2), tvb.u32(off + 6));
        break;
      default:
        return false;
    }
    off += len;
  }
  return true;
}

/**
 * Walks the options for state and Info only (window scale must be known before the window items).
 * Stops at End of Option List (what follows is padding) and at the end of the captured bytes.
 */
function optionsInfo(tvb: Tvb, ctx: Ctx, hlen: number, flags: number, slot: number, rev: number, st: TcpStreams): string {
  const { pinfo } = ctx;
  const end = Math.min(hlen, tvb.length);
  let info = '';
  let off = 20;
  while (off < end) {
    const kind = tvb.u8(off);
    if (kind === 0) break;
    if (kind === 1) { off++; continue; }
    if (off + 1 >= end) break;
    const len = tvb.u8(off + 1);
    if (len < 2 || off + len > hlen) break;
    // packet-tcp.c's TCP-AO dissector writes its Info text first, so a cut option still shows it
    // (with no space before it, as tshark 4.0 prints).
    if (kind === 29) info += 'TCP AO';
    if (off + len > end) break;
    switch (kind) {
      case 2:
        if (len === 4) info += ` MSS=${tvb.u16(off + 2)}`;
        break;
      case 3:
        if (len === 3) {
          const shift = tvb.u8(off + 2);
          // RFC 7323 §2.3: a shift above 14 is used as 14.
          info += ` WS=${1 << Math.min(shift, 14)}`;
          if (!pinfo.visited && (flags & TH_SYN)) st.winScale[slot] = Math.min(shift, 14);
        }
        break;
      case 4:
        if (len === 2) info += ' SACK_PERM';
        break;
      case 5: {
        const base = st.baseSeq[rev];
        const blocks: number[] = [];
        for (let p = off + 2; p + 8 <= off + len; p += 8) {
          blocks.push(tvb.u32(p), tvb.u32(p + 4));
          info += ` SLE=${(tvb.u32(p) - base) >>> 0} SRE=${(tvb.u32(p + 4) - base) >>> 0}`;
        }
        if (!pinfo.visited) tcpState(ctx).analysis.noteSack(slot >> 1, rev, blocks);
        break;
      }
      case 8:
        if (len === 10) info += ` TSval=${tvb.u32(off + 2)} TSecr=${tvb.u32(off + 6)}`;
        break;
      case 20:
        info += scpsInfo(tvb, off, len, slot, st, !pinfo.visited);
        break;
      case 34:
        info += tfoInfo(len);
        break;
      case TCPOPT_ACC_ECN_0:
      case TCPOPT_ACC_ECN_1:
        info += accEcnInfo(tvb, off + 2, len - 2, kind === TCPOPT_ACC_ECN_1);
        break;
      case 253:
      case 254: {
        if (len < 4) {
          if (len === 2) info += ' Expxx=1';
          break;
        }
        const exid = tvb.u16(off + 2);
        if (exid === EXID_TFO) info += tfoInfo(len - 2);
        else if (exid === EXID_ACC_ECN_0 || exid === EXID_ACC_ECN_1) info += accEcnInfo(tvb, off + 4, len - 4, exid === EXID_ACC_ECN_1);
        break;
      }
      default:
        break;
    }
    off += len;
  }
  return info;
}

/** RFC 7413 §4.1.1: a bare option asks for a cookie (TFO=R), one with bytes carries it (TFO=C). */
function tfoInfo(len: number): string {
  return len === 2 ? ' TFO=R' : len > 2 ? ' TFO=C' : '';
}

/** AccECN counters in the option's order (order 1 starts with EE1B), as "EE0B=n ECEB=n EE1B=n". */
function accEcnInfo(tvb: Tvb, off: number, len: number, order1: boolean): string {
  const names = order1 ? ACC_ECN_ORDER1 : ACC_ECN_ORDER0;
  let info = '';
  for (let i = 0; i < 3 && 3 * i + 3 <= len; i++) info += ` ${names[i]}=${tvb.u24(off + 3 * i)}`;
  return info;
}
const ACC_ECN_ORDER0 = ['EE0B', 'ECEB', 'EE1B'] as const;
const ACC_ECN_ORDER1 = ['EE1B', 'ECEB', 'EE0B'] as const;

/**
 * SCPS capabilities (CCSDS 714.0-B-2 §3.2.3): a 4-byte option gives the capability vector and a
 * connection ID; any other length is "extended capabilities", read only after a 4-byte one was seen
 * in that direction (packet-tcp.c flow->scps_capable).
 */
function scpsInfo(tvb: Tvb, off: number, len: number, slot: number, st: TcpStreams, first: boolean): string {
  let info = '';
  if (len === 4) {
    const vec = tvb.u8(off + 2);
    if (vec !== 0) info += ` SCPS[${SCPS_CAPS.filter(([m]) => vec & m).map(([, n]) => n).join(', ')}]`;
    const connid = tvb.u8(off + 3);
    if (connid !== 0) info += ` Connection ID=${connid}`;
    if (first) st.scps[slot] = 1;
  } else if (st.scps[slot] === 1) {
    for (let p = 2; p < len; ) {
      info += ` EXCAP=${tvb.u8(off + p)}`;
      p += 2 + ((tvb.u8(off + p + 1) >> 4) << 1);
    }
  }
  return info;
}

/**
 * Adds the options' tree items (Wireshark's dissect_ip_tcp_options with the TCP option table).
 * Items stop at the captured bytes: an option cut by the capture shows its kind (and length) and no
 * more, as tshark 4.0 does before its bounds error after [Timestamps].
 */
function dissectOptionsTree(tvb: Tvb, ctx: Ctx, top: Item, hlen: number, flags: number, slot: number, rev: number, st: TcpStreams): void {
  const { tree } = ctx;
  // The caller skips them on 'fields' passes that read none of OPTION_ITEMS.
  if (tree.mode === 'none') return;
  const optLen = hlen - 20;
  const end = Math.min(hlen, tvb.length);
  const opts = tree.add(top, hf_tcp.options, tvb, 20, end - 20, tvb.bytesAt(20, end - 20));
  const names: string[] = [];
  let off = 20;
  let eol = false;
  // packet-tcp.c counts NOPs within one 32-bit word (a run restarts on a word boundary) and warns at
  // the fourth: padding that long suggests a middlebox blanked options.
  let nops = 0;
  let mss = false;
  while (off < end) {
    const kind = tvb.u8(off);
    if (eol && kind !== 0) {
      // packet-tcp.c dissect_tcpopt_eol: after End of Option List only zero padding may follow.
      const pad = addText(ctx, opts, tvb, off, end - off, 'Non-zero header padding');
      addExpert(ctx, pad, tvb, off, 0, ei_tcp.nonzero_padding, 'Non-zero header padding');
      break;
    }
    if (kind === 1) {
      if (nops === 0 || off % 4 !== 0) {
        if (++nops === 4) addExpert(ctx, opts, tvb, off, 1, ei_tcp.nop);
      } else {
        nops = 0;
      }
    }
    if (kind === 0 || kind === 1) {
      const p = kind === 0 ? proto_tcp_option.eol : proto_tcp_option.nop;
      eol ||= kind === 0;
      names.push(p.shortName!);
      const it = tree.add(opts, p, tvb, off, 1, tvb.bytesAt(off, 1));
      if (tree.full) tree.setText(it, p.name);
      optionKind(ctx, it, tvb, off, kind);
      off++;
      continue;
    }
    if (off + 1 >= hlen) {
      names.push('Unknown');
      break;
    }
    if (off + 1 >= end) {
      const field = optionProto(kind, 0);
      const it = tree.add(opts, field, tvb, off, 1, tvb.bytesAt(off, 1));
      if (tree.full) tree.setText(it, field.name);
      optionKind(ctx, it, tvb, off, kind);
      break;
    }
    const len = tvb.u8(off + 1);
    if (len < 2 || off + len > hlen) {
      // Wireshark: "option goes past end of options" / bad length: show what is there and stop.
      const it = tree.add(opts, proto_tcp_option.unknown, tvb, off, end - off, tvb.bytesAt(off, end - off));
      if (tree.full) tree.setText(it, `${proto_tcp_option.unknown.name} (length ${len} invalid)`);
      names.push('Unknown');
      break;
    }
    const field = optionProto(kind, len);
    if (off + len > end) {
      // Cut by the capture: the option's captured bytes, its kind and length.
      const it = tree.add(opts, field, tvb, off, end - off, tvb.bytesAt(off, end - off));
      if (tree.full) tree.setText(it, field.name);
      optionKind(ctx, it, tvb, off, kind);
      tree.add(it, hf_tcp.option_len, tvb, off + 1, 1, len);
      // TCP-AO's key IDs come before its MAC, so tshark shows them when only the MAC is cut.
      if (field === proto_tcp_option.ao && off + 4 <= end) {
        tree.add(it, hf_tcp_opt.ao_keyid, tvb, off + 2, 1, tvb.u8(off + 2));
        tree.add(it, hf_tcp_opt.ao_rnextkeyid, tvb, off + 3, 1, tvb.u8(off + 3));
      }
      // tshark names an option in the Options label only once it was read whole.
      break;
    }
    const it = tree.add(opts, field, tvb, off, len, tvb.bytesAt(off, len));
    optionKind(ctx, it, tvb, off, kind);
    tree.add(it, hf_tcp.option_len, tvb, off + 1, 1, len);
    let label = field.name;
    switch (field) {
      case proto_tcp_option.md5:
        tree.add(it, hf_tcp_opt.md5_digest, tvb, off + 2, len - 2, tvb.bytesAt(off + 2, len - 2));
        break;
      case proto_tcp_option.ao:
        if (len >= 4) {
          tree.add(it, hf_tcp_opt.ao_keyid, tvb, off + 2, 1, tvb.u8(off + 2));
          tree.add(it, hf_tcp_opt.ao_rnextkeyid, tvb, off + 3, 1, tvb.u8(off + 3));
          tree.add(it, hf_tcp_opt.ao_mac, tvb, off + 4, len - 4, tvb.bytesAt(off + 4, len - 4));
        }
        break;
      case proto_tcp_option.scps: {
        const l = scpsTree(ctx, it, tvb, off, len, st.scps[slot] === 1);
        if (l !== '') label = l;
        break;
      }
      case proto_tcp_option.tfo:
        tfoTree(ctx, it, tvb, off, len);
        break;
      case proto_tcp_option.acc_ecn:
        label += accEcnTree(ctx, it, tvb, off + 2, len - 2, kind === TCPOPT_ACC_ECN_1);
        break;
      case proto_tcp_option.experimental: {
        if (len < 4) {
          tree.add(it, hf_tcp_opt.exp_data, tvb, off + 2, len - 2, tvb.bytesAt(off + 2, len - 2));
          break;
        }
        const exid = tvb.u16(off + 2);
        tree.add(it, hf_tcp_opt.exp_exid, tvb, off + 2, 2, exid);
        label += `: ${EXIDS[exid] ?? 'Unknown'}`;
        if (exid === EXID_TFO) tfoTree(ctx, it, tvb, off + 2, len - 2);
        else if (exid === EXID_ACC_ECN_0 || exid === EXID_ACC_ECN_1) label += accEcnTree(ctx, it, tvb, off + 4, len - 4, exid === EXID_ACC_ECN_1);
        break;
      }
      case proto_tcp_option.mss: {
        const v = tvb.u16(off + 2);
        tree.add(it, hf_tcp.mss_val, tvb, off + 2, 2, v);
        label += `: ${v} bytes`;
        mss = true;
        break;
      }
      case proto_tcp_option.wscale: {
        const shift = tvb.u8(off + 2);
        const mult = 1 << Math.min(shift, 14);
        tree.add(it, hf_tcp.wscale_shift, tvb, off + 2, 1, shift);
        tree.add(it, hf_tcp.wscale_multiplier, tvb, off + 2, 1, mult, ItemFlags.GENERATED);
        label += `: ${shift} (multiply by ${mult})`;
        break;
      }
      case proto_tcp_option.sack: {
        const base = st.baseSeq[rev];
        let n = 0;
        for (let p = off + 2; p + 8 <= off + len; p += 8, n++) {
          const le = (tvb.u32(p) - base) >>> 0, re = (tvb.u32(p + 4) - base) >>> 0;
          const l = tree.add(it, hf_tcp.sack_le, tvb, p, 4, le);
          if (tree.full) tree.setText(l, `left edge = ${le} (relative)`);
          const r = tree.add(it, hf_tcp.sack_re, tvb, p + 4, 4, re);
          if (tree.full) tree.setText(r, `right edge = ${re} (relative)`);
          label += ` ${le}-${re}`;
        }
        tree.add(it, hf_tcp.sack_count, tvb, off, 0, n, ItemFlags.GENERATED);
        // RFC 2883 §4: a first block below the ACK, or inside the second block, reports a duplicate.
        if (n > 0) {
          const le = (tvb.u32(off + 2) - base) >>> 0, re = (tvb.u32(off + 6) - base) >>> 0;
          const ack = (tvb.u32(8) - base) >>> 0;
          const inSecond = n > 1 && le >= ((tvb.u32(off + 10) - base) >>> 0) && re <= ((tvb.u32(off + 14) - base) >>> 0);
          if (le < ack || inSecond) {
            const dl = tree.add(it, hf_tcp_conn.dsack_le, tvb, off + 2, 4, le, ItemFlags.GENERATED);
            if (tree.full) tree.setText(dl, `D-SACK Left Edge = ${le} (relative)`);
            const dr = tree.add(it, hf_tcp_conn.dsack_re, tvb, off + 6, 4, re, ItemFlags.GENERATED);
            if (tree.full) tree.setText(dr, `D-SACK Right Edge = ${re} (relative)`);
            // One tcp.options.sack.dsack in tshark's output: the expert item's; the parent is a label.
            const ds = addText(ctx, it, tvb, off + 2, 8, 'D-SACK Sequence');
            addExpert(ctx, ds, tvb, off + 2, 8, ei_tcp.dsack);
          }
        }
        break;
      }
      case proto_tcp_option.timestamp: {
        const tsval = tvb.u32(off + 2), tsecr = tvb.u32(off + 6);
        tree.add(it, hf_tcp.tsval, tvb, off + 2, 4, tsval);
        tree.add(it, hf_tcp.tsecr, tvb, off + 6, 4, tsecr);
        label += `: TSval ${tsval}, TSecr ${tsecr}`;
        break;
      }
      case proto_tcp_option.unknown:
        if (len > 2) tree.add(it, hf_tcp.unknown_payload, tvb, off + 2, len - 2, tvb.bytesAt(off + 2, len - 2));
        break;
      default:
        break;
    }
    if (tree.full) tree.setText(it, label);
    names.push(optionName(field, kind));
    off += len;
  }
  // RFC 9293 §3.7.1: a SYN should carry MSS; packet-tcp.c notes its absence when options are present.
  if ((flags & TH_SYN) && !mss && end === hlen) addExpert(ctx, opts, tvb, 20, optLen, ei_tcp.mss_absent);
  if (tree.full) tree.setText(opts, `Options: (${optLen} bytes)${names.length > 0 ? ', ' : ''}${names.join(', ')}`);
}

/** The cookie request or cookie of a Fast Open option (kind 34, or experiment 0xF989 from its ExID). */
function tfoTree(ctx: Ctx, it: Item, tvb: Tvb, off: number, len: number): void {
  if (len === 2) ctx.tree.add(it, hf_tcp_opt.tfo_request, tvb, off, 2, null);
  else if (len > 2) ctx.tree.add(it, hf_tcp_opt.tfo_cookie, tvb, off + 2, len - 2, tvb.bytesAt(off + 2, len - 2));
}

/** The AccECN byte counters; returns the label's tail (": Accurate ECN (Order 0): EE0B 1, ..."). */
function accEcnTree(ctx: Ctx, it: Item, tvb: Tvb, off: number, len: number, order1: boolean): string {
  const names = order1 ? ACC_ECN_ORDER1 : ACC_ECN_ORDER0;
  const parts: string[] = [];
  for (let i = 0; i < 3 && 3 * i + 3 <= len; i++) {
    const v = tvb.u24(off + 3 * i);
    const f = names[i] === 'EE0B' ? hf_tcp_opt.acc_ecn_ee0b : names[i] === 'ECEB' ? hf_tcp_opt.acc_ecn_eceb : hf_tcp_opt.acc_ecn_ee1b;
    ctx.tree.add(it, f, tvb, off + 3 * i, 3, v);
    parts.push(`${names[i]} ${v}`);
  }
  return `: Accurate ECN (Order ${order1 ? 1 : 0}): ${parts.join(', ')}`;
}

/** SCPS items (packet-tcp.c dissect_tcpopt_scps); returns the label an extended option gets, or ''. */
function scpsTree(ctx: Ctx, it: Item, tvb: Tvb, off: number, len: number, capable: boolean): string {
  const { tree } = ctx;
  if (len === 4) {
    const vec = tvb.u8(off + 2);
    const v = tree.add(it, hf_tcp_opt.scps_vector, tvb, off + 2, 1, vec);
    for (const f of [hf_tcp_opt.scps_bets, hf_tcp_opt.scps_snack1, hf_tcp_opt.scps_snack2, hf_tcp_opt.scps_compress, hf_tcp_opt.scps_nlts]) {
      tree.add(v, f, tvb, off + 2, 1, (vec & f.bitmask!) !== 0);
    }
    tree.add(v, hf_tcp_opt.scps_reserved, tvb, off + 2, 1, vec & 0x07);
    if (vec !== 0 && tree.full) tree.appendText(v, ` (${SCPS_CAPS.filter(([m]) => vec & m).map(([, n]) => n).join(', ')})`);
    tree.add(it, hf_tcp_opt.scps_connid, tvb, off + 3, 1, tvb.u8(off + 3));
    return '';
  }
  if (!capable) return `Illegal SCPS Extended Capabilities (${len} bytes)`;
  for (let p = 2; p < len; ) {
    const blen = (tvb.u8(off + p + 1) >> 4) << 1;
    tree.add(it, hf_tcp_opt.scps_binding_id, tvb, off + p, 1, tvb.u8(off + p));
    tree.add(it, hf_tcp_opt.scps_binding_len, tvb, off + p + 1, 1, blen);
    p += 2;
    tree.add(it, hf_tcp_opt.scps_binding_data, tvb, off + p, blen, tvb.bytesAt(off + p, blen));
    p += blen;
  }
  return `SCPS Extended Capabilities (${len} bytes)`;
}

function optionName(field: Field, kind: number): string {
  return field === proto_tcp_option.unknown ? `Unknown (0x${kind.toString(16).padStart(2, '0')})` : field.shortName!;
}

function optionProto(kind: number, len: number): Field {
  switch (kind) {
    case 2: return len === 4 ? proto_tcp_option.mss : proto_tcp_option.unknown;
    case 3: return len === 3 ? proto_tcp_option.wscale : proto_tcp_option.unknown;
    case 4: return len === 2 ? proto_tcp_option.sack_perm : proto_tcp_option.unknown;
    case 5: return proto_tcp_option.sack;
    case 8: return len === 10 ? proto_tcp_option.timestamp : proto_tcp_option.unknown;
    case 19: return len === 18 ? proto_tcp_option.md5 : proto_tcp_option.unknown;
    case 20: return proto_tcp_option.scps;
    case 29: return len >= 4 ? proto_tcp_option.ao : proto_tcp_option.unknown;
    case 34: return proto_tcp_option.tfo;
    case TCPOPT_ACC_ECN_0:
    case TCPOPT_ACC_ECN_1: return proto_tcp_option.acc_ecn;
    case 253:
    case 254: return proto_tcp_option.experimental;
    default: return proto_tcp_option.unknown;
  }
}

function optionKind(ctx: Ctx, parent: Item, tvb: Tvb, off: number, kind: number): void {
  const it = ctx.tree.add(parent, hf_tcp.option_kind, tvb, off, 1, kind);
  if (ctx.tree.full) ctx.tree.setValueText(it, `${OPTION_KINDS[kind] ?? 'Unknown'} (${kind})`);
}

tables.ipProto.add(6, dissectTcp);
