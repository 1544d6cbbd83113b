// Partitioned reading: which frames can be dissected apart from which others.
//
// A TCP segment's dissection depends on earlier frames only through its own stream (sequence analysis,
// reassembly, HTTP request/response pairing) and on the capture only through frame numbers, times and
// the stream numbering. So a capture can be split into partitions, whole TCP streams each plus one for
// everything else, and each partition dissected by its own engine: the lines come out identical to one
// engine's, as long as every engine assigns stream numbers the same capture-wide way (classifyTcp runs
// over every frame in every partition) and nothing crosses the split.
//
// Things that would cross it make a frame INELIGIBLE, and the reader falls back to one engine: IPv4
// fragments (reassembly joins frames by IP id, not by stream), ICMP/ICMPv6 errors (they quote a TCP
// header and look up its stream), tunnels (IP in IP, any UDP port or EtherType with a dissector that
// may carry frames: VXLAN, Geneve, VLAN tags, bridging) and IPv6 extension headers (TCP inside
// something else), link
// types and headers this peek does not follow exactly as the dissectors do. The peek is deliberately
// narrow: a frame it does not fully understand is ineligible, never guessed.

import type { PacketRecord } from '../capfile/record.js';
import { LinkType } from '../capfile/record.js';
import type { Engine } from './engine.js';
import { classifyTcp, tcpClassified } from './proto/tcp.js';
import { type Ctx, tables } from './table.js';

/** Not TCP, and harmless to dissect apart from the TCP streams (ARP, UDP, DNS, ICMP echo, ESP). */
export const PART_MISC = -1;
/** Dissecting this frame apart from the others could change what is shown: read with one engine. */
export const PART_INELIGIBLE = -2;

// ICMP types that quote the offending datagram (RFC 792: unreachable, source quench, redirect, time
// exceeded, parameter problem) and ICMPv6 error types (RFC 4443 §2.1: types below 128).
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

/** ARPHRD types whose SLL protocol field is a plain EtherType (Ethernet, loopback): the `any` device's usual. */
const SLL_ETHER_LIKE = new Set([1, 772]);

/** IP protocols that never lead back into TCP in our dissectors (UDP: but for the tunnel ports below). */
const IP_MISC = new Set([17 /* UDP */, 50 /* ESP */]);

/** UDP ports whose dissector never leads to TCP (DNS); a port with any other dissector may be a tunnel. */
const UDP_PLAIN = new Set([53, 5353]);
/** A datagram to or from a port with a dissector that may carry frames (VXLAN, Geneve, …) is ineligible. */
const udpMayTunnel = (port: number): boolean => !UDP_PLAIN.has(port) && tables.udpPort.get(port) !== undefined;

/** EtherTypes whose dissectors never lead to TCP (ARP, RARP); an unknown type is shown as data. */
const ETHER_PLAIN = new Set([0x0806, 0x8035]);

export class Partitioner {
  private readonly ctx: Ctx;
  // Addresses are copied into these (classifyTcp reads them and keeps copies of its own): a view
  // per address per frame was a tenth of a lane's time on frames it does not dissect.
  private readonly src4 = new Uint8Array(4);
  private readonly dst4 = new Uint8Array(4);
  private readonly src6 = new Uint8Array(16);
  private readonly dst6 = new Uint8Array(16);
  constructor(engine: Engine) {
    this.ctx = engine.context;
  }

  /** For a TCP frame just classified: what an engine that dissects it needs besides the stream (presetTcp). */
  get tcp(): Readonly<typeof tcpClassified> {
    return tcpClassified;
  }

