// Hand-made capture bytes for the codec tests: each helper lays out one structure field by field, as
// the pcap and pcapng specifications draw them, in either byte order.

export class Bytes {
  private out: number[] = [];
  constructor(readonly le = true) {}
  u8(...v: number[]): this {
    this.out.push(...v.map((x) => x & 0xff));
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v, v >>> 8) : this.u8(v >>> 8, v);
  }
  u32(v: number): this {
    return this.le ? this.u8(v, v >>> 8, v >>> 16, v >>> 24) : this.u8(v >>> 24, v >>> 16, v >>> 8, v);
  }
  /** 64-bit value as two 32-bit words in the file's order (pcapng timestamps put the high word first). */
  u64(hi: number, lo: number): this {
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  raw(b: Uint8Array | number[]): this {
    for (const x of b) this.out.push(x);
    return this;
  }
  pad4(): this {
    while (this.out.length % 4) this.out.push(0);
    return this;
  }
  get length(): number {
    return this.out.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function payload(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
}

// ---- pcap ----
export function pcapHeader(o: { le?: boolean; nsec?: boolean; snap?: number; link?: number; major?: number; minor?: number } = {}): Uint8Array {
  return new Bytes(o.le ?? true)
    .u32(o.nsec ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(o.major ?? 2).u16(o.minor ?? 4)
    .u32(0).u32(0)
    .u32(o.snap ?? 65535).u32(o.link ?? 1)
    .bytes();
}
export function pcapRecord(sec: number, frac: number, data: Uint8Array, orig = data.length, le = true): Uint8Array {
  return new Bytes(le).u32(sec).u32(frac).u32(data.length).u32(orig).raw(data).bytes();
}

// ---- pcapng ----
export type Opt = [code: number, value: Uint8Array | number[] | string];
const enc = new TextEncoder();
function optBytes(b: Bytes, opts: Opt[]): void {
  if (opts.length === 0) return;
  for (const [code, v] of opts) {
    const val = typeof v === 'string' ? enc.encode(v) : Uint8Array.from(v);
    b.u16(code).u16(val.length).raw(val).pad4();
  }
  b.u16(0).u16(0);
}
export function block(type: number, le: boolean, body: (b: Bytes) => void, opts: Opt[] = []): Uint8Array {
  const inner = new Bytes(le);
  body(inner);
  inner.pad4();
  optBytes(inner, opts);
  const len = 12 + inner.length;
  return new Bytes(le).u32(type).u32(len).raw(inner.bytes()).u32(len).bytes();
}
export function shb(le: boolean, opts: Opt[] = []): Uint8Array {
  return block(0x0a0d0d0a, le, (b) => b.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff), opts);
}
export function idb(le: boolean, link: number, snap: number, opts: Opt[] = []): Uint8Array {
  return block(1, le, (b) => b.u16(link).u16(0).u32(snap), opts);
}
export function epb(le: boolean, ifc: number, tsHi: number, tsLo: number, data: Uint8Array, orig = data.length, opts: Opt[] = []): Uint8Array {
  return block(6, le, (b) => b.u32(ifc).u32(tsHi).u32(tsLo).u32(data.length).u32(orig).raw(data), opts);
}
export function spb(le: boolean, orig: number, data: Uint8Array): Uint8Array {
  return block(3, le, (b) => b.u32(orig).raw(data));
}
export function pb(le: boolean, ifc: number, tsHi: number, tsLo: number, data: Uint8Array, opts: Opt[] = []): Uint8Array {
  return block(2, le, (b) => b.u16(ifc).u16(0).u32(tsHi).u32(tsLo).u32(data.length).u32(data.length).raw(data), opts);
}
/** Splits a 64-bit unit count (given as a BigInt) into the [hi, lo] words pcapng stores. */
export function ts64(units: bigint): [number, number] {
  return [Number(units >> 32n), Number(units & 0xffffffffn)];
}
