// Test helper (not a test) for fixes found on the public malformed/odd corpus (issue 3): frames copied
// from the corpus as hex are written to a small pcap in a temporary directory, and l3-compare's
// field-by-field comparison runs tshark 4.0.17 and our Engine over it. Frames go in order, so state
// that spans frames (ESP sequence numbers, DNS transactions) is rebuilt the same way on both sides.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareL3Columns, compareL3Fields, ourDissection, type Ours } from './l3-compare.js';

export interface HexFrame {
  /** The frame's bytes as hex (whitespace ignored). */
  hex: string;
  /** Length on the wire when the capture cut the frame (defaults to the captured length). */
  origLen?: number;
  /** Seconds since the epoch (defaults to one second after the previous frame). */
  ts?: number;
  /** Exact nanoseconds since the epoch, for frames whose timing matters (takes precedence over ts). */
  tsNs?: bigint;
}

/** LINKTYPE_ETHERNET, LINKTYPE_RAW: the link types the corpus frames used here come with. */
export const LINK_ETHERNET = 1, LINK_RAW = 101;

function pcapBytes(frames: HexFrame[], linkType: number): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b23c4d, 0); // nanosecond magic: timestamps survive exactly
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(linkType, 20);
  const parts = [head];
  let t = 1_600_000_000;
  for (const f of frames) {
    const data = Buffer.from(f.hex.replace(/\s+/g, ''), 'hex');
    const ts = f.ts ?? t + 1;
    t = ts;
    const sec = f.tsNs !== undefined ? Number(f.tsNs / 1_000_000_000n) : Math.floor(ts);
    const nsec = f.tsNs !== undefined ? Number(f.tsNs % 1_000_000_000n) : Math.round((ts - Math.floor(ts)) * 1e9);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(sec, 0);
    rec.writeUInt32LE(nsec, 4);
    rec.writeUInt32LE(data.length, 8);
    rec.writeUInt32LE(f.origLen ?? data.length, 12);
    parts.push(rec, data);
  }
  return Buffer.concat(parts);
}

/**
 * Writes the frames to a pcap, compares our fields of `prefixes` and (unless `columns` is false: a
 * frame of a protocol we do not dissect) the four summary columns with tshark's, and returns the differences (empty when identical) with our dissection for further checks.
 */
export function compareHexFrames(frames: HexFrame[], prefixes: string[], linkType = LINK_ETHERNET, columns = true): { diffs: string[]; compared: number; ours: Ours } {
  const dir = mkdtempSync(join(tmpdir(), 'nlN2-frames-'));
  try {
    const path = join(dir, 'frames.pcap');
    writeFileSync(path, pcapBytes(frames, linkType));
    const ours = ourDissection(path);
    const r = compareL3Fields(path, prefixes, ours);
    return { diffs: columns ? [...r.diffs, ...compareL3Columns(path, ours)] : r.diffs, compared: r.compared, ours };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
