// Test helper (not a test) for the link/network/DNS dissectors: dissects a fixture with our Engine and
// with tshark 4.0.17 (-T pdml, name resolution off, IP defragmentation off) and lists every difference
// in the fields of the given protocols: for each field, the sequence of its occurrences in a frame with
// value (tshark's "show" text), byte offset, length and hidden flag; and in the summary columns.
// Until the capture-file reader and `netlab read` land, it reads classic pcap itself.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Engine, ItemFlags } from '../../../../../core/dissect/index.js';
import { Base, FT, type Field, type FieldValue, fieldById, fieldByName, typeBits } from '../../../../../core/fields/registry.js';
import { formatEther, formatIPv4Number, formatIPv6 } from '../../../../../core/fields/addr.js';
import { formatRelTime } from '../../../../../core/fields/format.js';
import { AddrType, type Address } from '../../../../../core/dissect/packet.js';
import type { PacketRecord } from '../../../../../core/capfile/record.js';

/** Classic pcap, either byte order, micro- or nanosecond magic (libpcap's savefile.c). */
export function readPcapFile(path: string): PacketRecord[] {
  const buf = readFileSync(path);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = dv.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  if (!le && magic !== 0xd4c3b2a1 && magic !== 0x4d3cb2a1) throw new Error(`${path}: not a pcap file`);
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  const out: PacketRecord[] = [];
  for (let off = 24; off + 16 <= buf.length;) {
    const capLen = dv.getUint32(off + 8, le);
    out.push({
      tsSec: dv.getUint32(off, le), tsNsec: dv.getUint32(off + 4, le) * (nano ? 1 : 1000), capLen,
      origLen: dv.getUint32(off + 12, le), interfaceId: 0, linkType,
      data: new Uint8Array(buf.buffer, buf.byteOffset + off + 16, capLen), fileOffset: off,
    });
    off += 16 + capLen;
  }
  return out;
}

export interface FieldOcc { name: string; show: string; pos: number; size: number; hidden: boolean }

export const L3_TSHARK_PREFS = ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE'];

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|quot|amp|lt|gt|apos);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : ({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" } as Record<string, string>)[e]);
}

/** Every field and protocol item of every frame, as tshark's PDML lists them. */
export function tsharkPdmlFields(path: string): FieldOcc[][] {
  const xml = execFileSync('tshark', ['-n', '-r', path, '-T', 'pdml', ...L3_TSHARK_PREFS], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const frames: FieldOcc[][] = [];
  for (const line of xml.split('\n')) {
    if (line.startsWith('<packet>')) { frames.push([]); continue; }
    const m = /^\s*<(?:field|proto) name="([^"]*)"(.*)$/.exec(line);
    if (!m || frames.length === 0) continue;
    const attr = (a: string) => { const r = new RegExp(` ${a}="([^"]*)"`).exec(m[2]); return r ? unescapeXml(r[1]) : undefined; };
    frames[frames.length - 1].push({
      name: m[1], show: attr('show') ?? '', pos: Number(attr('pos') ?? 0), size: Number(attr('size') ?? 0), hidden: attr('hide') === 'yes',
    });
  }
  return frames;
}

