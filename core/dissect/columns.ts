// The summary line of a packet (Wireshark's packet-list columns) as `tshark -n -r FILE` prints it:
// No., Time, Source, Destination, Protocol, Length, Info. Alignment follows tshark.c print_columns:
// No. right-aligned in 5, Time right-aligned in 10, Source right-aligned in 12, " → ", Destination
// left-aligned in 12, then Protocol, Length and Info separated by single spaces, unpadded.

import { formatEther, formatIPv4, formatIPv6 } from '../fields/addr.js';
import { AddrType, AddressAt, type Address, type PacketInfo } from './packet.js';

// A capture has few distinct IPv4 addresses and millions of packets: their text is kept in a small
// direct-mapped table (keyed by the address as a signed 32-bit integer, which stays a small integer
// where an unsigned one above 2^31 became a heap number per lookup) instead of being rebuilt twice per
// summary line.
const V4_SLOTS = 1024;
const v4Key = new Int32Array(V4_SLOTS);
const v4Text: string[] = new Array<string>(V4_SLOTS).fill('');

function ipv4Text(b: Uint8Array, o: number): string {
  const key = (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  const h = (key ^ (key >>> 10) ^ (key >>> 20)) & (V4_SLOTS - 1);
  const t = v4Text[h];
  if (t !== '' && v4Key[h] === key) return t;
  const s = formatIPv4(b, o);
  v4Key[h] = key;
  v4Text[h] = s;
  return s;
}

export function formatAddress(a: Address): string {
  switch (a.type) {
    case AddrType.ETHER: return formatEther(a.bytes);
    // Read where the address lies in the frame: no view is made for it.
    case AddrType.IPv4: return a instanceof AddressAt ? ipv4Text(a.data, a.off) : ipv4Text(a.bytes, 0);
    case AddrType.IPv6: return formatIPv6(a.bytes);
    default: return '';
  }
}

/**
 * Seconds since the first packet with `digits` decimals (Wireshark's "automatic" precision: the
 * file's timestamp resolution, 6 for pcap, 9 for nanosecond pcap and pcapng if_tsresol=9). Digits
 * beyond the precision are cut, not rounded (display_signed_time).
 */
export function formatRelativeColumn(relNs: number, digits: number): string {
  const neg = relNs < 0;
  const a = Math.abs(relNs);
  const sec = Math.floor(a / 1e9);
  const ns = Math.round(a - sec * 1e9);
  let out = `${neg ? '-' : ''}${sec}`;
  if (digits > 0) out += '.' + String(Math.floor(ns / 10 ** (9 - digits))).padStart(digits, '0');
  return out;
}

/**
 * The same from two timestamps, exactly: seconds and nanoseconds are kept apart, so a capture spanning
 * years (merged files, a first packet stamped 1970) still prints every digit right, where one float
 * of nanoseconds would not (2^53 ns is 104 days).
 */
export function formatRelativeTs(tsSec: number, tsNsec: number, firstSec: number, firstNsec: number, digits: number): string {
  let sec = tsSec - firstSec;
  let ns = tsNsec - firstNsec;
  if (sec > 0 && ns < 0) { sec--; ns += 1e9; } else if (sec < 0 && ns > 0) { sec++; ns -= 1e9; }
  const neg = sec < 0 || ns < 0;
  if (neg) { sec = -sec; ns = -ns; }
  if (digits <= 0) return `${neg ? '-' : ''}${sec}`;
  const frac = Math.floor(ns / POW10[9 - digits]);
  if (neg || (digits !== 6 && digits !== 9)) {
    const f = String(frac);
    return `${neg ? '-' : ''}${sec}.${ZEROS[digits - f.length]}${f}`;
  }
  // Microseconds (pcap) and nanoseconds (pcapng): the seconds' text is kept while it does not change
  // (thousands of packets a second) and the fraction comes in groups of three digits from a table,
  // without a number-to-string conversion or padding per packet.
  if (sec !== lastSec) {
    lastSec = sec;
    lastSecText = sec + '.';
  }
  if (digits === 6) return lastSecText + DIGITS3[Math.floor(frac / 1000)] + DIGITS3[frac % 1000];
  return lastSecText + DIGITS3[Math.floor(frac / 1e6)] + DIGITS3[Math.floor(frac / 1000) % 1000] + DIGITS3[frac % 1000];
}

let lastSec = -1;
let lastSecText = '';
const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const ZEROS = Array.from({ length: 10 }, (_, i) => '0'.repeat(i));
const SPACES = Array.from({ length: 13 }, (_, i) => ' '.repeat(i));

/** Decimal digits for a timestamp resolution given in units per second (1e6 -> 6, 1e9 -> 9). */
export function precisionDigits(unitsPerSec: number): number {
  if (unitsPerSec <= 1) return 0;
  const d = Math.ceil(Math.log10(unitsPerSec) - 1e-9);
  return Math.min(9, Math.max(0, d));
}

const ARROW = ' \u2192 ';

/** One tshark summary line (no newline) for the packet just dissected into `pinfo`; `time` is the Time column. */
export function summaryLine(pinfo: PacketInfo, time: string): string {
  const no = String(pinfo.num);
  const src = formatAddress(pinfo.src);
  const dst = formatAddress(pinfo.dst);
  // Padding from a table of blanks: this runs once per packet on the CLI's fast path.
  return (no.length < 5 ? SPACES[5 - no.length] + no : no) + ' ' +
    (time.length < 10 ? SPACES[10 - time.length] + time : time) + ' ' +
    (src.length < 12 ? SPACES[12 - src.length] + src : src) + ARROW +
    (dst.length < 12 ? dst + SPACES[12 - dst.length] : dst) + ' ' +
    pinfo.protocol + ' ' + pinfo.origLen + ' ' + pinfo.info;
}
