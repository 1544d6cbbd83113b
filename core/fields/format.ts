// Field values and tree labels as text, from the field registry: the one place that turns a value into
// what Wireshark prints. Two outputs, which tshark 4.0.17 formats differently:
//   labels      (-V, the detail pane): epan/proto.c proto_item_fill_label: "Name: value", value strings
//               "Type: IPv4 (0x0800)", bit patterns "0100 .... = Version: 4", booleans by their
//               true/false strings, [generated], hex digits from the bitmask's width;
//   field text  (-T fields -e, -Y's "value" side): epan/print.c get_node_field_value and the ftypes'
//               FTREPR_DISPLAY: raw numbers without value strings, hex padded to the TYPE's width
//               (tcp.flags is "0x0002" there but "0x002" in its label), booleans 1/0, bytes as bare
//               hex, protocols as their label, FT_NONE as "1".
// Every rule below was checked against `tshark -n` output on captures made here (see
// test/unit/core/fields/format.test.ts and test/integration/read-vs-tshark.test.ts).

import { formatEther, formatIPv4Number, formatIPv6 } from './addr.js';
import { Base, FT, type Field, type FieldValue, fieldById, typeBits } from './registry.js';
import { ItemFlags, type ProtoTree } from '../dissect/tree.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// ---------------------------------------------------------------------------------------------
// Numbers

/** Bits a masked field spans, lowest to highest set bit (proto.c hfinfo_mask_bitwidth). */
function maskBitWidth(mask: number): number {
  if (mask === 0) return 0;
  const m = mask >>> 0;
  const hi = 31 - Math.clz32(m);
  const lo = 31 - Math.clz32(m & -m);
  return hi - lo + 1;
}

function maskShift(mask: number): number {
  const m = mask >>> 0;
  return m === 0 ? 0 : 31 - Math.clz32(m & -m);
}

/** Hex digits of a label value: from the bitmask when there is one, else the type (hfinfo_hex_digits). */
function labelHexDigits(f: Field): number {
  const bits = f.bitmask ? maskBitWidth(f.bitmask) : typeBits(f.type);
  return Math.max(1, (bits + 3) >> 2);
}

function hexPad(v: number | bigint, digits: number): string {
  let x: bigint | number = v;
  if (typeof x === 'number' && x < 0) x = x >>> 0;
  if (typeof x === 'bigint' && x < 0n) x = BigInt.asUintN(64, x);
  return '0x' + x.toString(16).padStart(digits, '0');
}

/** A number as its display base says (hfinfo_number_value_format), `digits` hex digits when hex. */
function numberByBase(v: number | bigint, base: Base | undefined, digits: number): string {
  switch (base) {
    case Base.HEX: return hexPad(v, digits);
    case Base.DEC_HEX: return `${v} (${hexPad(v, digits)})`;
    case Base.HEX_DEC: return `${hexPad(v, digits)} (${v})`;
    case Base.OCT: return v === 0 || v === 0n ? '0' : '0' + v.toString(8);
    default: return String(v);
  }
}