/** The columns tshark prints, one array per frame: Protocol, Source, Destination, Info. */
export function tsharkColumns(path: string): string[][] {
  const out = execFileSync('tshark', ['-n', '-r', path, '-T', 'fields', '-E', 'separator=/t', ...L3_TSHARK_PREFS,
    '-e', '_ws.col.Protocol', '-e', '_ws.col.Source', '-e', '_ws.col.Destination', '-e', '_ws.col.Info'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

const hex = (v: number, bits: number) => '0x' + (v >>> 0).toString(16).padStart(Math.max(2, bits / 4), '0');

/** A value as tshark's PDML "show" (and -T fields) prints it, for the types these dissectors use. */
export function showValue(f: Field, v: FieldValue): string {
  if (v === null) return '';
  switch (f.type) {
    case FT.BOOLEAN: return v ? '1' : '0';
    case FT.IPv4: return formatIPv4Number(v as number);
    case FT.IPv6: return formatIPv6(v as Uint8Array);
    case FT.ETHER: return formatEther(v as Uint8Array);
    case FT.BYTES: return Array.from(v as Uint8Array, (b) => b.toString(16).padStart(2, '0')).join(':');
    // A bigint beyond 2^53 ns (frames more than 104 days apart): the engine's own formatter handles both.
    case FT.RELATIVE_TIME: return formatRelTime(v as number | bigint);
    case FT.STRING: return v as string;
    case FT.ABSOLUTE_TIME: {
      // Wireshark's abs_time_to_str in UTC: "Nov 25, 2026 09:25:47.000000000 UTC".
      const ns = v as bigint;
      const d = new Date(Number(ns / 1_000_000n));
      const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
      const p2 = (x: number) => String(x).padStart(2, '0');
      return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(ns % 1_000_000_000n).padStart(9, '0')} UTC`;
    }
    default:
      if (typeof v === 'number' && (f.base === Base.HEX || f.base === Base.HEX_DEC)) return hex(v, typeBits(f.type));
      return String(v);
  }
}

function addrText(a: Address): string {
  switch (a.type) {
    case AddrType.ETHER: return formatEther(a.bytes);
    case AddrType.IPv4: return `${a.bytes[0]}.${a.bytes[1]}.${a.bytes[2]}.${a.bytes[3]}`;
    case AddrType.IPv6: return formatIPv6(a.bytes);
    default: return '';
  }
}

export interface Ours { fields: FieldOcc[][]; columns: string[][] }

/** Our tree (full mode) and columns for every frame of a pcap file. */
export function ourDissection(path: string): Ours {
  const e = new Engine();
  // The same preferences tshark runs with (IPv4 reassembly honours ip.defragment).
  for (let i = 1; i < L3_TSHARK_PREFS.length; i += 2) {
    const [name, value] = L3_TSHARK_PREFS[i].split(':');
    e.capture.prefs.set(name, value === 'TRUE');
  }
  const fields: FieldOcc[][] = [];
  const columns: string[][] = [];
  readPcapFile(path).forEach((rec, i) => {
    e.dissect(rec, i + 1, { tree: 'full', columns: true });
    const t = e.tree;
    const list: FieldOcc[] = [];
    for (let k = 0; k < t.count; k++) {
      if (t.source[k] !== 0) continue;
      const f = fieldById(t.field[k]);
      const isProto = f.type === FT.PROTOCOL;
      list.push({ name: f.abbrev, show: isProto ? '' : showValue(f, t.value[k]), pos: t.start[k], size: t.length[k], hidden: (t.flags[k] & ItemFlags.HIDDEN) !== 0 });
    }
    fields.push(list);
    const p = e.pinfo;
    columns.push([p.protocol, addrText(p.src), addrText(p.dst), p.info]);
  });
  return { fields, columns };
}

/**
 * Differences between tshark and us in the fields named by `prefixes` ("ip" matches "ip" and "ip.*").
 * Fields we have not registered are skipped (listed in `skipped`); a registered field tshark shows
 * and we do not, or the other way round, is a difference. `compared` counts field occurrences.
 */
export function compareL3Fields(path: string, prefixes: string[], ours = ourDissection(path)): { diffs: string[]; skipped: Set<string>; compared: number } {
  const theirs = tsharkPdmlFields(path);
  const want = (n: string) => prefixes.some((p) => n === p || n.startsWith(p + '.'));
  const diffs: string[] = [];
  const skipped = new Set<string>();
  let compared = 0;
  if (theirs.length !== ours.fields.length) diffs.push(`frame count: tshark ${theirs.length}, ours ${ours.fields.length}`);
  for (let i = 0; i < Math.min(theirs.length, ours.fields.length); i++) {
    const group = (l: FieldOcc[], tsharkSide: boolean) => {
      const m = new Map<string, FieldOcc[]>();
      for (const o of l) {
        if (!want(o.name)) continue;
        if (!fieldByName(o.name)) { if (tsharkSide) skipped.add(o.name); continue; }
        let a = m.get(o.name);
        if (!a) m.set(o.name, (a = []));
        a.push(o);
      }
      return m;
    };
    const a = group(theirs[i], true), b = group(ours.fields[i], false);
    for (const name of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(name) ?? [], y = b.get(name) ?? [];
      const fmt = (o: FieldOcc | undefined) => o ? `${JSON.stringify(o.show)}@${o.pos}+${o.size}${o.hidden ? ' hidden' : ''}` : 'absent';
      const isProto = fieldByName(name)!.type === FT.PROTOCOL;
      for (let k = 0; k < Math.max(x.length, y.length); k++) {
        compared++;
        const p = x[k], q = y[k];
        const same = p && q && (isProto || p.show === q.show) && p.size === q.size && (p.size === 0 || p.pos === q.pos) && p.hidden === q.hidden;
        if (!same) diffs.push(`frame ${i + 1} ${name}[${k}]: tshark ${fmt(p)}, ours ${fmt(q)}`);
      }
    }
  }
  return { diffs, skipped, compared };
}

/** Differences in the Protocol, Source, Destination and Info columns. */
export function compareL3Columns(path: string, ours = ourDissection(path)): string[] {
  const theirs = tsharkColumns(path);
  const names = ['Protocol', 'Source', 'Destination', 'Info'];
  const diffs: string[] = [];
  theirs.forEach((row, i) => {
    row.forEach((v, c) => {
      const o = ours.columns[i]?.[c];
      if (o !== v) diffs.push(`frame ${i + 1} ${names[c]}: tshark ${JSON.stringify(v)}, ours ${JSON.stringify(o)}`);
    });
  });
  return diffs;
}
