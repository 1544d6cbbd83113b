// Wireshark's default colouring rules (the `colorfilters` file shipped with Wireshark 4.0), in its
// order (first match wins), limited to the protocols we dissect. Colours are Wireshark's, converted
// from its 16-bit RGB triples. Evaluated on a 'fields' tree holding only the fields named here.

import type { ProtoTree } from '../../core/dissect/tree.js';
import { type Field, fieldByName } from '../../core/fields/registry.js';

export interface ColorRule {
  name: string;
  /** The rule's display filter, as in Wireshark's colorfilters (shown in the legend). */
  filter: string;
  bg: string;
  fg: string;
}

export const COLOR_RULES: readonly ColorRule[] = [
  { name: 'Bad TCP', filter: 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack', bg: '#12272e', fg: '#f78787' },
  { name: 'ICMP errors', filter: 'icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }', bg: '#12272e', fg: '#b7f774' },
  { name: 'ARP', filter: 'arp', bg: '#faf0d7', fg: '#12272e' },
  { name: 'ICMP', filter: 'icmp || icmpv6', bg: '#fce0ff', fg: '#12272e' },
  { name: 'TCP RST', filter: 'tcp.flags.reset eq 1', bg: '#a40000', fg: '#fffc9c' },
  { name: 'Checksum Errors', filter: 'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad"', bg: '#12272e', fg: '#f78787' },
  { name: 'HTTP', filter: 'http || tcp.port == 80 || http2', bg: '#e4ffc7', fg: '#12272e' },
  { name: 'TCP SYN/FIN', filter: 'tcp.flags & 0x02 || tcp.flags.fin == 1', bg: '#a0a0a0', fg: '#12272e' },
  { name: 'TCP', filter: 'tcp', bg: '#e7e6ff', fg: '#12272e' },
  { name: 'UDP', filter: 'udp', bg: '#daeeff', fg: '#12272e' },
  { name: 'Broadcast', filter: 'eth[0] & 1', bg: '#ffffff', fg: '#babdb6' },
];

// Checksum status value "Bad" is 0 in Wireshark's proto_checksum_vals (packet-*.c: PROTO_CHECKSUM_E_BAD).
const CHECKSUM_BAD = 0;
const NAMES = [
  'tcp', 'udp', 'arp', 'icmp', 'icmpv6', 'http', 'http2', 'eth.dst', 'tcp.port', 'icmp.type', 'icmpv6.type',
  'tcp.flags.reset', 'tcp.flags.syn', 'tcp.flags.fin', 'tcp.analysis.flags', 'tcp.analysis.window_update',
  'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack', 'eth.fcs.status', 'ip.checksum.status',
  'tcp.checksum.status', 'udp.checksum.status',
] as const;
type Name = (typeof NAMES)[number];

export class ColorMatcher {
  private readonly f = new Map<Name, Field>();
  readonly interest: Uint8Array;

  constructor(fieldCount: number) {
    this.interest = new Uint8Array(fieldCount);
    for (const n of NAMES) {
      const field = fieldByName(n);
      if (field) {
        this.f.set(n, field);
        this.interest[field.id] = 1;
      }
    }
  }

  private has(t: ProtoTree, n: Name): boolean {
    const field = this.f.get(n);
    return field !== undefined && t.find(field) >= 0;
  }
  private values(t: ProtoTree, n: Name): unknown[] {
    const field = this.f.get(n);
    return field === undefined ? [] : t.valuesOf(field);
  }
  private anyTrue(t: ProtoTree, n: Name): boolean {
    return this.values(t, n).some((v) => v === true || v === 1);
  }
  private anyNum(t: ProtoTree, n: Name, ok: (v: number) => boolean): boolean {
    return this.values(t, n).some((v) => typeof v === 'number' && ok(v));
  }

  /** Index of the first matching rule for the packet whose tree `t` holds, or -1. */
  match(t: ProtoTree): number {
    const R = (name: string) => COLOR_RULES.findIndex((r) => r.name === name);
    if (this.has(t, 'tcp.analysis.flags') && !this.has(t, 'tcp.analysis.window_update') && !this.has(t, 'tcp.analysis.keep_alive') && !this.has(t, 'tcp.analysis.keep_alive_ack')) return R('Bad TCP');
    if (this.anyNum(t, 'icmp.type', (v) => (v >= 3 && v <= 5) || v === 11) || this.anyNum(t, 'icmpv6.type', (v) => v >= 1 && v <= 4)) return R('ICMP errors');
    if (this.has(t, 'arp')) return R('ARP');
    if (this.has(t, 'icmp') || this.has(t, 'icmpv6')) return R('ICMP');
    if (this.anyTrue(t, 'tcp.flags.reset')) return R('TCP RST');
    if ((['eth.fcs.status', 'ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status'] as const).some((n) => this.anyNum(t, n, (v) => v === CHECKSUM_BAD))) return R('Checksum Errors');
    if (this.has(t, 'http') || this.has(t, 'http2') || this.anyNum(t, 'tcp.port', (v) => v === 80)) return R('HTTP');
    if (this.anyTrue(t, 'tcp.flags.syn') || this.anyTrue(t, 'tcp.flags.fin')) return R('TCP SYN/FIN');
    if (this.has(t, 'tcp')) return R('TCP');
    if (this.has(t, 'udp')) return R('UDP');
    const dst = this.values(t, 'eth.dst')[0];
    if (dst instanceof Uint8Array && (dst[0] & 1) === 1) return R('Broadcast');
    return -1;
  }
}
