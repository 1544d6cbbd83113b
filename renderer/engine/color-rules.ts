// Wireshark's default colouring rules, as data: the `colorfilters` file Wireshark 4.0 ships
// (/usr/share/wireshark/colorfilters), in its order (first match wins), each rule a display filter
// compiled by core/filter, so a rule means exactly what it means in Wireshark's filter bar.
//
// Wireshark disables a rule whose filter does not compile. We do the same, with one adaptation: an
// `||` alternative naming a protocol we do not dissect (http2, sctp, smb, ...) could never match, so it
// is dropped rather than losing the whole rule (otherwise "HTTP" would be lost to `|| http2`).

import type { ProtoTree } from '../../core/dissect/tree.js';
import { compileDisplayFilter } from './filter-port.js';

export interface ColorRule {
  name: string;
  /** The rule's display filter as Wireshark ships it. */
  filter: string;
  bg: string;
  fg: string;
}

// Verbatim from Wireshark 4.0.17's colorfilters: @name@filter@[bg r,g,b][fg r,g,b] (16-bit channels).
const COLORFILTERS = `
@Bad TCP@tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack@[4718,10030,11796][63479,34695,34695]
@HSRP State Change@hsrp.state != 8 && hsrp.state != 16@[4718,10030,11796][65535,64764,40092]
@Spanning Tree Topology  Change@stp.type == 0x80@[4718,10030,11796][65535,64764,40092]
@OSPF State Change@ospf.msg != 1@[4718,10030,11796][65535,64764,40092]
@ICMP errors@icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }@[4718,10030,11796][47031,63479,29812]
@ARP@arp@[64250,61680,55255][4718,10030,11796]
@ICMP@icmp || icmpv6@[64764,57568,65535][4718,10030,11796]
@TCP RST@tcp.flags.reset eq 1@[42148,0,0][65535,64764,40092]
@SCTP ABORT@sctp.chunk_type eq ABORT@[42148,0,0][65535,64764,40092]
@TTL low or unexpected@(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))@[42148,0,0][60652,61680,60395]
@Checksum Errors@eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad" || sctp.checksum.status=="Bad" || mstp.checksum.status=="Bad" || cdp.checksum.status=="Bad" || edp.checksum.status=="Bad" || wlan.fcs.status=="Bad" || stt.checksum.status=="Bad"@[4718,10030,11796][63479,34695,34695]
@SMB@smb || nbss || nbns || netbios@[65278,65535,53456][4718,10030,11796]
@HTTP@http || tcp.port == 80 || http2@[58596,65535,51143][4718,10030,11796]
@DCERPC@dcerpc@[51199,38706,65533][4718,10030,11796]
@Routing@hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp@[65534,62325,54808][4718,10030,11796]
@TCP SYN/FIN@tcp.flags & 0x02 || tcp.flags.fin == 1@[41026,41026,41026][4718,10030,11796]
@TCP@tcp@[59345,58980,65535][4718,10030,11796]
@UDP@udp@[56026,61166,65535][4718,10030,11796]
@Broadcast@eth[0] & 1@[65535,65535,65535][47802,48573,46774]
@System Event@systemd_journal || sysdig@[59110,59110,59110][11565,28527,39578]
`;

const hex16 = (v: string) => Math.round(Number(v) / 257).toString(16).padStart(2, '0');
const rgb = (triple: string) => `#${triple.split(',').map(hex16).join('')}`;

export function parseColorfilters(text: string): ColorRule[] {
  const out: ColorRule[] = [];
  for (const line of text.split('\n')) {
    const m = /^@([^@]+)@(.+)@\[(\d+,\d+,\d+)\]\[(\d+,\d+,\d+)\]\s*$/.exec(line);
    if (m) out.push({ name: m[1], filter: m[2], bg: rgb(m[3]), fg: rgb(m[4]) });
  }
  return out;
}

export const COLOR_RULES: readonly ColorRule[] = parseColorfilters(COLORFILTERS);

/** Splits at `||` outside parentheses, braces and quotes. */
function topLevelOr(text: string): string[] {
  const parts: string[] = [];
  let depth = 0, quote = false, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (depth === 0 && c === '|' && text[i + 1] === '|') {
      parts.push(text.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** The filter text a rule runs as here, or null when no part of it can be compiled (rule disabled). */
export function effectiveFilter(filter: string): string | null {
  if (compileDisplayFilter(filter).ok) return filter;
  const kept = topLevelOr(filter).filter((p) => compileDisplayFilter(p).ok);
  return kept.length > 0 ? kept.join(' || ') : null;
}

export class ColorMatcher {
  /** Union of the fields every enabled rule reads: the rows' trees are built with these only. */
  readonly interest: Uint8Array;
  private readonly rules: { index: number; matches: (t: ProtoTree) => boolean }[] = [];
  /** The rules in use, with the filter text each runs as (the legend shows these). */
  readonly enabled: { name: string; filter: string }[] = [];

  constructor(fieldCount: number, rules: readonly ColorRule[] = COLOR_RULES) {
    this.interest = new Uint8Array(fieldCount);
    rules.forEach((r, index) => {
      const text = effectiveFilter(r.filter);
      if (text === null) return;
      const c = compileDisplayFilter(text);
      if (!c.ok) return;
      const f = c.filter;
      for (let i = 0; i < f.interest.length && i < fieldCount; i++) if (f.interest[i]) this.interest[i] = 1;
      this.rules.push({ index, matches: (t) => f.matches(t) });
      this.enabled.push({ name: r.name, filter: text });
    });
  }

  /** Index into COLOR_RULES of the first matching rule for the packet whose tree `t` holds, or -1. */
  match(t: ProtoTree): number {
    for (const r of this.rules) if (r.matches(t)) return r.index;
    return -1;
  }
}
