// The renderer's capture session, run inside the engine worker (./worker.ts) and directly in tests:
// the packet store, one Engine, the displayed-frame index, and the work the panes ask for. The UI
// thread holds none of this: it asks for the rows on screen and the tree of the selected frame.
//
// First pass: every record is dissected once, in order, as it arrives (tree 'none', no columns), so
// conversation state (TCP streams, relative sequence numbers) is built before any frame is shown out
// of order (core/dissect/engine.ts). Rows are dissected again when they scroll into view.

import { createCaptureReader, type CaptureReader, type PacketRecord, PcapWriter, PcapngWriter } from '../../core/capfile/index.js';
import { formatAddress, formatRelativeColumn, formatRelativeTs, precisionDigits } from '../../core/dissect/columns.js';
import { Engine, ItemFlags } from '../../core/dissect/index.js';
import { itemFieldText, itemLabel } from '../../core/fields/format.js';
import { completeField } from '../../core/filter/index.js';
import { FT, fieldById, fieldCount } from '../../core/fields/registry.js';
import { PacketStore } from '../../core/store/packet-store.js';
import { decodeBatch } from '../../electron/api/packet-batch.js';
import { ColorMatcher } from './color-rules.js';
import { type SessionFilter, compileDisplayFilter } from './filter-port.js';
import type { Detail, DetailItem, EngineCalls, FilterOutcome, LoadStatus, Row, TimeFormat } from './protocol.js';

export class CaptureSession implements EngineCalls {
  private store = new PacketStore();
  private engine = new Engine();
  private reader: CaptureReader | null = null;
  private digits = 6;
  private bytesIn = 0;
  private ended = false;
  /** Frame numbers shown, in order; null while no filter is applied (all frames). */
  private displayed: Int32Array | null = null;
  private displayedCount = 0;
  private filter: SessionFilter | null = null;
  private color: ColorMatcher | null = null;
  private readonly rec: PacketRecord = { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, interfaceId: 0, linkType: 0, data: new Uint8Array(0), fileOffset: 0 };
  private readonly prevRec: PacketRecord = { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, interfaceId: 0, linkType: 0, data: new Uint8Array(0), fileOffset: 0 };

  reset(): LoadStatus {
    this.store = new PacketStore();
    this.engine = new Engine();
    this.reader = null;
    this.bytesIn = 0;
    this.ended = false;
    this.displayed = null;
    this.displayedCount = 0;
    this.filter = null;
    return this.status();
  }

  private status(): LoadStatus {
    const err = this.reader?.error ?? null;
    return {
      count: this.store.count,
      displayed: this.displayed ? this.displayedCount : this.store.count,
      bytes: this.bytesIn,
      format: this.reader?.format ?? (this.store.count > 0 ? 'live' : null),
      error: err ? { code: err.code, message: err.message, hint: err.hint, offset: err.offset } : null,
    };
  }

  /** Appends one record: store, first-pass dissection, and the display filter if one is applied. */
  private take(r: PacketRecord): void {
    const num = this.store.append(r);
    const filter = this.filter;
    if (filter) {
      // A filter reads a field's occurrences in any order: no tree-order skeleton (ordered: false).
      this.engine.dissect(r, num, { tree: 'fields', interest: filter.interest, columns: false, ordered: false });
      if (filter.matches(this.engine.tree)) this.pushDisplayed(num);
    } else {
      this.engine.dissect(r, num, { tree: 'none', columns: false });
    }
  }

  private pushDisplayed(num: number): void {
    if (!this.displayed) return;
    if (this.displayedCount === this.displayed.length) {
      const g = new Int32Array(Math.max(1024, this.displayed.length * 2));
      g.set(this.displayed);
      this.displayed = g;
    }
    this.displayed[this.displayedCount++] = num;
  }

  push(chunk: ArrayBuffer): LoadStatus {
    if (!this.reader) {
      this.reader = createCaptureReader((r) => this.take(r));
    }
    this.bytesIn += chunk.byteLength;
    this.reader.push(new Uint8Array(chunk));
    const ifc = this.reader.interfaces[0];
    if (ifc) this.digits = precisionDigits(ifc.tsUnitsPerSec);
    return this.status();
  }

