// The captures of the TCP analysis / HTTP reassembly tests, made once by
// test/fixtures/tcp-analysis/make.sh in network namespaces of our own (prefix nlI) and cached in
// .tmp/tcp-analysis/ (delete the folder to make them again). "reordered" is the lossy capture with
// some data segments swapped in the file, because this kernel has no netem to reorder on the wire.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../../', import.meta.url).pathname;
const DIR = join(ROOT, '.tmp/tcp-analysis');
const MAKE = join(ROOT, 'test/fixtures/tcp-analysis/make.sh');

export type CaptureKind = 'lab' | 'lossy' | 'reordered';

export function capturePath(kind: CaptureKind): string {
  mkdirSync(DIR, { recursive: true });
  const out = join(DIR, `${kind}.pcap`);
  if (existsSync(out) && readFileSync(out).length > 24) return out;
  if (kind === 'reordered') {
    writeFileSync(out, reorder(readFileSync(capturePath('lossy'))));
    return out;
  }
  execFileSync('bash', [MAKE, kind, out], { stdio: 'ignore', timeout: 120_000 });
  return out;
}

/**
 * Swaps every 7th server data segment with the one after it (classic pcap, little-endian, Ethernet):
 * a deterministic reordering, so the out-of-order rules are exercised on a capture tshark also reads.
 */
export function reorder(buf: Buffer): Buffer {
  const recs: Buffer[] = [];
  for (let off = 24; off + 16 <= buf.length; ) {
    const len = buf.readUInt32LE(off + 8);
    recs.push(buf.subarray(off, off + 16 + len));
    off += 16 + len;
  }
  const isData = (r: Buffer) => r.length > 16 + 14 + 20 + 20 + 100 && r.readUInt16BE(16 + 14 + 20) === 85;
  let n = 0;
  for (let i = 0; i + 1 < recs.length; i++) {
    if (!isData(recs[i]) || ++n % 7 !== 0) continue;
    // The next data segment within three records (ACKs sit between them) takes this one's place.
    let j = i + 1;
    while (j < recs.length && j <= i + 3 && !isData(recs[j])) j++;
    if (j >= recs.length || j > i + 3) continue;
    const a = Buffer.from(recs[i]), b = Buffer.from(recs[j]);
    // Keep the timestamps in file order: the later packet takes the earlier time.
    recs[i] = Buffer.concat([a.subarray(0, 8), b.subarray(8)]);
    recs[j] = Buffer.concat([b.subarray(0, 8), a.subarray(8)]);
    i = j;
  }
  return Buffer.concat([buf.subarray(0, 24), ...recs]);
}
