// ARP (RFC 826; Wireshark's packet-arp.c), with RFC 5227 probes and announcements and gratuitous ARP
// told apart the way Wireshark does. Only the Ethernet/IPv4 address forms get typed fields; other
// hardware or protocol addresses are shown as bytes (arp.src.hw, arp.src.proto, ...).

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { formatEther, formatIPv4 } from '../../fields/addr.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import { ReportedBoundsError, type Tvb } from '../tvb.js';
import { ETHERTYPES } from './ethertypes.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { addText } from '../text.js';

export const proto_arp = defineProtocol('arp', 'Address Resolution Protocol', 'ARP/RARP');

const OPCODES: Readonly<Record<number, string>> = {
  1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 5: 'drarp request', 6: 'drarp reply',
  7: 'drarp error', 8: 'inverse request', 9: 'inverse reply', 10: 'arp nak', 24: 'experimental 1',
  25: 'experimental 2', 0: 'reserved', 65535: 'reserved',
};
/** Hardware types (Wireshark's arp_hrd_vals), the ones a lab meets. */
export const ARP_HRD: Readonly<Record<number, string>> = {
  0: 'NET/ROM pseudo', 1: 'Ethernet', 2: 'Experimental Ethernet', 3: 'AX.25', 6: 'IEEE 802', 7: 'ARCNET',
  15: 'Frame Relay DLCI', 16: 'ATM', 17: 'HDLC', 18: 'Fibre Channel', 19: 'ATM (RFC 2225)', 20: 'Serial Line',
  21: 'ATM', 24: 'IEEE 1394.1995', 27: 'EUI-64', 32: 'InfiniBand', 35: 'Pure IP',
};

export const hf_arp = defineFields(proto_arp, {
  hw_type: { abbrev: 'arp.hw.type', name: 'Hardware type', type: FT.UINT16, base: Base.DEC, strings: ARP_HRD },
  proto_type: { abbrev: 'arp.proto.type', name: 'Protocol type', type: FT.UINT16, base: Base.HEX, strings: ETHERTYPES },
  hw_size: { abbrev: 'arp.hw.size', name: 'Hardware size', type: FT.UINT8, base: Base.DEC },
  proto_size: { abbrev: 'arp.proto.size', name: 'Protocol size', type: FT.UINT8, base: Base.DEC },
  opcode: { abbrev: 'arp.opcode', name: 'Opcode', type: FT.UINT16, base: Base.DEC, strings: OPCODES },
  isgratuitous: { abbrev: 'arp.isgratuitous', name: 'Is gratuitous', type: FT.BOOLEAN, tfs: ['True', 'False'] },
  isprobe: { abbrev: 'arp.isprobe', name: 'Is probe', type: FT.BOOLEAN, tfs: ['True', 'False'] },
  isannouncement: { abbrev: 'arp.isannouncement', name: 'Is announcement', type: FT.BOOLEAN, tfs: ['True', 'False'] },
  src_hw: { abbrev: 'arp.src.hw', name: 'Sender hardware address', type: FT.BYTES },
  src_hw_mac: { abbrev: 'arp.src.hw_mac', name: 'Sender MAC address', type: FT.ETHER },
  src_proto: { abbrev: 'arp.src.proto', name: 'Sender protocol address', type: FT.BYTES },
  src_proto_ipv4: { abbrev: 'arp.src.proto_ipv4', name: 'Sender IP address', type: FT.IPv4 },
  dst_hw: { abbrev: 'arp.dst.hw', name: 'Target hardware address', type: FT.BYTES },
  dst_hw_mac: { abbrev: 'arp.dst.hw_mac', name: 'Target MAC address', type: FT.ETHER },
  dst_proto: { abbrev: 'arp.dst.proto', name: 'Target protocol address', type: FT.BYTES },
  dst_proto_ipv4: { abbrev: 'arp.dst.proto_ipv4', name: 'Target IP address', type: FT.IPv4 },
});

// Duplicate IP address detection (packet-arp.c, "detect_duplicate_ips" on by default).
const hf_arp_dup = defineFields(proto_arp, {
  earlier_frame: { abbrev: 'arp.duplicate-address-frame', name: 'Frame showing earlier use of IP address', type: FT.FRAMENUM },
  seconds: { abbrev: 'arp.seconds-since-duplicate-address-frame', name: 'Seconds since earlier frame seen', type: FT.UINT32, base: Base.DEC },
  detected: { abbrev: 'arp.duplicate-address-detected', name: 'Duplicate IP address configured', type: FT.NONE },
});
const ei_arp_dup_ip: ExpertInfo = { field: hf_arp_dup.detected, severity: ExpertSeverity.WARN, group: ExpertGroup.SEQUENCE };

