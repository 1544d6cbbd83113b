// Literal values typed by the field they are compared with (Wireshark's fvalue_from_literal and
// fvalue_from_string in epan/ftypes/*.c): integers (dec/hex/octal/binary, value-string names,
// 'c'), booleans, MAC/IPv4/IPv6 addresses with prefixes, byte strings, strings, times.
// Error texts follow tshark 4.0.17's where it has one.

import { FT, type Field, typeBits } from '../fields/registry.js';
import { parseCBigInt, parseCInt } from './lexer.js';

/** How the evaluator holds values of a field type (see FieldValue in core/fields/registry.ts). */
export type Kind = 'int' | 'int64' | 'bool' | 'float' | 'ipv4' | 'ipv6' | 'bytes' | 'string' | 'abstime' | 'reltime' | 'none';

export function kindOf(type: FT): Kind {
  switch (type) {
    case FT.UINT8: case FT.UINT16: case FT.UINT24: case FT.UINT32: case FT.INT8: case FT.INT16: case FT.INT32:
    case FT.FRAMENUM: case FT.CHAR: return 'int';
    case FT.UINT64: case FT.INT64: return 'int64';
    case FT.BOOLEAN: return 'bool';
    case FT.FLOAT: case FT.DOUBLE: return 'float';
    case FT.IPv4: return 'ipv4';
    case FT.IPv6: return 'ipv6';
    case FT.ETHER: case FT.BYTES: case FT.PROTOCOL: return 'bytes';
    case FT.STRING: return 'string';
    case FT.ABSOLUTE_TIME: return 'abstime';
    case FT.RELATIVE_TIME: return 'reltime';
    default: return 'none';
  }
}

/** Wireshark's ftype_pretty_name texts, used in its error messages. */
export function typeName(type: FT): string {
  switch (type) {
    case FT.NONE: return 'Label';
    case FT.PROTOCOL: return 'Protocol';
    case FT.BOOLEAN: return 'Boolean';
    case FT.CHAR: return 'Character (1 byte)';
    case FT.UINT8: return 'Unsigned integer (1 byte)';
    case FT.UINT16: return 'Unsigned integer (2 bytes)';
    case FT.UINT24: return 'Unsigned integer (3 bytes)';
    case FT.UINT32: return 'Unsigned integer (4 bytes)';
    case FT.UINT64: return 'Unsigned integer (8 bytes)';
    case FT.INT8: return 'Signed integer (1 byte)';
    case FT.INT16: return 'Signed integer (2 bytes)';
    case FT.INT32: return 'Signed integer (4 bytes)';
    case FT.INT64: return 'Signed integer (8 bytes)';
    case FT.FLOAT: return 'Floating point (single-precision)';
    case FT.DOUBLE: return 'Floating point (double-precision)';
    case FT.ABSOLUTE_TIME: return 'Date and time';
    case FT.RELATIVE_TIME: return 'Time offset';
    case FT.STRING: return 'Character string';
    case FT.BYTES: return 'Byte sequence';
    case FT.ETHER: return 'Ethernet or other MAC address';
    case FT.IPv4: return 'IPv4 address';
    case FT.IPv6: return 'IPv6 address';
    case FT.FRAMENUM: return 'Frame number';
  }
}

export interface IPv4Value { addr: number; mask: number }
export interface IPv6Value { bytes: Uint8Array; prefix: number }
export type Const = number | bigint | boolean | string | Uint8Array | IPv4Value | IPv6Value;

/** A literal as written: an unquoted word, a "string" (with its bytes) or a 'c' character. */
export type Literal =
  | { k: 'word'; text: string }
  | { k: 'string'; text: string; bytes: Uint8Array }
  | { k: 'char'; value: number };

export class ValueError {
  constructor(readonly message: string) {}
}

function shown(lit: Literal): string {
  return lit.k === 'word' ? lit.text : lit.k === 'string' ? lit.text : String.fromCharCode(lit.value);
}

