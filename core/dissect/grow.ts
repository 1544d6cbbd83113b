// Growing the typed-array columns that conversation state lives in (TCP streams, analysis,
// reassembly): one doubling rule for all of them, so per-packet state never needs JS objects.

type Column =
  | Int8Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer>
  | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** `a` if index `n` fits, else a copy at least twice as long, new slots set to `fill`. */
export function grow<T extends Column>(a: T, n: number, fill = 0): T {
  if (n < a.length) return a;
  const b = new (a.constructor as new (len: number) => T)(Math.max(n + 1, a.length * 2));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