/** Per capture: the last MAC seen for each IPv4 address, and each frame's first-pass findings. */
class ArpAddresses {
  readonly byIp = new Map<number, { mac: Uint8Array; frame: number; sec: number }>();
  readonly results = new Map<string, { mac: Uint8Array; frame: number; sec: number }>();
}

/**
 * check_for_duplicate_addresses: an address seen earlier with another MAC is reported on the top-level
 * tree (before the ARP item, as Wireshark adds it). Returns whether a duplicate was found.
 */
function checkDuplicate(ctx: Ctx, parent: Item, tvb: Tvb, mac: Uint8Array, ip: number): boolean {
  const { pinfo, tree } = ctx;
  const st = ctx.capture.state('arp', () => new ArpAddresses());
  const key = `${pinfo.num}|${ip}`;
  let result = st.results.get(key);
  if (!pinfo.visited && result === undefined) {
    const v = st.byIp.get(ip);
    if (v === undefined) {
      st.byIp.set(ip, { mac: mac.slice(), frame: pinfo.num, sec: pinfo.tsSec });
    } else if (pinfo.num > v.frame) {
      if (sameBytes(v.mac, mac)) {
        v.frame = pinfo.num;
        v.sec = pinfo.tsSec;
      } else {
        result = { ...v };
        st.results.set(key, result);
      }
    }
  }
  if (result === undefined) return false;
  const ipText = formatIPv4(Uint8Array.of(ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255));
  const sub = tree.full
    ? addText(ctx, parent, tvb, 0, 0, `Duplicate IP address detected for ${ipText} (${formatEther(mac)}) - also in use by ${formatEther(result.mac)} (frame ${result.frame})`, ItemFlags.GENERATED)
    : parent;
  const fi = tree.add(sub, hf_arp_dup.earlier_frame, tvb, 0, 0, result.frame, ItemFlags.GENERATED);
  addExpert(ctx, fi, tvb, 0, 0, ei_arp_dup_ip, `Duplicate IP address configured (${ipText})`);
  tree.add(sub, hf_arp_dup.seconds, tvb, 0, 0, (pinfo.tsSec - result.sec) >>> 0, ItemFlags.GENERATED);
  return true;
}

const REQUEST = 1, REPLY = 2;
const isEther = (hrd: number, hln: number) => (hrd === 1 || hrd === 6) && hln === 6;
const isIPv4 = (pro: number, pln: number) => pro === 0x0800 && pln === 4;

function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function hwText(b: Uint8Array, hrd: number): string {
  return isEther(hrd, b.length) ? formatEther(b) : Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
}
function protoText(b: Uint8Array, pro: number): string {
  return isIPv4(pro, b.length) ? formatIPv4(b) : Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
}

function addHeader(ctx: Ctx, top: Item, tvb: Tvb, hrd: number, pro: number, hln: number, pln: number, op: number): void {
  const { tree } = ctx;
  tree.add(top, hf_arp.hw_type, tvb, 0, 2, hrd);
  tree.add(top, hf_arp.proto_type, tvb, 2, 2, pro);
  tree.add(top, hf_arp.hw_size, tvb, 4, 1, hln);
  tree.add(top, hf_arp.proto_size, tvb, 5, 1, pln);
  tree.add(top, hf_arp.opcode, tvb, 6, 2, op);
}

