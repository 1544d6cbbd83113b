// Test helpers shared by the TCP and HTTP dissector tests: a small pcap reader, a dissection driver,
// the -T fields value text for the field types these dissectors use, and tshark's answer for the same
// capture. tshark 4.0.17 is the reference; see tcp.test.ts for the option set.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Engine} from '../../../../../core/dissect/index.js';
import { ROOT, Tvb, tables, AddrType, type TreeMode } from '../../../../../core/dissect/index.js';
import { Base, FT, fieldByName, typeBits, type FieldValue } from '../../../../../core/fields/registry.js';
import type { PacketRecord } from '../../../../../core/capfile/record.js';

/**
 * The agreed tshark options for issue 3: no TCP reassembly (we do not reassemble yet); SEQ/ACK analysis
 * stays on, because `tcp.analyze_sequence_numbers:FALSE` also turns relative sequence numbers off in
 * 4.0 (tcp.seq then equals tcp.seq_raw). Frames whose Info carries analysis markers ("[TCP ...]")
 * are left out of Info comparisons until issue 4.
 */
export const TSHARK_OPTS = ['-n', '-o', 'tcp.desegment_tcp_streams:FALSE'];
/** The same preference for our engine (issue 4 added TCP reassembly, on by default as in tshark). */
export const TSHARK_PREFS: ReadonlyMap<string, boolean> = new Map([['tcp.desegment_tcp_streams', false]]);

/** Reads a classic pcap (either byte order, µs or ns) into records; enough for fixtures. */
export function readPcap(path: string): PacketRecord[] {
  const buf = readFileSync(path);
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  const out: PacketRecord[] = [];
  for (let off = 24; off + 16 <= buf.length; ) {
    const capLen = u32(off + 8);
    const data = new Uint8Array(buf.buffer, buf.byteOffset + off + 16, capLen);
    out.push({ tsSec: u32(off), tsNsec: nano ? u32(off + 4) : u32(off + 4) * 1000, capLen, origLen: u32(off + 12), interfaceId: 0, linkType, data, fileOffset: off });
    off += 16 + capLen;
  }
  return out;
}

/**
 * Dissects frame `num` with the Engine. Until the IPv4 dissector (another engineer's) is registered,
 * IPv4 is handed to TCP here exactly as ip.ts will: network addresses set, payload cut to ip.len.
 */
export function dissect(e: Engine, rec: PacketRecord, num: number, mode: TreeMode, visited = false, prefs = TSHARK_PREFS): void {
  for (const [k, v] of prefs) e.capture.prefs.set(k, v);
  if (tables.ethertype.get(0x0800) !== undefined) {
    e.dissect(rec, num, { tree: mode, columns: true });
    return;
  }
  const d = rec.data;
  if (!visited) e.capture.noteTime(num, rec.tsSec, rec.tsNsec);
  e.pinfo.reset(num, rec.tsSec, rec.tsNsec, rec.capLen, rec.origLen, rec.linkType, 0, visited, true);
  e.tree.reset(mode, null);
  e.tree.addSource(`Frame (${rec.capLen} bytes)`, d);
  const ihl = (d[14] & 15) * 4, total = (d[16] << 8) | d[17];
  e.pinfo.setNet({ type: AddrType.IPv4, bytes: d.subarray(26, 30) }, { type: AddrType.IPv4, bytes: d.subarray(30, 34) });
  e.pinfo.protocol = 'IPv4';
  const ctx = { pinfo: e.pinfo, tree: e.tree, capture: e.capture };
  tables.ipProto.get(d[23])!(Tvb.of(d).sub(14 + ihl, total - ihl), ctx, ROOT);
}

// tshark 4.0 -T fields escapes control characters as format_text does; a backslash stays as it is.
function escape(s: string): string {
  return s.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** tshark -T fields text of one value (the types TCP and HTTP use). */
export function valueText(abbrev: string, v: FieldValue): string {
  const f = fieldByName(abbrev)!;
  switch (f.type) {
    case FT.BOOLEAN: return v ? '1' : '0';
    case FT.RELATIVE_TIME: {
      const ns = Math.round(v as number);
      return `${Math.trunc(ns / 1e9)}.${String(Math.abs(ns % 1e9)).padStart(9, '0')}`;
    }
    case FT.BYTES: return Buffer.from(v as Uint8Array).toString('hex');
    case FT.STRING: return escape(v as string);
    case FT.PROTOCOL: return f.name;
    case FT.NONE: return '1';
    default:
      if (f.base === Base.HEX) return '0x' + (v as number).toString(16).padStart(typeBits(f.type) >> 2, '0');
      return String(v);
  }
}

/** Our -T fields line for `fields` (occurrences joined by ','). */
export function ourFields(e: Engine, fields: string[]): string[] {
  return fields.map((name) => {
    if (name === '_ws.col.Info') return e.pinfo.info;
    if (name === '_ws.col.Protocol') return e.pinfo.protocol;
    return e.tree.valuesOf(fieldByName(name)!).map((v) => valueText(name, v)).join(',');
  });
}

/** tshark's -T fields lines for `fields`, one array per frame. */
export function tsharkFields(pcap: string, fields: string[], extra: string[] = []): string[][] {
  const args = ['-r', pcap, ...TSHARK_OPTS, ...extra, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  return out.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').map((l) => l.split('\t'));
}