const SIGNED = new Set([FT.INT8, FT.INT16, FT.INT32, FT.INT64]);

function lookupValueString(field: Field, text: string): number | undefined {
  if (!field.strings) return undefined;
  let ci: number | undefined;
  for (const [k, v] of Object.entries(field.strings)) {
    if (v === text) return Number(k);
    if (ci === undefined && v.toLowerCase() === text.toLowerCase()) ci = Number(k);
  }
  return ci;
}

function intConst(field: Field, lit: Literal): number | bigint {
  const type = field.type;
  const wide = type === FT.UINT64 || type === FT.INT64;
  if (lit.k === 'char') return wide ? BigInt(lit.value) : lit.value;
  if (lit.k === 'string') {
    const vs = lookupValueString(field, lit.text);
    if (vs !== undefined) return wide ? BigInt(vs) : vs;
    throw new ValueError(`${typeName(type)} cannot be converted from a string ("${lit.text}").`);
  }
  const text = lit.text;
  const neg = text.startsWith('-');
  const body = neg || text.startsWith('+') ? text.slice(1) : text;
  const big = parseCBigInt(body);
  if (big === null) {
    const vs = lookupValueString(field, text);
    if (vs !== undefined) return wide ? BigInt(vs) : vs;
    if (field.strings) throw new ValueError(`"${text}" cannot be found among the possible values for ${field.abbrev}.`);
    throw new ValueError(`"${text}" is not a valid number.`);
  }
  const v = neg ? -big : big;
  const bits = BigInt(typeBits(type));
  if (SIGNED.has(type)) {
    const max = (1n << (bits - 1n)) - 1n, min = -(1n << (bits - 1n));
    if (v > max) throw new ValueError(`"${text}" too big for this field, maximum ${max}.`);
    if (v < min) throw new ValueError(`"${text}" too small for this field, minimum ${min}.`);
  } else {
    const max = (1n << bits) - 1n;
    if (v > max) throw new ValueError(`"${text}" too big for this field, maximum ${max}.`);
    // tshark 4.0 accepts a negative value for an unsigned field (it then matches nothing with ==).
  }
  return wide ? v : Number(v);
}

function boolConst(field: Field, lit: Literal): boolean {
  if (lit.k === 'char') return lit.value !== 0;
  const t = lit.text.toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (lit.k === 'word') {
    const body = t.startsWith('-') ? t.slice(1) : t;
    const n = parseCBigInt(body);
    if (n !== null) return n !== 0n;
  }
  throw new ValueError(`"${lit.text}" cannot be found among the possible values for ${field.abbrev}.`);
}

function floatConst(lit: Literal): number {
  if (lit.k === 'char') return lit.value;
  if (lit.k === 'string') throw new ValueError(`Floating point cannot be converted from a string ("${lit.text}").`);
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(lit.text) && !/^[-+]?0[xX][0-9a-fA-F]+$/.test(lit.text)) {
    throw new ValueError(`"${lit.text}" is not a valid number.`);
  }
  return Number(lit.text);
}

export function parseIPv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v;
}

