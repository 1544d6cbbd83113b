// The frame pseudo-protocol (Wireshark's epan/dissectors/packet-frame.c): what the capture file says
// about a packet (number, times, lengths, interface), then the link layer by link type.

import type { PacketRecord } from '../capfile/record.js';
import { Base, FT, type Field, defineFields, defineProtocol } from '../fields/registry.js';
import { dissectData } from './data.js';
import { type Ctx, tables } from './table.js';
import { FieldGroup, ItemFlags, type Item, ROOT } from './tree.js';
import { type CapturedBoundsError, ReportedBoundsError, type Tvb } from './tvb.js';

export const proto_frame = defineProtocol('frame', 'Frame', 'Frame');

/** Wireshark's WTAP_ENCAP_* numbers for the link types we read (frame.encap_type shows these). */
const WTAP_ENCAP: Readonly<Record<number, number>> = { 0: 15, 1: 1, 101: 7, 108: 15, 113: 25, 228: 129, 229: 130, 276: 210 };
const ENCAP_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet', 7: 'Raw IP', 15: 'NULL/Loopback', 25: 'Linux cooked-mode capture v1',
  129: 'Raw IPv4', 130: 'Raw IPv6', 210: 'Linux cooked-mode capture v2',
};

export const hf_frame = defineFields(proto_frame, {
  section_number: { abbrev: 'frame.section_number', name: 'Section number', type: FT.UINT32, base: Base.DEC },
  interface_id: { abbrev: 'frame.interface_id', name: 'Interface id', type: FT.UINT32, base: Base.DEC },
  interface_name: { abbrev: 'frame.interface_name', name: 'Interface name', type: FT.STRING },
  interface_description: { abbrev: 'frame.interface_description', name: 'Interface description', type: FT.STRING },
  encap_type: { abbrev: 'frame.encap_type', name: 'Encapsulation type', type: FT.INT16, base: Base.DEC, strings: ENCAP_NAMES },
  time: { abbrev: 'frame.time', name: 'Arrival Time', type: FT.ABSOLUTE_TIME, base: Base.TIME_LOCAL },
  offset_shift: { abbrev: 'frame.offset_shift', name: 'Time shift for this packet', type: FT.RELATIVE_TIME },
  time_epoch: { abbrev: 'frame.time_epoch', name: 'Epoch Time', type: FT.ABSOLUTE_TIME, base: Base.TIME_EPOCH },
  time_delta: { abbrev: 'frame.time_delta', name: 'Time delta from previous captured frame', type: FT.RELATIVE_TIME },
  time_delta_displayed: { abbrev: 'frame.time_delta_displayed', name: 'Time delta from previous displayed frame', type: FT.RELATIVE_TIME },
  time_relative: { abbrev: 'frame.time_relative', name: 'Time since reference or first frame', type: FT.RELATIVE_TIME },
  number: { abbrev: 'frame.number', name: 'Frame Number', type: FT.UINT32, base: Base.DEC },
  len: { abbrev: 'frame.len', name: 'Frame Length', type: FT.UINT32, base: Base.DEC, unit: ' bytes' },
  cap_len: { abbrev: 'frame.cap_len', name: 'Capture Length', type: FT.UINT32, base: Base.DEC, unit: ' bytes' },
  marked: { abbrev: 'frame.marked', name: 'Frame is marked', type: FT.BOOLEAN },
  ignored: { abbrev: 'frame.ignored', name: 'Frame is ignored', type: FT.BOOLEAN },
  protocols: { abbrev: 'frame.protocols', name: 'Protocols in frame', type: FT.STRING },
  comment: { abbrev: 'frame.comment', name: 'Comment', type: FT.STRING },
});

// Expert info and exception markers (Wireshark's _ws.* pseudo-protocols, epan/expert.c and
// epan/show_exception.c).
export const proto_malformed = defineProtocol('_ws.malformed', 'Malformed Packet', 'Malformed');
export const proto_expert = defineProtocol('_ws.expert', 'Expert Info', 'Expert');
export const proto_unreassembled = defineProtocol('_ws.unreassembled', 'Unreassembled Fragmented Packet', 'Unreassembled');

export enum ExpertSeverity {
  COMMENT = 0x100000,
  CHAT = 0x200000,
  NOTE = 0x400000,
  WARN = 0x600000,
  ERROR = 0x800000,
}

