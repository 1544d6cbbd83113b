// The checked program as a tree of closures over the packet's ProtoTree (never generated source:
// STYLE.md §6). Values are read straight from the tree's parallel arrays; buffers are allocated once
// per compiled filter and reused for every packet, and and/or short-circuit.
// Semantics are Wireshark 4.0's (epan/dfilter/dfvm.c): a field occurring several times matches
// "==" if any occurrence does; "!=" is all_ne (every occurrence differs, and there is one);
// "===" is all_eq, "!==" any_ne.

import { FT } from '../fields/registry.js';
import type { ProtoTree } from '../dissect/tree.js';
import type { Test, Val } from './check.js';
import type { SliceRange } from './parser.js';
import type { Const, IPv4Value, IPv6Value, Kind } from './values.js';

export type Pred = (t: ProtoTree) => boolean;
type Gen = (t: ProtoTree, out: unknown[]) => number;

const utf8 = new TextEncoder();

/** Latin-1 view of bytes for regular expressions (TextDecoder's "latin1" is really windows-1252). */
export function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, Array.from(b.subarray(i, i + 8192)));
  return s;
}

/** First index of `needle` within hay[from, to), or -1. */
export function indexOfBytes(hay: Uint8Array, from: number, to: number, needle: Uint8Array): number {
  const n = needle.length;
  if (n === 0) return from <= to ? from : -1;
  const first = needle[0];
  const last = to - n;
  let i = from;
  while (i <= last) {
    i = hay.indexOf(first, i);
    if (i < 0 || i > last) return -1;
    let j = 1;
    while (j < n && hay[i + j] === needle[j]) j++;
    if (j === n) return i;
    i++;
  }
  return -1;
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bytesOrder(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function ipv6PrefixEq(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  let bits = prefix, i = 0;
  for (; bits >= 8; bits -= 8, i++) if (a[i] !== b[i]) return false;
  if (bits > 0) {
    const m = (0xff << (8 - bits)) & 0xff;
    if ((a[i] & m) !== (b[i] & m)) return false;
  }
  return true;
}

/**
 * A relative time in ns as a bigint. Times are numbers of ns, but a difference over 104 days is a bigint
 * (ProtoTree values, CaptureContext.exactDeltaNs), and so is a constant that long: the two may meet.
 */
const bigNs = (x: unknown): bigint => (typeof x === 'bigint' ? x : BigInt(Math.round(x as number)));

/** Equality for values of one kind; `b` may be a constant (IPv4/IPv6 constants carry a prefix). */
function eqFor(kind: Kind): (a: unknown, b: unknown) => boolean {
  switch (kind) {
    case 'reltime': return (a, b) => (typeof a === 'number' && typeof b === 'number' ? a === b : bigNs(a) === bigNs(b));
    case 'ipv4': return (a, b) => {
      if (typeof b === 'number') return (a as number) === b;
      const c = b as IPv4Value;
      return (((a as number) ^ c.addr) & c.mask) === 0;
    };
    case 'ipv6': return (a, b) => {
      if (b instanceof Uint8Array) return bytesEq(a as Uint8Array, b);
      const c = b as IPv6Value;
      return ipv6PrefixEq(a as Uint8Array, c.bytes, c.prefix);
    };
    case 'bytes': return (a, b) => bytesEq(a as Uint8Array, b as Uint8Array);
    default: return (a, b) => a === b;
  }
}

/** Ordering for values of one kind (negative, zero, positive). */
function orderFor(kind: Kind): (a: unknown, b: unknown) => number {
  switch (kind) {
    case 'ipv4': return (a, b) => (a as number) - (typeof b === 'number' ? b : (b as IPv4Value).addr);
    case 'ipv6': return (a, b) => bytesOrder(a as Uint8Array, b instanceof Uint8Array ? b : (b as IPv6Value).bytes);
    case 'bytes': return (a, b) => bytesOrder(a as Uint8Array, b as Uint8Array);
    case 'bool': return (a, b) => Number(a) - Number(b);
    case 'int64': case 'abstime': return (a, b) => ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);
    case 'reltime': return (a, b) => {
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      const x = bigNs(a), y = bigNs(b);
      return x < y ? -1 : x > y ? 1 : 0;
    };
    case 'string': return (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
    default: return (a, b) => (a as number) - (b as number);
  }
}

/** The value of item `i` of the tree: protocols give the bytes they cover. */
function itemValue(t: ProtoTree, i: number, type: FT): unknown {
  if (type === FT.PROTOCOL) {
    const s = t.start[i];
    return t.sources[t.source[i]].bytes.subarray(s, s + t.length[i]);
  }
  return t.value[i];
}

function toBytes(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return utf8.encode(v);
  if (typeof v === 'number') return Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255); // IPv4
  return null;
}

/** Wireshark's drange semantics: negative offsets count from the end; out-of-range gives nothing. */
function applySlice(b: Uint8Array, ranges: readonly SliceRange[]): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const r of ranges) {
    let start = r.start < 0 ? b.length + r.start : r.start;
    let len: number;
    if (r.end !== undefined) {
      const end = r.end < 0 ? b.length + r.end : r.end;
      len = end - start + 1;
    } else if (r.len === null) {
      len = b.length - start;
    } else {
      len = r.len;
    }
    if (start < 0 || len < 0 || start + len > b.length) return null;
    if (r.len === null && r.end === undefined && start > b.length) return null;
    start = Math.max(0, start);
    parts.push(b.subarray(start, start + len));
    total += len;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function isUnsigned(type: FT): boolean {
  return type === FT.UINT8 || type === FT.UINT16 || type === FT.UINT24 || type === FT.UINT32 || type === FT.FRAMENUM || type === FT.CHAR || type === FT.UINT64;
}

/** A generator: writes the values of `v` for this packet into `out` and returns how many. */
function gen(v: Val): Gen {
  switch (v.k) {
    case 'const': {
      const c = v.value;
      return (_t, out) => { out[0] = c; return 1; };
    }
    case 'field': {
      const id = v.field.id, type = v.type;
      return (t, out) => {
        let n = 0;
        const f = t.field, cnt = t.count;
        for (let i = 0; i < cnt; i++) if (f[i] === id) out[n++] = itemValue(t, i, type);
        return n;
      };
    }
    case 'count': {
      const id = v.field.id;
      return (t, out) => {
        let n = 0;
        const f = t.field, cnt = t.count;
        for (let i = 0; i < cnt; i++) if (f[i] === id) n++;
        out[0] = n;
        return 1;
      };
    }
    case 'len': {
      const id = v.field.id, kind = v.field.type === FT.PROTOCOL ? 'proto' : kindOfLen(v.field.type);
      return (t, out) => {
        let n = 0;
        const f = t.field, cnt = t.count;
        for (let i = 0; i < cnt; i++) {
          if (f[i] !== id) continue;
          const val = t.value[i];
          out[n++] = kind === 'string' ? utf8.encode(val as string).length : kind === 'bytes' ? (val as Uint8Array).length : t.length[i];
        }
        return n;
      };
    }
    case 'case': {
      const inner = gen(v.arg), upper = v.upper;
      return (t, out) => {
        const n = inner(t, out);
        for (let i = 0; i < n; i++) out[i] = upper ? (out[i] as string).toUpperCase() : (out[i] as string).toLowerCase();
        return n;
      };
    }
    case 'slice': {
      const inner = gen(v.inner), ranges = v.ranges;
      const tmp: unknown[] = [];
      return (t, out) => {
        const n = inner(t, tmp);
        let m = 0;
        for (let i = 0; i < n; i++) {
          const b = toBytes(tmp[i]);
          if (b === null) continue;
          const s = applySlice(b, ranges);
          if (s !== null) out[m++] = s;
        }
        return m;
      };
    }
    case 'bitand': {
      const inner = gen(v.arg), mask = v.mask, unsigned = isUnsigned(v.arg.type);
      return (t, out) => {
        const n = inner(t, out);
        for (let i = 0; i < n; i++) {
          const x = out[i];
          if (x instanceof Uint8Array) {
            // Bytes AND bytes: as long as the shorter of the two (Wireshark's bytes_bitwise_and).
            const m = mask as Uint8Array;
            const r = new Uint8Array(Math.min(x.length, m.length));
            for (let j = 0; j < r.length; j++) r[j] = x[j] & m[j];
            out[i] = r;
          } else if (typeof x === 'bigint') out[i] = x & (mask as bigint);
          else {
            const r = (typeof x === 'boolean' ? Number(x) : (x as number)) & (mask as number);
            out[i] = unsigned ? r >>> 0 : r;
          }
        }
        return n;
      };
    }
  }
}

function kindOfLen(type: FT): 'string' | 'bytes' | 'item' {
  if (type === FT.STRING) return 'string';
  if (type === FT.BYTES || type === FT.ETHER || type === FT.IPv6) return 'bytes';
  return 'item';
}

function isZero(x: unknown): boolean {
  if (x instanceof Uint8Array) return x.every((b) => b === 0);
  return x === 0 || x === 0n || x === false;
}

function exists(v: Val): Pred {
  if (v.k === 'field') {
    const id = v.field.id;
    return (t) => {
      const f = t.field, n = t.count;
      for (let i = 0; i < n; i++) if (f[i] === id) return true;
      return false;
    };
  }
  const g = gen(v);
  const buf: unknown[] = [];
  if (v.k === 'bitand') {
    // "tcp.flags & 0x02" is true when the masked value is non-zero (Wireshark's bitwise test).
    return (t) => {
      const n = g(t, buf);
      for (let i = 0; i < n; i++) if (!isZero(buf[i])) return true;
      return false;
    };
  }
  return (t) => g(t, buf) > 0;
}

type Binary = (a: unknown, b: unknown) => boolean;

function opFor(op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains', kind: Kind): Binary {
  if (op === 'eq') return eqFor(kind);
  if (op === 'ne') { const eq = eqFor(kind); return (a, b) => !eq(a, b); }
  if (op === 'contains') {
    if (kind === 'string') return (a, b) => (a as string).includes(b as string);
    return (a, b) => indexOfBytes(a as Uint8Array, 0, (a as Uint8Array).length, b as Uint8Array) >= 0;
  }
  const ord = orderFor(kind);
  switch (op) {
    case 'gt': return (a, b) => ord(a, b) > 0;
    case 'ge': return (a, b) => ord(a, b) >= 0;
    case 'lt': return (a, b) => ord(a, b) < 0;
    default: return (a, b) => ord(a, b) <= 0;
  }
}

function compare(test: Test & { k: 'cmp' }): Pred {
  const { left, right, quant } = test;
  const kind = left.kind;
  const fn = opFor(test.op, kind);
  // Fast path: a field against a constant, read straight from the tree (no buffers).
  if (left.k === 'field' && right.k === 'const') {
    const id = left.field.id, type = left.type, c = right.value;
    if (type === FT.PROTOCOL && test.op === 'contains') {
      const needle = c as Uint8Array;
      return (t) => {
        const f = t.field, n = t.count;
        for (let i = 0; i < n; i++) {
          if (f[i] !== id) continue;
          const s = t.start[i];
          if (indexOfBytes(t.sources[t.source[i]].bytes, s, s + t.length[i], needle) >= 0) return true;
        }
        return false;
      };
    }
    if (quant === 'any') {
      return (t) => {
        const f = t.field, n = t.count;
        for (let i = 0; i < n; i++) if (f[i] === id && fn(itemValue(t, i, type), c)) return true;
        return false;
      };
    }
    return (t) => {
      const f = t.field, n = t.count;
      let seen = false;
      for (let i = 0; i < n; i++) {
        if (f[i] !== id) continue;
        if (!fn(itemValue(t, i, type), c)) return false;
        seen = true;
      }
      return seen;
    };
  }
  const gl = gen(left), gr = gen(right);
  const lb: unknown[] = [], rb: unknown[] = [];
  if (quant === 'any') {
    return (t) => {
      const nl = gl(t, lb);
      if (nl === 0) return false;
      const nr = gr(t, rb);
      for (let i = 0; i < nl; i++) for (let j = 0; j < nr; j++) if (fn(lb[i], rb[j])) return true;
      return false;
    };
  }
  return (t) => {
    const nl = gl(t, lb);
    if (nl === 0) return false;
    const nr = gr(t, rb);
    if (nr === 0) return false;
    for (let i = 0; i < nl; i++) for (let j = 0; j < nr; j++) if (!fn(lb[i], rb[j])) return false;
    return true;
  };
}

function inSet(test: Test & { k: 'in' }): Pred {
  const kind = test.left.kind;
  const eq = eqFor(kind), ord = orderFor(kind);
  const items = test.items;
  const g = gen(test.left);
  const buf: unknown[] = [];
  const member = (v: unknown): boolean => {
    for (const it of items) {
      if (it.hi === null ? eq(v, it.lo) : ord(v, it.lo) >= 0 && ord(v, it.hi) <= 0) return true;
    }
    return false;
  };
  return (t) => {
    const n = g(t, buf);
    for (let i = 0; i < n; i++) if (member(buf[i])) return true;
    return false;
  };
}

function matches(test: Test & { k: 'matches' }): Pred {
  const g = gen(test.left), re = test.re;
  const buf: unknown[] = [];
  return (t) => {
    const n = g(t, buf);
    for (let i = 0; i < n; i++) {
      const v = buf[i];
      if (re.test(typeof v === 'string' ? v : bytesToLatin1(v as Uint8Array))) return true;
    }
    return false;
  };
}

export function compileTest(test: Test): Pred {
  switch (test.k) {
    case 'and': { const a = compileTest(test.left), b = compileTest(test.right); return (t) => a(t) && b(t); }
    case 'or': { const a = compileTest(test.left), b = compileTest(test.right); return (t) => a(t) || b(t); }
    case 'xor': { const a = compileTest(test.left), b = compileTest(test.right); return (t) => a(t) !== b(t); }
    case 'not': { const a = compileTest(test.test); return (t) => !a(t); }
    case 'exists': return exists(test.val);
    case 'cmp': return compare(test);
    case 'in': return inSet(test);
    case 'matches': return matches(test);
  }
}

/**
 * A test of the captured bytes alone that every matching frame passes (the frame item covers exactly
 * the captured bytes): `frame contains <bytes>`, combined through "and" (either side) and "or" (both).
 * Exact for a filter made only of such tests; a necessary condition otherwise.
 */
export function rawMatcher(test: Test): ((frame: Uint8Array) => boolean) | null {
  // A necessary condition is enough (the full filter still decides): one side of an "and", both of an "or".
  if (test.k === 'and') {
    const l = rawMatcher(test.left), r = rawMatcher(test.right);
    return l !== null && r !== null ? (b) => l(b) && r(b) : l ?? r;
  }
  if (test.k === 'or') {
    const l = rawMatcher(test.left), r = rawMatcher(test.right);
    return l !== null && r !== null ? (b) => l(b) || r(b) : null;
  }
  if (test.k === 'cmp' && test.op === 'contains' && test.left.k === 'field' && test.left.field.abbrev === 'frame' && test.right.k === 'const') {
    const needle = test.right.value as Uint8Array;
    return (b) => indexOfBytes(b, 0, b.length, needle) >= 0;
  }
  if (test.k === 'exists' && test.val.k === 'field' && test.val.field.abbrev === 'frame') return () => true;
  return null;
}

export type { Const };