function ipv4Const(lit: Literal): IPv4Value {
  if (lit.k !== 'word') throw new ValueError(`IPv4 address cannot be converted from a string ("${shown(lit)}").`);
  const [addrText, bitsText, ...extra] = lit.text.split('/');
  const addr = parseIPv4(addrText);
  if (addr === null || extra.length > 0) throw new ValueError(`"${addrText}" is not a valid hostname or IPv4 address.`);
  let bits = 32;
  if (bitsText !== undefined) {
    if (!/^\d+$/.test(bitsText)) throw new ValueError(`"${bitsText}" is not a valid number of netmask bits.`);
    bits = Number(bitsText);
    if (bits > 32) throw new ValueError(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}`);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { addr, mask };
}

/** RFC 4291 §2.2 text forms, including "::" and a trailing dotted IPv4 part. */
export function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (head === null || tail === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return null;
    groups = head;
  }
  const b = new Uint8Array(16);
  for (let i = 0; i < 8; i++) { b[2 * i] = groups[i] >> 8; b[2 * i + 1] = groups[i] & 255; }
  return b;
}

function ipv6Const(lit: Literal): IPv6Value {
  if (lit.k !== 'word') throw new ValueError(`IPv6 address cannot be converted from a string ("${shown(lit)}").`);
  const slash = lit.text.indexOf('/');
  const addrText = slash < 0 ? lit.text : lit.text.slice(0, slash);
  const bytes = parseIPv6(addrText);
  if (bytes === null) throw new ValueError(`"${addrText}" is not a valid hostname or IPv6 address.`);
  let prefix = 128;
  if (slash >= 0) {
    const p = lit.text.slice(slash + 1);
    if (!/^\d+$/.test(p)) throw new ValueError(`"${p}" is not a valid prefix length.`);
    prefix = Number(p);
    if (prefix > 128) throw new ValueError(`Prefix in a IPv6 address should be <= 128, not ${prefix}`);
  }
  return { bytes, prefix };
}

/**
 * Byte strings as Wireshark's bytes_from_literal reads them: hex pairs separated by ':', '-' or '.'
 * (consistently), or run together ("aabbcc"); one or two hex digits are one byte.
 */
export function parseByteString(text: string): Uint8Array | null {
  if (/^[0-9a-fA-F]{1,2}$/.test(text)) return Uint8Array.of(parseInt(text, 16));
  let parts: string[];
  const m = /[:.-]/.exec(text);
  if (m) {
    parts = text.split(m[0]);
    // With separators every byte is two hex digits (scanner.l's byte-string and MAC patterns).
    if (!parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) {
      // MAC addresses are also written in dotted quads of hex: 0200.000b.0001.
      if (m[0] === '.' && parts.every((p) => /^[0-9a-fA-F]{4}$/.test(p))) parts = parts.flatMap((p) => [p.slice(0, 2), p.slice(2)]);
      else return null;
    }
  } else {
    if (text.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(text)) return null;
    parts = text.match(/../g) as string[];
  }
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

function bytesConst(field: Field | null, type: FT, lit: Literal): Uint8Array {
  if (lit.k === 'char') return Uint8Array.of(lit.value);
  if (lit.k === 'string') {
    if (type === FT.ETHER) throw new ValueError(`${typeName(type)} cannot be converted from a string ("${lit.text}").`);
    return lit.bytes;
  }
  let b = parseByteString(lit.text);
  if (b === null) {
    // A single byte may also be written as an integer (0x33, 51).
    const n = parseCInt(lit.text);
    if (n !== null && n <= 255) b = Uint8Array.of(n);
  }
  if (b === null && type === FT.ETHER && /^[0-9a-fA-F]+$/.test(lit.text)) {
    const n = Math.ceil(lit.text.length / 2);
    throw new ValueError(`"${lit.text}" contains too ${n > 6 ? 'many' : 'few'} bytes to be a valid Ethernet address.`);
  }
  if (b === null) {
    if (type === FT.ETHER) throw new ValueError(`"${lit.text}" is not a valid Ethernet address.`);
    throw new ValueError(`"${lit.text}" is not a valid byte string.`);
  }
  if (type === FT.ETHER && field !== null) {
    if (b.length > 6) throw new ValueError(`"${lit.text}" contains too many bytes to be a valid Ethernet address.`);
    if (b.length < 6) throw new ValueError(`"${lit.text}" contains too few bytes to be a valid Ethernet address.`);
  }
  return b;
}

/** Relative time: seconds with an optional fraction ("0.5", "-1.25"), kept in nanoseconds. */
function relTimeConst(lit: Literal): number | bigint {
  if (lit.k !== 'word') throw new ValueError(`Time offset cannot be converted from a string ("${shown(lit)}").`);
  const m = /^(-)?(\d*)(?:\.(\d{0,9})\d*)?$/.exec(lit.text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw new ValueError(`"${lit.text}" is not a valid time.`);
  const ns = Number(m[2] || '0') * 1e9 + Number((m[3] ?? '').padEnd(9, '0'));
  // Past 2^53 ns (104 days) a number drops nanoseconds: exact as a bigint, as the field values are.
  if (Math.abs(ns) >= 9e15) {
    const big = BigInt(m[2] || '0') * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
    return m[1] ? -big : big;
  }
  return m[1] ? -ns : ns;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Absolute time: "Nov 12, 1999 08:55:44.123" (local time, as Wireshark shows frame.time) or ISO 8601
 * "2011-07-04 12:34:56[.frac][Z|±hh:mm]" / "2011-07-04"; an epoch number is also accepted (4.0).
 */
function absTimeConst(lit: Literal): bigint {
  const text = lit.k === 'char' ? '' : lit.text.trim();
  const bad = () => new ValueError(`"${text}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`);
  let m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d\d:?\d\d)?$/.exec(text);
  let y: number, mo: number, d: number, h = 0, mi = 0, s = 0, frac = '', zone: string | undefined;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
    h = Number(m[4] ?? 0); mi = Number(m[5] ?? 0); s = Number(m[6] ?? 0); frac = m[7] ?? ''; zone = m[8];
  } else if ((m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})(?:\s+(\d{1,2}):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?\s*(UTC)?$/.exec(text))) {
    const idx = MONTHS.findIndex((x) => x.toLowerCase() === (m as RegExpExecArray)[1].toLowerCase());
    if (idx < 0) throw bad();
    [y, mo, d] = [Number(m[3]), idx, Number(m[2])];
    h = Number(m[4] ?? 0); mi = Number(m[5] ?? 0); s = Number(m[6] ?? 0); frac = m[7] ?? ''; zone = m[8];
  } else if (lit.k === 'word' && /^\d+(\.\d{1,9})?$/.test(text)) {
    const [sec, f = ''] = text.split('.');
    return BigInt(sec) * 1_000_000_000n + BigInt(f.padEnd(9, '0'));
  } else {
    throw bad();
  }
  if (mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) throw bad();
  let ms: number;
  if (zone === undefined) ms = new Date(y, mo, d, h, mi, s).getTime();
  else {
    ms = Date.UTC(y, mo, d, h, mi, s);
    const z = /^([+-])(\d\d):?(\d\d)$/.exec(zone);
    if (z) ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  if (Number.isNaN(ms)) throw bad();
  return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0'));
}