/** Expert groups (epan/proto.h PI_*): the second word of "Expert Info (Chat/Sequence)". */
export enum ExpertGroup {
  CHECKSUM = 0x01000000,
  SEQUENCE = 0x02000000,
  RESPONSE_CODE = 0x03000000,
  REQUEST_CODE = 0x04000000,
  UNDECODED = 0x05000000,
  REASSEMBLE = 0x06000000,
  MALFORMED = 0x07000000,
  DEBUG = 0x08000000,
  PROTOCOL = 0x09000000,
  SECURITY = 0x0a000000,
  COMMENTS = 0x0b000000,
  DECRYPTION = 0x0c000000,
  ASSUMPTION = 0x0d000000,
  DEPRECATED = 0x0e000000,
}

const SEVERITY_NAMES: Readonly<Record<number, string>> = {
  [ExpertSeverity.COMMENT]: 'Comment', [ExpertSeverity.CHAT]: 'Chat', [ExpertSeverity.NOTE]: 'Note',
  [ExpertSeverity.WARN]: 'Warning', [ExpertSeverity.ERROR]: 'Error',
};
const GROUP_NAMES: Readonly<Record<number, string>> = {
  [ExpertGroup.CHECKSUM]: 'Checksum', [ExpertGroup.SEQUENCE]: 'Sequence', [ExpertGroup.RESPONSE_CODE]: 'Response',
  [ExpertGroup.REQUEST_CODE]: 'Request', [ExpertGroup.UNDECODED]: 'Undecoded', [ExpertGroup.REASSEMBLE]: 'Reassemble',
  [ExpertGroup.MALFORMED]: 'Malformed', [ExpertGroup.DEBUG]: 'Debug', [ExpertGroup.PROTOCOL]: 'Protocol',
  [ExpertGroup.SECURITY]: 'Security', [ExpertGroup.COMMENTS]: 'Comment', [ExpertGroup.DECRYPTION]: 'Decryption',
  [ExpertGroup.ASSUMPTION]: 'Assumption', [ExpertGroup.DEPRECATED]: 'Deprecated',
};

export const hf_expert = defineFields(proto_expert, {
  message: { abbrev: '_ws.expert.message', name: 'Message', type: FT.STRING },
  group: { abbrev: '_ws.expert.group', name: 'Group', type: FT.UINT32, base: Base.NONE, strings: GROUP_NAMES },
  severity: { abbrev: '_ws.expert.severity', name: 'Severity level', type: FT.UINT32, base: Base.NONE, strings: SEVERITY_NAMES },
});
export const proto_truncated = defineProtocol('_ws.short', 'Short Frame', 'Short');
const hf_malformed = defineFields(proto_malformed, {
  expert: { abbrev: '_ws.malformed.expert', name: 'Malformed Packet (Exception occurred)', type: FT.NONE },
  dissector_bug: { abbrev: '_ws.malformed.dissector_bug', name: 'Dissector bug', type: FT.NONE },
});
const hf_unreassembled = defineFields(proto_unreassembled, {
  expert: { abbrev: '_ws.unreassembled.expert', name: 'Unreassembled fragment (change preferences to enable reassembly)', type: FT.NONE },
});

/**
 * One kind of expert item (Wireshark's ei_register_info): the field that names it (an FT_NONE field
 * of its protocol, e.g. tcp.connection.syn, whose label is the default message), severity and group.
 */
export interface ExpertInfo {
  readonly field: Field;
  readonly severity: ExpertSeverity;
  readonly group: ExpertGroup;
}

export const ei_malformed: ExpertInfo = { field: hf_malformed.expert, severity: ExpertSeverity.ERROR, group: ExpertGroup.MALFORMED };
const ei_dissector_bug: ExpertInfo = { field: hf_malformed.dissector_bug, severity: ExpertSeverity.ERROR, group: ExpertGroup.MALFORMED };
const ei_unreassembled: ExpertInfo = { field: hf_unreassembled.expert, severity: ExpertSeverity.NOTE, group: ExpertGroup.REASSEMBLE };

/**
 * Adds an expert item under `parent` as epan/expert.c does (expert_add_info / _format):
 *   [Expert Info (Chat/Sequence): <msg>]      _ws.expert
 *       [<msg>]                               the ExpertInfo's own field
 *       _ws.expert.message (hidden), [Severity level: Chat], [Group: Sequence]
 * `msg` defaults to the field's label. A malformed-group item also carries a hidden _ws.malformed,
 * so "_ws.malformed" finds every malformed packet.
 */