  /**
   * Frame `num`'s partition: its TCP stream index (>= 0), PART_MISC or PART_INELIGIBLE. Must be called
   * for every frame in order (it assigns the stream numbers).
   */
  classify(rec: PacketRecord, num: number): number {
    const b = rec.data, cap = rec.capLen < b.length ? rec.capLen : b.length;
    let off: number, type: number;
    switch (rec.linkType) {
      case LinkType.ETHERNET:
        if (cap < 14) return PART_MISC; // the Ethernet dissector stops; nothing above it runs
        type = (b[12] << 8) | b[13];
        if (type < 0x600) return PART_MISC; // 802.3 length: LLC shown as data
        off = 14;
        break;
      case LinkType.LINUX_SLL:
        if (cap < 16 || !SLL_ETHER_LIKE.has((b[2] << 8) | b[3])) return PART_INELIGIBLE;
        type = (b[14] << 8) | b[15];
        if (type < 0x600) return PART_INELIGIBLE;
        off = 16;
        break;
      case LinkType.LINUX_SLL2:
        if (cap < 20 || !SLL_ETHER_LIKE.has((b[8] << 8) | b[9])) return PART_INELIGIBLE;
        type = (b[0] << 8) | b[1];
        if (type < 0x600) return PART_INELIGIBLE;
        off = 20;
        break;
      case LinkType.RAW: case LinkType.IPV4: case LinkType.IPV6:
        if (cap < 1) return PART_INELIGIBLE;
        type = b[0] >> 4 === 4 && rec.linkType !== LinkType.IPV6 ? 0x0800 : b[0] >> 4 === 6 && rec.linkType !== LinkType.IPV4 ? 0x86dd : -1;
        if (type < 0) return PART_INELIGIBLE;
        off = 0;
        break;
      default:
        return PART_INELIGIBLE;
    }
    // Bytes the IP layer may use: what the packet says it has (the capture may have cut it).
    const reported = rec.origLen - off;
    if (type === 0x0800) return this.ipv4(b, off, cap, reported, num);
    if (type === 0x86dd) return this.ipv6(b, off, cap, reported, num);
    // Other ethertypes: ARP, and types nothing dissects (data), never carry TCP; any other dissector
    // might (VLAN tags, transparent Ethernet bridging): not followed, ineligible.
    return ETHER_PLAIN.has(type) || tables.ethertype.get(type) === undefined ? PART_MISC : PART_INELIGIBLE;
  }

  private ipv4(b: Uint8Array, off: number, cap: number, reported: number, num: number): number {
    if (cap < off + 20 || b[off] >> 4 !== 4) return PART_INELIGIBLE;
    const hlen = (b[off] & 0x0f) * 4;
    const total = (b[off + 2] << 8) | b[off + 3];
    const fo = (b[off + 6] << 8) | b[off + 7];
    if (hlen < 20 || cap < off + hlen || total < hlen || total > reported) return PART_INELIGIBLE;
    if ((fo & 0x3fff) !== 0) return PART_INELIGIBLE; // MF or an offset: a fragment
    const proto = b[off + 9];
    const src = this.src4, dst = this.dst4;
    for (let i = 0; i < 4; i++) { src[i] = b[off + 12 + i]; dst[i] = b[off + 16 + i]; }
    return this.transport(b, off + hlen, Math.min(cap, off + total), total - hlen, proto, src, dst, num, false);
  }

  private ipv6(b: Uint8Array, off: number, cap: number, reported: number, num: number): number {
    if (cap < off + 40 || b[off] >> 4 !== 6) return PART_INELIGIBLE;
    const plen = (b[off + 4] << 8) | b[off + 5];
    if (plen === 0 || 40 + plen > reported) return PART_INELIGIBLE; // jumbogram or cut short
    const src = this.src6, dst = this.dst6;
    for (let i = 0; i < 16; i++) { src[i] = b[off + 8 + i]; dst[i] = b[off + 24 + i]; }
    return this.transport(b, off + 40, Math.min(cap, off + 40 + plen), plen, b[off + 6], src, dst, num, true);
  }

  /** `off`..`end`: the captured transport bytes; `len`: the transport length the IP header states. */
  private transport(b: Uint8Array, off: number, end: number, len: number, proto: number, src: Uint8Array, dst: Uint8Array, num: number, v6: boolean): number {
    if (proto === 6) {
      if (end - off < 20) return PART_INELIGIBLE;
      const hlen = (b[off + 12] >> 4) * 4;
      if (hlen < 20 || hlen > len || off + hlen > end) return PART_INELIGIBLE;
      const sport = (b[off] << 8) | b[off + 1], dport = (b[off + 2] << 8) | b[off + 3];
      const seq = ((b[off + 4] << 24) | (b[off + 5] << 16) | (b[off + 6] << 8) | b[off + 7]) >>> 0;
      const ack = ((b[off + 8] << 24) | (b[off + 9] << 16) | (b[off + 10] << 8) | b[off + 11]) >>> 0;
      const flags = ((b[off + 12] << 8) | b[off + 13]) & 0xfff;
      return classifyTcp(this.ctx, num, src, dst, sport, dport, flags, seq, ack);
    }
    if (proto === 17) {
      if (end - off < 4) return PART_INELIGIBLE;
      const sport = (b[off] << 8) | b[off + 1], dport = (b[off + 2] << 8) | b[off + 3];
      return udpMayTunnel(sport) || udpMayTunnel(dport) ? PART_INELIGIBLE : PART_MISC;
    }
    if (IP_MISC.has(proto)) return PART_MISC;
    if (proto === (v6 ? 58 : 1)) {
      if (end - off < 1) return PART_INELIGIBLE;
      const t = b[off];
      return (v6 ? t < 128 : ICMP_ERRORS.has(t)) ? PART_INELIGIBLE : PART_MISC;
    }
    return PART_INELIGIBLE;
  }
}