  end(): LoadStatus {
    if (this.reader && !this.ended) this.reader.end();
    this.ended = true;
    return this.status();
  }

  appendBatch(batch: ArrayBuffer, _linkType: number): LoadStatus {
    // Live records carry nanosecond kernel timestamps (the capture helper asks libpcap for them).
    this.digits = 9;
    this.bytesIn += batch.byteLength;
    decodeBatch(batch, (r) => this.take(r));
    return this.status();
  }

  private frameAt(index: number): number {
    return this.displayed ? this.displayed[index] : index + 1;
  }

  indexOf(num: number): number {
    if (!this.displayed) return num >= 1 && num <= this.store.count ? num - 1 : -1;
    let lo = 0, hi = this.displayedCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.displayed[mid];
      if (v === num) return mid;
      if (v < num) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The Time column of frame `num` (record `r`) at displayed index `i`, as tshark -t `fmt` prints it. */
  private timeText(fmt: TimeFormat, num: number, r: PacketRecord, i: number): string {
    const d = this.digits;
    if (fmt === 'r') return formatRelativeColumn(this.engine.capture.relNs[num], d);
    if (fmt === 'e') return formatRelativeTs(r.tsSec, r.tsNsec, 0, 0, d);
    if (fmt === 'dd') {
      if (i === 0) return formatRelativeTs(0, 0, 0, 0, d);
      const { tsSec, tsNsec } = r;
      const prev = this.store.get(this.frameAt(i - 1), this.prevRec);
      return formatRelativeTs(tsSec, tsNsec, prev.tsSec, prev.tsNsec, d);
    }
    const t = new Date(r.tsSec * 1000);
    const utc = fmt === 'u' || fmt === 'ud';
    const p2 = (v: number) => String(v).padStart(2, '0');
    const day = utc ? `${t.getUTCFullYear()}-${p2(t.getUTCMonth() + 1)}-${p2(t.getUTCDate())} ` : `${t.getFullYear()}-${p2(t.getMonth() + 1)}-${p2(t.getDate())} `;
    const tod = utc ? `${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:${p2(t.getUTCSeconds())}` : `${p2(t.getHours())}:${p2(t.getMinutes())}:${p2(t.getSeconds())}`;
    const frac = d > 0 ? '.' + String(Math.floor(r.tsNsec / 10 ** (9 - d))).padStart(d, '0') : '';
    return (fmt === 'ad' || fmt === 'ud' ? day : '') + tod + frac;
  }

  rows(from: number, to: number, time: TimeFormat = 'r'): Row[] {
    const n = this.displayed ? this.displayedCount : this.store.count;
    const out: Row[] = [];
    this.color ??= new ColorMatcher(fieldCount());
    for (let i = Math.max(0, from); i < Math.min(n, to); i++) {
      const num = this.frameAt(i);
      const r = this.store.get(num, this.rec);
      const timeText = this.timeText(time, num, r, i);
      this.engine.dissect(r, num, { tree: 'fields', interest: this.color.interest, columns: true, ordered: false });
      const p = this.engine.pinfo;
      out.push({
        num,
        time: timeText,
        src: formatAddress(p.src),
        dst: formatAddress(p.dst),
        protocol: p.protocol,
        length: p.origLen,
        info: p.info,
        color: this.color.match(this.engine.tree),
      });
    }
    return out;
  }

  applyFilter(text: string): FilterOutcome {
    const total = this.store.count;
    if (text.trim() === '') {
      this.filter = null;
      this.displayed = null;
      this.displayedCount = 0;
      return { ok: true, displayed: total, total };
    }
    const compiled = compileDisplayFilter(text);
    if (!compiled.ok) return compiled;
    this.filter = compiled.filter;
    this.displayed = new Int32Array(Math.max(1024, total >> 3));
    this.displayedCount = 0;
    for (let num = 1; num <= total; num++) {
      this.engine.dissect(this.store.get(num, this.rec), num, { tree: 'fields', interest: compiled.filter.interest, columns: false, ordered: false });
      if (compiled.filter.matches(this.engine.tree)) this.pushDisplayed(num);
    }
    return { ok: true, displayed: this.displayedCount, total };
  }

  checkFilter(text: string): ReturnType<EngineCalls['checkFilter']> {
    if (text.trim() === '') return { state: 'empty' };
    const c = compileDisplayFilter(text);
    if (!c.ok) return { state: 'invalid', message: c.message, start: c.start, end: c.end };
    const warn = (c.filter as { warnings?: readonly string[] }).warnings;
    return warn && warn.length > 0 ? { state: 'deprecated', message: warn[0] } : { state: 'valid' };
  }

  completeField(prefix: string): { name: string; label: string }[] {
    if (prefix.trim() === '') return [];
    // core/filter's completion: protocols first, then shallower names, as Wireshark's field completer.
    return completeField(prefix, 50).map((c) => ({ name: c.name, label: c.label }));
  }

  displayedFrames(): number[] {
    if (!this.displayed) return Array.from({ length: this.store.count }, (_, i) => i + 1);
    return Array.from(this.displayed.subarray(0, this.displayedCount));
  }

  detail(num: number): Detail | null {
    if (num < 1 || num > this.store.count) return null;
    const e = this.engine;
    e.dissect(this.store.get(num, this.rec), num, { tree: 'full', columns: true });
    const t = e.tree;
    const items: DetailItem[] = [];
    // Hidden items are filterable but never shown (PROTO_ITEM_SET_HIDDEN): skip them and their subtrees.
    const map = new Int32Array(t.count).fill(-1);
    for (let i = 0; i < t.count; i++) {
      const parent = t.parent[i];
      if ((t.flags[i] & ItemFlags.HIDDEN) !== 0 || (parent >= 0 && map[parent] < 0)) continue;
      const f = fieldById(t.field[i]);
      const v = t.value[i];
      map[i] = items.length;
      items.push({
        label: itemLabel(t, i),
        parent: parent >= 0 ? map[parent] : -1,
        source: t.source[i],
        start: t.start[i],
        length: t.length[i],
        abbrev: f.abbrev,
        value: safeText(() => itemFieldText(t, i)),
        generated: (t.flags[i] & ItemFlags.GENERATED) !== 0,
        expert: (t.flags[i] & ItemFlags.EXPERT) !== 0,
        ...(f.type === FT.FRAMENUM && typeof v === 'number' && v > 0 ? { link: v } : {}),
      });
    }
    // Copies: the tree's sources are views into the store or into reassembly buffers reused later.
    const sources = t.sources.map((s) => ({ name: s.name, bytes: s.bytes.slice() }));
    return { num, items, sources };
  }

  exportFile(format: 'pcap' | 'pcapng', which: 'all' | 'displayed'): ArrayBuffer {
    const n = which === 'displayed' && this.displayed ? this.displayedCount : this.store.count;
    const parts: Uint8Array[] = [];
    const first = n > 0 ? this.store.get(this.frameAt(0), this.rec).linkType : 1;
    if (format === 'pcap') {
      const w = new PcapWriter({ linkType: first, nanosecond: this.digits > 6 });
      parts.push(w.header());
      for (let i = 0; i < n; i++) parts.push(w.record(this.store.get(which === 'displayed' ? this.frameAt(i) : i + 1, this.rec)).slice());
    } else {
      const w = new PcapngWriter({ nanosecond: true });
      const ifaces = this.reader?.interfaces.length ? this.reader.interfaces : [{ linkType: first, snapLen: 262144, tsUnitsPerSec: 1e9, tsOffset: 0 }];
      parts.push(w.header(ifaces));
      for (let i = 0; i < n; i++) parts.push(w.record(this.store.get(which === 'displayed' ? this.frameAt(i) : i + 1, this.rec)).slice());
    }
    let len = 0;
    for (const p of parts) len += p.length;
    const out = new Uint8Array(len);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out.buffer;
  }
}

function safeText(f: () => string): string {
  try {
    return f();
  } catch {
    return '';
  }
}