export function addExpert(ctx: Ctx, parent: Item, tvb: Tvb, off: number, len: number, ei: ExpertInfo, msg: string = ei.field.name): Item {
  const { tree } = ctx;
  const G = ItemFlags.GENERATED;
  const it = tree.add(parent, proto_expert, tvb, off, len, null, G | ItemFlags.EXPERT);
  if (tree.full) tree.setText(it, `Expert Info (${SEVERITY_NAMES[ei.severity]}/${GROUP_NAMES[ei.group]}): ${msg}`);
  const named = tree.add(it, ei.field, tvb, off, len, null, G);
  if (tree.full) tree.setText(named, msg);
  tree.add(it, hf_expert.message, tvb, off, len, msg, ItemFlags.HIDDEN);
  tree.add(it, hf_expert.severity, tvb, off, len, ei.severity, G);
  tree.add(it, hf_expert.group, tvb, off, len, ei.group, G);
  if (ei.group === ExpertGroup.MALFORMED) tree.add(parent, proto_malformed, tvb, 0, 0, null, ItemFlags.HIDDEN);
  return it;
}

/**
 * The top-level marker of a dissection cut short (epan/show_exception.c): "[Malformed Packet: TCP]"
 * with its expert item, "[Packet size limited during capture: IPv6 truncated]" (no expert item:
 * a snaplen is not an error), "[BoundError: Unreassembled Packet: HTTP]", or a dissector bug.
 */
export function addException(ctx: Ctx, tvb: Tvb, kind: 'malformed' | 'truncated' | 'unreassembled' | 'bug', text: string, bugMsg = ''): Item {
  const proto = kind === 'truncated' ? proto_truncated : kind === 'unreassembled' ? proto_unreassembled : proto_malformed;
  const it = ctx.tree.add(ROOT, proto, tvb, 0, 0, null, ItemFlags.EXPERT);
  ctx.tree.setText(it, text);
  if (kind === 'malformed') addExpert(ctx, it, tvb, 0, 0, ei_malformed);
  else if (kind === 'unreassembled') addExpert(ctx, it, tvb, 0, 0, ei_unreassembled);
  else if (kind === 'bug') addExpert(ctx, it, tvb, 0, 0, ei_dissector_bug, bugMsg);
  return it;
}

/**
 * show_exception for a bounds error caught inside the packet (a layer that goes on after its payload
 * failed, as the ethertype layer does): the same marker and Info suffix the engine adds when the
 * error reaches the top, named after the innermost layer entered.
 */
export function showException(ctx: Ctx, tvb: Tvb, e: ReportedBoundsError | CapturedBoundsError): void {
  const name = ctx.pinfo.currentProtocolName();
  if (e instanceof ReportedBoundsError) {
    addException(ctx, tvb, 'malformed', `[Malformed Packet: ${name}]`);
    ctx.pinfo.appendInfo('[Malformed Packet]');
  } else {
    addException(ctx, tvb, 'truncated', `[Packet size limited during capture: ${name} truncated]`);
    ctx.pinfo.appendInfo('[Packet size limited during capture]');
  }
}

/**
 * What the capture file says about its interfaces, set by whoever opened it: pcapng files have
 * sections and interface ids (and tshark shows them), pcap files have neither.
 */
export interface FrameMeta {
  /**
   * True for a classic pcap file, which has no sections or interface ids (tshark then leaves out
   * frame.section_number and frame.interface_*); unset means pcapng-like (files, live captures).
   */
  classicPcap?: boolean;
  interfaceName?: (id: number) => string | undefined;
  interfaceDescription?: (id: number) => string | undefined;
}
export const frameMeta: FrameMeta = {};

/** The frame's own items but frame.protocols (which a filter pass on other fields skips). */
const FRAME_ITEMS = new FieldGroup([proto_frame]);