/** C's "%.15g" (Wireshark prints doubles with DBL_DIG significant digits). */
export function formatDouble(x: number, precision = 15): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  let s: string;
  if (exp < -4 || exp >= precision) {
    s = x.toExponential(precision - 1);
    const [m, e] = s.split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  s = x.toFixed(Math.max(0, precision - 1 - exp));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

// ---------------------------------------------------------------------------------------------
// Times

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => (n < 10 ? '0' : '') + n;

let tzCache: { hour: number; name: string } | null = null;

/**
 * Where the local zone's abbreviation comes from. tshark prints strftime's %Z ("CST", "CET"); core/
 * cannot read the system's zone files, so the Node side installs a provider that does
 * (electron/cli/zone-names.ts); the fallback asks Intl, which knows "EST" but says "GMT+8" for China.
 */
let zoneProvider: ((date: Date) => string | undefined) | null = null;
export function setZoneNameProvider(fn: ((date: Date) => string | undefined) | null): void {
  zoneProvider = fn;
  tzCache = null;
}

function zoneName(d: Date): string {
  const hour = Math.floor(d.getTime() / 3_600_000);
  if (tzCache !== null && tzCache.hour === hour) return tzCache.name;
  let name = zoneProvider?.(d);
  if (name === undefined) {
    try {
      const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
      name = part?.value ?? 'UTC';
    } catch {
      // No Intl time zone data: fall back to the offset.
      const off = -d.getTimezoneOffset();
      name = off === 0 ? 'UTC' : `GMT${off > 0 ? '+' : '-'}${Math.abs(off) / 60}`;
    }
  }
  tzCache = { hour, name };
  return name;
}

function nsParts(ns: bigint): { sec: number; frac: string } {
  let sec = ns / 1_000_000_000n;
  let rem = ns % 1_000_000_000n;
  if (rem < 0n) { rem += 1_000_000_000n; sec -= 1n; }
  return { sec: Number(sec), frac: rem.toString().padStart(9, '0') };
}

/**
 * An absolute time as tshark 4.0 prints frame.time: "Nov  5, 2026 09:01:47.123456789 UTC" (day padded
 * to 2 with a space, 9 decimals always, the local zone unless `utc`).
 */
export function formatAbsTime(ns: bigint, utc = false): string {
  const { sec, frac } = nsParts(ns);
  const d = new Date(sec * 1000);
  if (utc) {
    return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${frac} UTC`;
  }
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')}, ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${frac} ${zoneName(d)}`;
}

/** Seconds since the epoch with 9 decimals (frame.time_epoch). */
export function formatEpochTime(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  return `${neg ? '-' : ''}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/** A relative time in nanoseconds as seconds with 9 decimals ("0.000370000", "-1.500000000"). */
export function formatRelTime(ns: number | bigint): string {
  if (typeof ns === 'bigint') {
    // Beyond 2^53 ns (a capture spanning years): exact in integers.
    const negB = ns < 0n;
    const a = negB ? -ns : ns;
    return `${negB ? '-' : ''}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0')}`;
  }
  const neg = ns < 0;
  const a = Math.round(Math.abs(ns));
  const s = Math.floor(a / 1e9);
  const f = a - s * 1e9;
  return `${neg && a !== 0 ? '-' : ''}${s}.${String(f).padStart(9, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Strings and bytes

/**
 * Label text of a string (epan/strutil.c format_text): C escapes for \a\b\f\n\r\t\v, other control
 * characters as 3-digit octal, everything printable (including non-ASCII) as is.
 */
export function escapeLabelText(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) { out += s[i]; continue; }
    switch (c) {
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x0b: out += '\\v'; break;
      default: out += '\\' + c.toString(8).padStart(3, '0');
    }
  }
  return out;
}

/**
 * -T fields text of a string: tshark 4.0 escapes only CR, LF and TAB (so one field stays on one line
 * and in one column); other control bytes, quotes and backslashes are printed raw.
 */
export function escapeFieldText(s: string): string {
   
  if (!/[\t\n\r]/.test(s)) return s;
  return s.replace(/[\t\n\r]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export function bytesToHex(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i > 0 && sep ? sep : '') + HEX[b[i]];
  return s;
}

/** Bytes in a label: at most 36 shown, then "…" (epan/to_str.c bytes_to_str, MAX_BYTE_STR_LEN). */
function bytesLabel(b: Uint8Array, base: Base | undefined): string {
  const max = 36;
  const shown = b.length > max ? b.subarray(0, max) : b;
  const sep = base === Base.SEP_COLON ? ':' : '';
  return bytesToHex(shown, sep) + (b.length > max ? '…' : '');
}

// ---------------------------------------------------------------------------------------------
// -T fields value text

/** The text tshark -T fields prints for one value of `f` (FTREPR_DISPLAY). */
export function fieldValueText(f: Field, v: FieldValue): string {
  switch (f.type) {
    case FT.NONE: return '1';
    case FT.PROTOCOL: return f.abbrev;
    case FT.BOOLEAN: return v ? '1' : '0';
    case FT.UINT8: case FT.UINT16: case FT.UINT24: case FT.UINT32: case FT.UINT64:
      if (f.base === Base.HEX || f.base === Base.HEX_DEC) return hexPad(v as number | bigint, typeBits(f.type) >> 2);
      if (f.base === Base.OCT) return numberByBase(v as number | bigint, Base.OCT, 0);
      return String(v);
    case FT.INT8: case FT.INT16: case FT.INT32: case FT.INT64: case FT.FRAMENUM:
      return String(v);
    case FT.CHAR: return f.base === Base.HEX ? hexPad(v as number, 2) : String.fromCharCode(v as number);
    case FT.FLOAT: return formatDouble(v as number, 6);
    case FT.DOUBLE: return formatDouble(v as number);
    case FT.ABSOLUTE_TIME:
      if (f.base === Base.TIME_EPOCH) return formatEpochTime(v as bigint);
      return formatAbsTime(v as bigint, f.base === Base.TIME_UTC);
    case FT.RELATIVE_TIME: return formatRelTime(v as number | bigint);
    case FT.STRING: return escapeFieldText(v as string);
    case FT.BYTES: {
      const b = v as Uint8Array | null;
      if (b === null) return '';
      // epan/ftypes/ftype-bytes.c bytes_to_repr: an empty byte string is "<none>" (ipv6.opt.padn
      // of a PadN option with no padding bytes).
      if (b.length === 0) return '<none>';
      return bytesToHex(b, f.base === Base.SEP_COLON ? ':' : '');
    }
    case FT.ETHER: return formatEther(v as Uint8Array);
    case FT.IPv4: return formatIPv4Number(v as number);
    case FT.IPv6: return formatIPv6(v as Uint8Array);
    default: return String(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Labels

/** "0100 ...." for `raw` (the unshifted value) under `mask` in a `width`-bit container (decode_bitfield_value). */
export function bitPattern(raw: number, mask: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const inMask = Math.floor(mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(raw / bit) % 2 === 1 ? '1' : '0') : '.';
    if (i > 0 && (width - i) % 4 === 0) s += ' ';
  }
  return s;
}

function containerBits(f: Field): number {
  if (f.bitWidth) return f.bitWidth;
  if (f.type === FT.BOOLEAN) return 8;
  return typeBits(f.type);
}

/** The value part of a label (after "Name: "), from the value alone. */
export function labelValueText(f: Field, v: FieldValue): string {
  switch (f.type) {
    case FT.NONE: case FT.PROTOCOL: return '';
    case FT.BOOLEAN: {
      const tfs = f.tfs ?? ['True', 'False'];
      return v ? tfs[0] : tfs[1];
    }
    case FT.UINT8: case FT.UINT16: case FT.UINT24: case FT.UINT32: case FT.UINT64:
    case FT.INT8: case FT.INT16: case FT.INT32: case FT.INT64: case FT.CHAR: {
      const n = v as number | bigint;
      const digits = labelHexDigits(f);
      if (f.strings) {
        const s = f.strings[Number(n)];
        // BASE_NONE with value strings shows the string alone ("Checksum Status: Unverified").
        if (f.base === Base.NONE) return s ?? `Unknown (${n})`;
        // With value strings only the first base is shown: BASE_DEC_HEX as DEC, BASE_HEX_DEC as HEX.
        const base = f.base === Base.DEC_HEX ? Base.DEC : f.base === Base.HEX_DEC ? Base.HEX : f.base;
        return `${s ?? 'Unknown'} (${numberByBase(n, base, digits)})`;
      }
      return numberByBase(n, f.base, digits) + (f.unit ?? '');
    }
    case FT.FRAMENUM: return String(v);
    case FT.FLOAT: return formatDouble(v as number, 6) + (f.unit ?? '');
    case FT.DOUBLE: return formatDouble(v as number) + (f.unit ?? '');
    case FT.ABSOLUTE_TIME:
      // frame.time_epoch is an FT_RELATIVE_TIME in Wireshark 4.0, hence its " seconds".
      if (f.base === Base.TIME_EPOCH) return formatEpochTime(v as bigint) + ' seconds';
      return formatAbsTime(v as bigint, f.base === Base.TIME_UTC);
    case FT.RELATIVE_TIME: return formatRelTime(v as number | bigint) + ' seconds';
    case FT.STRING: return escapeLabelText(v as string);
    case FT.BYTES: return v === null ? '<MISSING>' : bytesLabel(v as Uint8Array, f.base);
    case FT.ETHER: return formatEther(v as Uint8Array);
    case FT.IPv4: return formatIPv4Number(v as number);
    case FT.IPv6: return formatIPv6(v as Uint8Array);
    default: return String(v);
  }
}

/** The "0100 .... = " prefix of a masked field's label, or "". */
function bitPrefix(f: Field, v: FieldValue): string {
  if (!f.bitmask) return '';
  const mask = f.bitmask >>> 0;
  const width = containerBits(f);
  if (width === 0 || width > 32) return '';
  let raw: number;
  if (f.type === FT.BOOLEAN) raw = v ? mask : 0;
  else raw = ((Number(v) << maskShift(mask)) & mask) >>> 0;
  return bitPattern(raw, mask, width) + ' = ';
}

/** A label from a field and value, as proto_item_fill_label builds it (no override, no brackets). */
export function formatFieldLabel(f: Field, v: FieldValue): string {
  if (f.type === FT.NONE || f.type === FT.PROTOCOL) return f.name;
  return `${bitPrefix(f, v)}${f.name}: ${labelValueText(f, v)}`;
}

const LABEL_MAX = 239;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The longest prefix of `s` within `max` UTF-8 bytes, never splitting a character. */
function cutUtf8(s: string, max: number): string {
  const b = utf8Encoder.encode(s);
  if (b.length <= max) return s;
  let end = max;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return utf8Decoder.decode(b.subarray(0, end));
}

/** The label of tree item `i` as `tshark -V` and the detail pane show it. */
export function itemLabel(tree: ProtoTree, i: number): string {
  const f = fieldById(tree.field[i]);
  const v = tree.value[i];
  let label: string;
  const text = tree.text[i];
  if (text !== undefined) {
    label = text;
  } else {
    const vt = tree.valueText[i];
    if (vt !== undefined && f.type !== FT.NONE && f.type !== FT.PROTOCOL) label = `${bitPrefix(f, v)}${f.name}: ${vt}`;
    else label = formatFieldLabel(f, v);
  }
  const suffix = tree.suffix[i];
  if (suffix !== undefined) label += suffix;
  // proto.c brackets generated items; a text that a dissector already bracketed is left as it is.
  const generated = (tree.flags[i] & ItemFlags.GENERATED) !== 0;
  if (generated && label.charCodeAt(0) === 0x5b && label.charCodeAt(label.length - 1) === 0x5d) label = label.slice(1, -1);
  // Labels live in ITEM_LABEL_LENGTH (240) bytes with the NUL: longer ones are cut ("…#32(52]").
  if (label.length > LABEL_MAX) label = cutUtf8(label, LABEL_MAX);
  return generated ? `[${label}]` : label;
}

/**
 * The -T fields text of tree item `i` (epan/print.c get_node_field_value): a protocol prints its
 * label only when its dissector gave it one (fi->rep: "Transmission Control Protocol, Src Port: …"),
 * else its filter name ("http"); the "data" protocol prints its bytes in hex, like a field.
 */
export function itemFieldText(tree: ProtoTree, i: number): string {
  const f = fieldById(tree.field[i]);
  if (f.type === FT.PROTOCOL) {
    if (f.abbrev === 'data') {
      const src = tree.sources[tree.source[i]];
      return src ? bytesToHex(src.bytes.subarray(tree.start[i], tree.start[i] + tree.length[i])) : '';
    }
    const text = tree.text[i], suffix = tree.suffix[i];
    if (text !== undefined) return text + (suffix ?? '');
    return suffix !== undefined ? f.name + suffix : f.abbrev;
  }
  return fieldValueText(f, tree.value[i]);
}
