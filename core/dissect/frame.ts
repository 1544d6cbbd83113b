// The frame pseudo-protocol (Wireshark's epan/dissectors/packet-frame.c): what the capture file says
// about a packet (number, times, lengths, interface), then the link layer by link type.

import type { PacketRecord } from '../capfile/record.js';
import { Base, FT, defineFields, defineProtocol } from '../fields/registry.js';
import { dissectData } from './data.js';
import { type Ctx, tables } from './table.js';
import { ItemFlags, type Item, ROOT } from './tree.js';
import type { Tvb } from './tvb.js';

export const proto_frame = defineProtocol('frame', 'Frame', 'Frame');

/** Wireshark's WTAP_ENCAP_* numbers for the link types we read (frame.encap_type shows these). */
const WTAP_ENCAP: Readonly<Record<number, number>> = { 0: 15, 1: 1, 101: 7, 108: 15, 113: 25, 228: 129, 229: 130, 276: 210 };
const ENCAP_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet', 7: 'Raw IP', 15: 'NULL/Loopback', 25: 'Linux cooked-mode capture v1',
  129: 'Raw IPv4', 130: 'Raw IPv6', 210: 'Linux cooked-mode capture v2',
};

export const hf_frame = defineFields(proto_frame, {
  interface_id: { abbrev: 'frame.interface_id', name: 'Interface id', type: FT.UINT32, base: Base.DEC },
  interface_name: { abbrev: 'frame.interface_name', name: 'Interface name', type: FT.STRING },
  encap_type: { abbrev: 'frame.encap_type', name: 'Encapsulation type', type: FT.INT16, base: Base.DEC, strings: ENCAP_NAMES },
  time: { abbrev: 'frame.time', name: 'Arrival Time', type: FT.ABSOLUTE_TIME, base: Base.TIME_LOCAL },
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

// Expert and malformed markers (Wireshark's _ws.* pseudo-protocols).
export const proto_malformed = defineProtocol('_ws.malformed', 'Malformed Packet', 'Malformed');
export const proto_expert = defineProtocol('_ws.expert', 'Expert Info', 'Expert');
export const hf_expert = defineFields(proto_expert, {
  message: { abbrev: '_ws.expert.message', name: 'Message', type: FT.STRING },
  severity: { abbrev: '_ws.expert.severity', name: 'Severity level', type: FT.UINT32, base: Base.HEX },
});
export const proto_truncated = defineProtocol('_ws.short', 'Packet size limited during capture', 'Short');

export enum ExpertSeverity {
  CHAT = 0x200000,
  NOTE = 0x400000,
  WARN = 0x600000,
  ERROR = 0x800000,
}

/** Adds a top-level expert marker ("[Malformed Packet: TCP]") to the tree. */
export function addExpert(ctx: Ctx, tvb: Tvb, severity: ExpertSeverity, kind: 'malformed' | 'truncated' | 'bug', text: string): Item {
  const proto = kind === 'truncated' ? proto_truncated : kind === 'malformed' ? proto_malformed : proto_expert;
  const it = ctx.tree.add(ROOT, proto, tvb, 0, 0, null, ItemFlags.EXPERT);
  ctx.tree.setText(it, text);
  const msg = ctx.tree.add(it, hf_expert.message, tvb, 0, 0, text, ItemFlags.GENERATED | ItemFlags.EXPERT);
  ctx.tree.setText(msg, text);
  ctx.tree.add(it, hf_expert.severity, tvb, 0, 0, severity, ItemFlags.GENERATED | ItemFlags.HIDDEN);
  return it;
}

/** Interface names by id, set by whoever opened the capture (pcapng IDB names); optional. */
export interface FrameMeta {
  interfaceName?: (id: number) => string | undefined;
}
export const frameMeta: FrameMeta = {};

export function dissectFrame(tvb: Tvb, ctx: Ctx, parent: Item, rec: PacketRecord): void {
  const { pinfo, tree, capture } = ctx;
  pinfo.enter('frame', 'Frame');
  const ifName = frameMeta.interfaceName?.(rec.interfaceId);
  const top = tree.add(parent, proto_frame, tvb, 0, -1, null);
  if (tree.full) {
    const onIf = ifName !== undefined ? ` on interface ${ifName}, id ${rec.interfaceId}` : '';
    tree.setText(top, `Frame ${pinfo.num}: ${rec.origLen} bytes on wire (${rec.origLen * 8} bits), ${rec.capLen} bytes captured (${rec.capLen * 8} bits)${onIf}`);
  }
  if (tree.mode !== 'none') {
    tree.add(top, hf_frame.interface_id, tvb, 0, 0, rec.interfaceId, ItemFlags.GENERATED);
    if (ifName !== undefined) tree.add(top, hf_frame.interface_name, tvb, 0, 0, ifName, ItemFlags.GENERATED);
    tree.add(top, hf_frame.encap_type, tvb, 0, 0, WTAP_ENCAP[rec.linkType] ?? -1, ItemFlags.GENERATED);
    // Times are kept as [seconds, nanoseconds] pairs encoded in one number of nanoseconds where
    // they are relative (exact to 104 days), and as a bigint of nanoseconds where absolute.
    const abs = BigInt(rec.tsSec) * 1_000_000_000n + BigInt(rec.tsNsec);
    tree.add(top, hf_frame.time, tvb, 0, 0, abs, ItemFlags.GENERATED);
    tree.add(top, hf_frame.time_epoch, tvb, 0, 0, abs, ItemFlags.GENERATED);
    const rel = capture.relNs[pinfo.num];
    const prev = pinfo.num > 1 ? capture.relNs[pinfo.num - 1] : rel;
    tree.add(top, hf_frame.time_delta, tvb, 0, 0, rel - prev, ItemFlags.GENERATED);
    tree.add(top, hf_frame.time_delta_displayed, tvb, 0, 0, rel - prev, ItemFlags.GENERATED);
    tree.add(top, hf_frame.time_relative, tvb, 0, 0, rel, ItemFlags.GENERATED);
    tree.add(top, hf_frame.number, tvb, 0, 0, pinfo.num, ItemFlags.GENERATED);
    tree.add(top, hf_frame.len, tvb, 0, 0, rec.origLen, ItemFlags.GENERATED);
    tree.add(top, hf_frame.cap_len, tvb, 0, 0, rec.capLen, ItemFlags.GENERATED);
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
    if (protos >= 0) tree.value[protos] = pinfo.layers.join(':');
  }
}