/** Converts a literal to a constant for comparison with values of `field` (or of `type`, for slices etc.). */
export function literalFor(field: Field | null, type: FT, lit: Literal): Const {
  const kind = kindOf(type);
  // No number, address or time is this long; refusing early keeps every parser below linear.
  if (lit.k !== 'char' && lit.text.length > 1000 && kind !== 'string' && kind !== 'bytes') {
    throw new ValueError(`The value is ${lit.text.length} characters long, too long for a ${typeName(type)}.`);
  }
  switch (kind) {
    case 'int': case 'int64': {
      const f: Field = field ?? ({ abbrev: '', name: '', type, id: -1, protocol: -1 } as Field);
      return intConst(f, lit);
    }
    case 'bool': return boolConst(field ?? ({ abbrev: '?', name: '', type, id: -1, protocol: -1 } as Field), lit);
    case 'float': return floatConst(lit);
    case 'ipv4': return ipv4Const(lit);
    case 'ipv6': return ipv6Const(lit);
    case 'bytes': return bytesConst(field, type, lit);
    case 'string': return lit.k === 'char' ? String.fromCharCode(lit.value) : lit.text;
    case 'reltime': return relTimeConst(lit);
    case 'abstime': return absTimeConst(lit);
    default: throw new ValueError(`${field?.abbrev ?? 'This value'} is a ${typeName(type)} and has no value to compare.`);
  }
}