export function dissectFrame(tvb: Tvb, ctx: Ctx, parent: Item, rec: PacketRecord): void {
  const { pinfo, tree, capture } = ctx;
  pinfo.enter('frame', 'Frame');
  const top = tree.add(parent, proto_frame, tvb, 0, -1, null);
  const pcapng = frameMeta.classicPcap !== true;
  // epan_get_interface_name: "unknown" when the IDB has no if_name.
  const ifName = pcapng ? frameMeta.interfaceName?.(rec.interfaceId) ?? 'unknown' : undefined;
  if (tree.full) {
    const onIf = ifName !== undefined ? ` on interface ${ifName}, id ${rec.interfaceId}` : '';
    tree.setText(top, `Frame ${pinfo.num}: ${rec.origLen} byte${rec.origLen === 1 ? '' : 's'} on wire (${rec.origLen * 8} bits), ${rec.capLen} byte${rec.capLen === 1 ? '' : 's'} captured (${rec.capLen * 8} bits)${onIf}`);
  }
  if (tree.wantsAny(FRAME_ITEMS)) {
    if (ifName !== undefined) {
      tree.add(top, hf_frame.section_number, tvb, 0, 0, 1);
      const ifItem = tree.add(top, hf_frame.interface_id, tvb, 0, 0, rec.interfaceId);
      if (tree.full) tree.setValueText(ifItem, `${rec.interfaceId} (${ifName})`);
      tree.add(ifItem, hf_frame.interface_name, tvb, 0, 0, ifName);
      const descr = frameMeta.interfaceDescription?.(rec.interfaceId);
      if (descr !== undefined) tree.add(ifItem, hf_frame.interface_description, tvb, 0, 0, descr);
    }
    tree.add(top, hf_frame.encap_type, tvb, 0, 0, WTAP_ENCAP[rec.linkType] ?? -1);
    // The times are worked out only when wanted: a filter or -e pass over a large file asks for one
    // field or none of them, and a BigInt per packet is not free.
    if (tree.wants(hf_frame.time) || tree.wants(hf_frame.time_epoch)) {
      const abs = BigInt(rec.tsSec) * 1_000_000_000n + BigInt(rec.tsNsec);
      tree.add(top, hf_frame.time, tvb, 0, 0, abs);
      tree.add(top, hf_frame.offset_shift, tvb, 0, 0, 0, ItemFlags.GENERATED);
      tree.add(top, hf_frame.time_epoch, tvb, 0, 0, abs);
    } else {
      tree.add(top, hf_frame.offset_shift, tvb, 0, 0, 0, ItemFlags.GENERATED);
    }
    if (tree.wants(hf_frame.time_delta) || tree.wants(hf_frame.time_delta_displayed)) {
      // Exact from seconds and nanoseconds kept apart: a merged capture may span decades.
      const delta = pinfo.num > 1 ? capture.exactDeltaNs(pinfo.num, pinfo.num - 1) : 0;
      tree.add(top, hf_frame.time_delta, tvb, 0, 0, delta, ItemFlags.GENERATED);
      tree.add(top, hf_frame.time_delta_displayed, tvb, 0, 0, delta, ItemFlags.GENERATED);
    }
    if (tree.wants(hf_frame.time_relative)) {
      tree.add(top, hf_frame.time_relative, tvb, 0, 0, capture.exactDeltaNs(pinfo.num, 1), ItemFlags.GENERATED);
    }
    tree.add(top, hf_frame.number, tvb, 0, 0, pinfo.num);
    const len = tree.add(top, hf_frame.len, tvb, 0, 0, rec.origLen);
    if (tree.full) tree.setText(len, `Frame Length: ${rec.origLen} byte${rec.origLen === 1 ? '' : 's'} (${rec.origLen * 8} bits)`);
    const cap = tree.add(top, hf_frame.cap_len, tvb, 0, 0, rec.capLen);
    if (tree.full) tree.setText(cap, `Capture Length: ${rec.capLen} byte${rec.capLen === 1 ? '' : 's'} (${rec.capLen * 8} bits)`);
    tree.add(top, hf_frame.marked, tvb, 0, 0, false, ItemFlags.GENERATED);
    tree.add(top, hf_frame.ignored, tvb, 0, 0, false, ItemFlags.GENERATED);
    if (rec.comment !== undefined) tree.add(top, hf_frame.comment, tvb, 0, 0, rec.comment);
  }
  // frame.protocols is only known after the whole packet is dissected: add it now, fill it after.
  const protos = tree.add(top, hf_frame.protocols, tvb, 0, 0, '', ItemFlags.GENERATED);
  try {
    if (!tables.linkType.tryDissect(rec.linkType, tvb, ctx, parent)) {
      dissectData(tvb, ctx, parent);
    }
  } finally {
    // packet-frame.c skips the first layer, always "frame" itself.
    if (protos >= 0) tree.value[protos] = pinfo.protocolsText();
  }
}