export function dissectArp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('arp', 'ARP/RARP');
  const hrd = tvb.u16(0), pro = tvb.u16(2), hln = tvb.u8(4), pln = tvb.u8(5), op = tvb.u16(6);
  // packet-arp.c hands AX.25 hardware (3) to its AX.25 ARP handle, a second dissector of the same
  // protocol: frame.protocols lists arp twice ("arp:arp"); the fields and Info are the same.
  if (hrd === 3) pinfo.enter('arp', 'ARP/RARP');
  const total = 8 + 2 * hln + 2 * pln;
  if (total > tvb.reportedLength) {
    // Wireshark 4.0's dissect_arp shows the fixed header, then tvb_set_reported_length(tot_len) throws
    // because the addresses the sizes promise are not in the packet: "[Malformed Packet]" alone in Info.
    if (pinfo.columns) {
      pinfo.protocol = 'ARP';
      pinfo.clearInfo();
    }
    const top = tree.add(parent, proto_arp, tvb, 0, -1, null);
    addHeader(ctx, top, tvb, hrd, pro, hln, pln, op);
    throw new ReportedBoundsError();
  }
  const sha = 8, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
  const shaB = tvb.bytesAt(sha, hln), spaB = tvb.bytesAt(spa, pln), thaB = tvb.bytesAt(tha, hln), tpaB = tvb.bytesAt(tpa, pln);

  // Gratuitous: sender and target protocol addresses equal; RFC 5227 announcement: a gratuitous
  // request with a zero target MAC; probe: a request with zero target MAC and zero sender IP.
  const gratuitous = (op === REQUEST || op === REPLY) && sameBytes(spaB, tpaB);
  const zeroTha = hln >= 6 && allZero(tvb.bytesAt(tha, 6));
  const announcement = gratuitous && op === REQUEST && zeroTha;
  const probe = !gratuitous && op === REQUEST && zeroTha && pln >= 4 && tvb.u32(spa) === 0;

  // Sender, then (not in requests) target bindings, as dissect_arp feeds them to the duplicate check;
  // multicast, all-zero MACs and 0.0.0.0 are no bindings.
  let duplicateIp = -1;
  if ((op === REQUEST || op === REPLY) && isEther(hrd, hln) && isIPv4(pro, pln)) {
    const usable = (mac: Uint8Array, ip: number) => (mac[0] & 1) === 0 && !allZero(mac) && ip !== 0;
    const sIp = tvb.u32(spa), tIp = tvb.u32(tpa);
    if (usable(shaB, sIp) && checkDuplicate(ctx, parent, tvb, shaB, sIp)) duplicateIp = sIp;
    if (op !== REQUEST && usable(thaB, tIp) && duplicateIp !== tIp && checkDuplicate(ctx, parent, tvb, thaB, tIp)) duplicateIp = tIp;
  }

  if (pinfo.columns) {
    pinfo.protocol = op === 3 || op === 4 ? 'RARP' : op >= 5 && op <= 7 ? 'DRARP' : op === 8 || op === 9 ? 'Inverse ARP' : 'ARP';
    const tp = protoText(tpaB, pro), sp = protoText(spaB, pro);
    let info: string;
    if (op === REQUEST) {
      info = gratuitous ? (announcement ? `ARP Announcement for ${tp}` : `Gratuitous ARP for ${tp} (Request)`)
        : probe ? `Who has ${tp}? (ARP Probe)` : `Who has ${tp}? Tell ${sp}`;
    } else if (op === REPLY) {
      info = gratuitous ? `Gratuitous ARP for ${sp} (Reply)` : `${sp} is at ${hwText(shaB, hrd)}`;
    } else if (op === 3 || op === 8 || op === 5) {
      info = `Who is ${hwText(thaB, hrd)}? Tell ${hwText(shaB, hrd)}`;
    } else if (op === 4 || op === 6) {
      info = `${hwText(thaB, hrd)} is at ${protoText(tpaB, pro)}`;
    } else if (op === 9) {
      info = `${hwText(shaB, hrd)} is at ${sp}`;
    } else if (op === 0 || op === 65535) {
      info = `Reserved opcode ${op}`;
    } else {
      info = `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
    }
    if (duplicateIp >= 0) {
      const d = duplicateIp;
      info += ` (duplicate use of ${formatIPv4(Uint8Array.of(d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255))} detected!)`;
    }
    pinfo.setInfo(info);
  }

  const top = tree.add(parent, proto_arp, tvb, 0, total, null);
  if (tree.full) {
    let opStr = OPCODES[op];
    if (opStr !== undefined) {
      if (gratuitous) opStr = op === REQUEST ? 'request/gratuitous ARP' : 'reply/gratuitous ARP';
      if (probe) opStr = 'ARP Probe';
      if (announcement) opStr = 'ARP Announcement';
      tree.setText(top, `Address Resolution Protocol (${opStr})`);
    } else {
      tree.setText(top, `Address Resolution Protocol (opcode 0x${op.toString(16).padStart(4, '0')})`);
    }
  }
  addHeader(ctx, top, tvb, hrd, pro, hln, pln, op);
  if (gratuitous) tree.add(top, hf_arp.isgratuitous, tvb, 0, 0, true, ItemFlags.GENERATED);
  if (probe) tree.add(top, hf_arp.isprobe, tvb, 0, 0, true, ItemFlags.GENERATED);
  if (announcement) tree.add(top, hf_arp.isannouncement, tvb, 0, 0, true, ItemFlags.GENERATED);
  const ether = isEther(hrd, hln), ipv4 = isIPv4(pro, pln);
  if (hln !== 0) tree.add(top, ether ? hf_arp.src_hw_mac : hf_arp.src_hw, tvb, sha, hln, shaB);
  if (pln !== 0) tree.add(top, ipv4 ? hf_arp.src_proto_ipv4 : hf_arp.src_proto, tvb, spa, pln, ipv4 ? tvb.u32(spa) : spaB);
  if (hln !== 0) tree.add(top, ether ? hf_arp.dst_hw_mac : hf_arp.dst_hw, tvb, tha, hln, thaB);
  if (pln !== 0) tree.add(top, ipv4 ? hf_arp.dst_proto_ipv4 : hf_arp.dst_proto, tvb, tpa, pln, ipv4 ? tvb.u32(tpa) : tpaB);
  return total;
}

tables.ethertype.add(0x0806, dissectArp);
tables.ethertype.add(0x8035, dissectArp);
