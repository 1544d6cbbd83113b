// TCP reassembly for the protocols above TCP (Wireshark 4.0's packet-tcp.c desegment_tcp with
// tcp.desegment_tcp_streams on and tcp.reassemble_out_of_order off). An upper dissector that finds its
// PDU cut short sets pinfo.desegmentOffset/desegmentLen; TCP then opens a multi-segment PDU (MSP) for
// the direction, adds each later segment's bytes at their offset (so a segment that arrives after a
// hole still lands in place), and calls the dissector again, with a data source "Reassembled TCP", on
// the frame whose bytes complete it. Earlier frames show "[TCP segment of a reassembled PDU]".
//
// Memory: an MSP's bytes are held only while it is open. Once complete, only its segment list is kept
// (frame, offset in the PDU, length, offset in the frame: 16 bytes a segment); a frame dissected again
// rebuilds the PDU through CaptureContext.frameData, or from a small cache of recent PDUs when the
// owner of the packets provides no such hook.

import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN } from '../packet.js';
import { FT, Base, defineFields, type Field } from '../../fields/registry.js';
import type { Ctx } from '../table.js';
import { ItemFlags, ROOT, type Item } from '../tree.js';
import { Tvb } from '../tvb.js';
import { grow } from '../grow.js';

export function defineReassemblyFields(proto: Field) {
  return defineFields(proto, {
    segment_data: { abbrev: 'tcp.segment_data', name: 'TCP segment data', type: FT.BYTES, blurb: 'A data segment used in reassembly of a lower-level protocol' },
    reassembled_in: { abbrev: 'tcp.reassembled_in', name: 'Reassembled PDU in frame', type: FT.FRAMENUM },
    segments: { abbrev: 'tcp.segments', name: 'Reassembled TCP Segments', type: FT.NONE },
    segment: { abbrev: 'tcp.segment', name: 'TCP Segment', type: FT.FRAMENUM },
    segment_count: { abbrev: 'tcp.segment.count', name: 'Segment count', type: FT.UINT32, base: Base.DEC },
    reassembled_length: { abbrev: 'tcp.reassembled.length', name: 'Reassembled TCP length', type: FT.UINT32, base: Base.DEC },
    reassembled_data: { abbrev: 'tcp.reassembled.data', name: 'Reassembled TCP Data', type: FT.BYTES },
  });
}
export type ReassemblyFields = ReturnType<typeof defineReassemblyFields>;

/** MSP flag: the next segment is taken whole (DESEGMENT_ONE_MORE_SEGMENT). */
const MSP_ENTIRE_SEGMENT = 1;
/** Wireshark refuses to reassemble PDUs above 1 MiB at a time (packet-tcp.c "(nxtseq - deseg_seq) <= 1024*1024"). */
const MAX_FIRST = 1024 * 1024;
/** Frame flag: "[TCP segment of a reassembled PDU]" was appended on the first pass. */
const F_MARKER = 1;
/** Cache of completed PDUs for re-dissection without CaptureContext.frameData (bytes). */
const CACHE_BYTES = 8 << 20;
/** End of an MSP that lasts until the FIN. */
const UNTIL_FIN_END = 0x7fffffff;

type Sub = (tvb: Tvb) => void;


export class TcpReassembly {
  // MSPs (index m): sequence numbers relative to the direction's base (no wrap within 4 GiB).
  mspSeq = new Int32Array(64);
  mspEnd = new Int32Array(64);
  mspFlags = new Uint8Array(64);
  mspIn = new Int32Array(64);
  mspSegHead = new Int32Array(64);
  mspSegTail = new Int32Array(64);
  mspCount = 0;
  /** Bytes of open MSPs (freed when complete). */
  readonly open = new Map<number, Uint8Array>();
  /** Per slot: its MSPs in order of sequence number. */
  readonly bySlot: number[][] = [];
  /** Per slot: reassemble until FIN (DESEGMENT_UNTIL_FIN) requested. */
  untilFin = new Uint8Array(64);
  // Segments (index s) of MSPs, linked in the order they were added.
  segFrame = new Int32Array(256);
  segOff = new Int32Array(256);
  segLen = new Int32Array(256);
  segSrc = new Int32Array(256);
  segNext = new Int32Array(256);
  segCount = 0;
  // Per frame: MSP completed (or partially handed up) here + 1, its length then, where the direct
  // dissection of the rest of the segment started (-1 none), where absorbed bytes start (-1 none),
  // the frame that completed the PDU this frame's bytes went to, and flags.
  frMsp = new Int32Array(1024);
  frMspLen = new Int32Array(1024);
  frDirect = new Int32Array(1024).fill(-1);
  frAbsorb = new Int32Array(1024).fill(-1);
  frIn = new Int32Array(1024);
  frFlags = new Uint8Array(1024);
  private readonly cache = new Map<number, Uint8Array>();
  private cacheBytes = 0;

  private ensureFrame(num: number): void {
    if (num < this.frMsp.length) return;
    this.frMsp = grow(this.frMsp, num);
    this.frMspLen = grow(this.frMspLen, num);
    this.frDirect = grow(this.frDirect, num, -1);
    this.frAbsorb = grow(this.frAbsorb, num, -1);
    this.frIn = grow(this.frIn, num);
    this.frFlags = grow(this.frFlags, num);
  }

  private newMsp(slot: number, seq: number, end: number): number {
    const m = this.mspCount++;
    this.mspSeq = grow(this.mspSeq, m);
    this.mspEnd = grow(this.mspEnd, m);
    this.mspFlags = grow(this.mspFlags, m);
    this.mspIn = grow(this.mspIn, m);
    this.mspSegHead = grow(this.mspSegHead, m);
    this.mspSegTail = grow(this.mspSegTail, m);
    this.mspSeq[m] = seq;
    this.mspEnd[m] = end;
    this.mspFlags[m] = 0;
    this.mspIn[m] = 0;
    this.mspSegHead[m] = this.mspSegTail[m] = -1;
    let list = this.bySlot[slot];
    if (list === undefined) list = this.bySlot[slot] = [];
    // Keep the list sorted by start (PDUs normally open in order: append).
    let i = list.length;
    while (i > 0 && this.mspSeq[list[i - 1]] > seq) i--;
    list.splice(i, 0, m);
    this.open.set(m, new Uint8Array(Math.max(0, end - seq)));
    return m;
  }

  /** The MSP starting at or before `seq` (wireshark: wmem_tree_lookup32_le(seq - 1) ... ) that covers it. */
  private find(slot: number, seq: number): number {
    const list = this.bySlot[slot];
    if (list === undefined) return -1;
    let lo = 0, hi = list.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.mspSeq[list[mid]] <= seq - 1) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return -1;
    const m = list[best];
    return this.mspSeq[m] <= seq && this.mspEnd[m] > seq ? m : -1;
  }

  /** Adds `len` payload bytes at `off` of `tvb` to MSP m at PDU offset `at`. Returns true when complete. */
  private add(m: number, num: number, tvb: Tvb, off: number, at: number, len: number): boolean {
    let buf = this.open.get(m);
    if (buf === undefined) return false;
    const need = at + len;
    if (need > buf.length) {
      const b = new Uint8Array(Math.max(need, this.mspEnd[m] - this.mspSeq[m]));
      b.set(buf);
      buf = b;
      this.open.set(m, buf);
    }
    const avail = Math.min(len, tvb.remaining(off));
    if (avail > 0) buf.set(tvb.bytesAt(off, avail), at);
    const s = this.segCount++;
    if (s >= this.segFrame.length) {
      this.segFrame = grow(this.segFrame, s);
      this.segOff = grow(this.segOff, s);
      this.segLen = grow(this.segLen, s);
      this.segSrc = grow(this.segSrc, s);
      this.segNext = grow(this.segNext, s);
    }
    this.segFrame[s] = num;
    this.segOff[s] = at;
    this.segLen[s] = len;
    this.segSrc[s] = tvb.base + off;
    this.segNext[s] = -1;
    if (this.mspSegTail[m] < 0) this.mspSegHead[m] = s;
    else this.segNext[this.mspSegTail[m]] = s;
    this.mspSegTail[m] = s;
    return this.covered(m) >= this.mspEnd[m] - this.mspSeq[m];
  }

  /** Bytes covered contiguously from the PDU's start (fragment_add's "no holes" test). */
  private covered(m: number): number {
    let end = 0, changed = true;
    while (changed) {
      changed = false;
      for (let s = this.mspSegHead[m]; s >= 0; s = this.segNext[s]) {
        const a = this.segOff[s], b = a + this.segLen[s];
        if (a <= end && b > end) { end = b; changed = true; }
      }
    }
    return end;
  }

  /** The PDU's bytes as they were when frame `upTo` was dissected (segments added by then). */
  bytesOf(ctx: Ctx, m: number, len: number, upTo: number): Uint8Array | undefined {
    const open = this.open.get(m);
    if (open !== undefined) return open.subarray(0, len);
    const cached = this.cache.get(m);
    if (cached !== undefined && cached.length >= len) return cached.subarray(0, len);
    const fd = ctx.capture.frameData;
    if (fd === null) return undefined;
    const out = new Uint8Array(len);
    for (let s = this.mspSegHead[m]; s >= 0; s = this.segNext[s]) {
      if (this.segFrame[s] > upTo) continue;
      const data = fd(this.segFrame[s]);
      if (data === undefined) return undefined;
      const n = Math.min(this.segLen[s], len - this.segOff[s], data.length - this.segSrc[s]);
      if (n > 0) out.set(data.subarray(this.segSrc[s], this.segSrc[s] + n), this.segOff[s]);
    }
    return out;
  }

  private remember(m: number, bytes: Uint8Array): void {
    if (bytes.length > CACHE_BYTES) return;
    this.cache.set(m, bytes);
    this.cacheBytes += bytes.length;
    for (const [k, v] of this.cache) {
      if (this.cacheBytes <= CACHE_BYTES) break;
      this.cache.delete(k);
      this.cacheBytes -= v.length;
    }
  }

  /**
   * desegment_tcp: hands `payload` (the segment's bytes, relative sequence `seq`..`nxtseq`) to `sub`
   * through the MSPs of direction `slot`, and adds the TCP items this owns. A FIN with no payload
   * ends a PDU the dissector wanted "until FIN".
   */
  desegment(ctx: Ctx, payload: Tvb, tcpTop: Item, hf: ReassemblyFields, slot: number, seq: number, nxtseq: number, fin: boolean, sub: Sub): void {
    const { pinfo } = ctx;
    const num = pinfo.num;
    this.ensureFrame(num);
    if (slot >= this.untilFin.length) this.untilFin = grow(this.untilFin, slot);
    if (pinfo.visited) {
      this.replay(ctx, payload, tcpTop, hf, sub);
      return;
    }
    this.frMsp[num] = 0;
    this.frDirect[num] = -1;
    this.frAbsorb[num] = -1;
    this.frFlags[num] = 0;
    if (payload.length === 0) {
      if (fin && this.untilFin[slot]) this.endAtFin(ctx, payload, hf, slot, seq, sub);
      return;
    }
    let offset = 0;
    let handedUp = false;
    for (;;) {
      let anotherPduFollows = 0;
      let desegOffset = -1;
      let marker = false;
      pinfo.desegmentOffset = 0;
      pinfo.desegmentLen = 0;
      const m = this.find(slot, seq);
      if (m >= 0) {
        let len = Math.min(nxtseq, this.mspEnd[m]) - seq;
        if (this.mspFlags[m] & MSP_ENTIRE_SEGMENT) {
          // The dissector asked for one more segment: take all of it.
          this.mspFlags[m] &= ~MSP_ENTIRE_SEGMENT;
          this.mspEnd[m] = nxtseq;
          len = nxtseq - seq;
        }
        if (fin && this.mspEnd[m] === UNTIL_FIN_END) {
          this.mspEnd[m] = nxtseq;
          len = nxtseq - seq;
        }
        if (this.frAbsorb[num] < 0) this.frAbsorb[num] = offset;
        const complete = this.add(m, num, payload, offset, seq - this.mspSeq[m], len);
        if (complete) {
          const r = this.handUp(ctx, hf, m, num, sub, !fin);
          handedUp = true;
          if (r === 'partial') {
            marker = true;
          } else if (r > 0) {
            // A new PDU starts inside this PDU's last bytes and does not end there.
            desegOffset = offset + Math.max(0, r - (seq - this.mspSeq[m]));
          } else if (nxtseq > this.mspEnd[m]) {
            anotherPduFollows = this.mspEnd[m] - seq;
          }
        } else {
          marker = !handedUp;
          if (nxtseq > this.mspEnd[m] && this.mspEnd[m] !== UNTIL_FIN_END) anotherPduFollows = this.mspEnd[m] - seq;
        }
      } else {
        pinfo.canDesegment = true;
        if (this.frDirect[num] < 0) this.frDirect[num] = offset;
        sub(offset === 0 ? payload : payload.sub(offset));
        if (pinfo.desegmentLen !== 0) {
          desegOffset = offset + pinfo.desegmentOffset;
          if (pinfo.desegmentOffset === 0 && !handedUp) marker = true;
        } else {
          handedUp = true;
        }
      }
      const desegLen = pinfo.desegmentLen;
      if (desegOffset >= 0 && desegLen !== 0) {
        if (desegLen === DESEGMENT_UNTIL_FIN) this.untilFin[slot] = 1;
        const desegSeq = seq + (desegOffset - offset);
        if (nxtseq - desegSeq <= MAX_FIRST) {
          const end = desegLen === DESEGMENT_ONE_MORE_SEGMENT ? nxtseq + 1 : desegLen === DESEGMENT_UNTIL_FIN ? UNTIL_FIN_END : nxtseq + desegLen;
          const nm = this.newMsp(slot, desegSeq, end);
          if (desegLen === DESEGMENT_ONE_MORE_SEGMENT) this.mspFlags[nm] |= MSP_ENTIRE_SEGMENT;
          this.add(nm, num, payload, desegOffset, 0, nxtseq - desegSeq);
          if (this.frAbsorb[num] < 0) this.frAbsorb[num] = desegOffset;
        }
      }
      if (marker) this.frFlags[num] |= F_MARKER;
      pinfo.canDesegment = false;
      pinfo.desegmentOffset = 0;
      pinfo.desegmentLen = 0;
      if (anotherPduFollows > 0) {
        offset += anotherPduFollows;
        seq += anotherPduFollows;
        // What follows may be an unfinished PDU: keep the Info of what was dissected (col_set_fence).
        pinfo.setFence();
        continue;
      }
      break;
    }
    this.decorate(ctx, payload, tcpTop, hf);
  }

  /**
   * Calls the dissector on complete MSP m. Returns 0 when it took the PDU, 'partial' when it wants
   * more (the MSP grows: Wireshark's partial reassembly), or the offset of an unfinished PDU it found
   * inside. `canDesegment` false tells it no more data will come (the FIN).
   */
  private handUp(ctx: Ctx, hf: ReassemblyFields, m: number, num: number, sub: Sub, canDesegment: boolean): number | 'partial' {
    const { pinfo } = ctx;
    const total = this.mspEnd[m] - this.mspSeq[m];
    const bytes = this.open.get(m)!.subarray(0, total);
    const rtvb = this.reassembledTvb(ctx, bytes);
    pinfo.canDesegment = canDesegment;
    pinfo.desegmentOffset = 0;
    pinfo.desegmentLen = 0;
    const mark = ctx.tree.count;
    this.showSegments(ctx, rtvb, hf, m, total, num);
    sub(rtvb);
    if (pinfo.desegmentLen !== 0 && pinfo.desegmentOffset === 0) {
      // The PDU is longer than was thought (chunked bodies, headers across segments): keep collecting
      // into the same MSP; nothing of this attempt stays in the tree (Wireshark shows none either).
      const nxt = this.mspEnd[m];
      if (pinfo.desegmentLen === DESEGMENT_ONE_MORE_SEGMENT) {
        this.mspEnd[m] = nxt + 1;
        this.mspFlags[m] |= MSP_ENTIRE_SEGMENT;
      } else if (pinfo.desegmentLen === DESEGMENT_UNTIL_FIN) {
        this.untilFin[this.slotOf(m)] = 1;
        this.mspEnd[m] = UNTIL_FIN_END;
      } else {
        this.mspEnd[m] = nxt + pinfo.desegmentLen;
      }
      ctx.tree.truncate(mark);
      ctx.tree.sources.length = Math.max(1, rtvb.source);
      return 'partial';
    }
    this.frMsp[num] = m + 1;
    this.frMspLen[num] = total;
    this.finish(m, num);
    return pinfo.desegmentLen !== 0 ? pinfo.desegmentOffset : 0;
  }

  private slotOf(m: number): number {
    for (let i = 0; i < this.bySlot.length; i++) if (this.bySlot[i]?.includes(m)) return i;
    return 0;
  }

  /** A FIN without payload completes the open "until FIN" PDU of its direction. */
  private endAtFin(ctx: Ctx, payload: Tvb, hf: ReassemblyFields, slot: number, seq: number, sub: Sub): void {
    const list = this.bySlot[slot];
    if (list === undefined) return;
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i];
      if (this.mspEnd[m] !== UNTIL_FIN_END || !this.open.has(m)) continue;
      this.mspEnd[m] = seq;
      if (this.covered(m) < seq - this.mspSeq[m]) return;
      // The FIN is listed as a segment of no bytes ("#84(0)"), as tshark does.
      this.add(m, ctx.pinfo.num, payload, 0, seq - this.mspSeq[m], 0);
      this.handUp(ctx, hf, m, ctx.pinfo.num, sub, false);
      this.untilFin[slot] = 0;
      this.frAbsorb[ctx.pinfo.num] = -1;
      void payload;
      return;
    }
  }

  /** Marks the end of MSP m in frame `num`: segments learn where they were reassembled. */
  private finish(m: number, num: number): void {
    this.mspIn[m] = num;
    for (let s = this.mspSegHead[m]; s >= 0; s = this.segNext[s]) {
      const f = this.segFrame[s];
      if (f !== num && f < this.frIn.length) this.frIn[f] = num;
    }
    const bytes = this.open.get(m);
    this.open.delete(m);
    if (bytes !== undefined) this.remember(m, bytes.subarray(0, this.mspEnd[m] - this.mspSeq[m]));
  }

  private reassembledTvb(ctx: Ctx, bytes: Uint8Array): Tvb {
    const src = ctx.tree.addSource(`Reassembled TCP (${bytes.length} bytes)`, bytes);
    return new Tvb(bytes, src, 0, bytes.length, bytes.length);
  }

  /** "[3 Reassembled TCP Segments (1302 bytes): #6(524), #8(524), #10(254)]" (show_fragment_seq_tree). */
  private showSegments(ctx: Ctx, rtvb: Tvb, hf: ReassemblyFields, m: number, total: number, upTo: number): void {
    const { tree } = ctx;
    if (tree.mode === 'none') return;
    const G = ItemFlags.GENERATED;
    const top = tree.add(ROOT, hf.segments, rtvb, 0, total, null, G);
    let n = 0;
    let label = '';
    for (let s = this.mspSegHead[m]; s >= 0; s = this.segNext[s]) {
      if (this.segFrame[s] > upTo) continue;
      const off = this.segOff[s], len = Math.min(this.segLen[s], total - off);
      if (len < 0) continue;
      n++;
      label += `${n > 1 ? ', ' : ''}#${this.segFrame[s]}(${len})`;
      const it = tree.add(top, hf.segment, rtvb, off, len, this.segFrame[s], G);
      if (tree.full) tree.setText(it, `[Frame: ${this.segFrame[s]}, payload: ${off}-${off + len - 1} (${len} byte${len === 1 ? '' : 's'})]`);
    }
    if (tree.full) tree.setText(top, `[${n} Reassembled TCP Segments (${total} bytes): ${label}]`);
    tree.add(top, hf.segment_count, rtvb, 0, 0, n, G);
    const rl = tree.add(top, hf.reassembled_length, rtvb, 0, 0, total, G);
    void rl;
    if (tree.wants(hf.reassembled_data)) {
      const d = tree.add(top, hf.reassembled_data, rtvb, 0, total, rtvb.bytesAt(0, total), G);
      if (tree.full) {
        const hex = Array.from(rtvb.bytesAt(0, Math.min(total, 36)), (b) => b.toString(16).padStart(2, '0')).join('');
        tree.setText(d, `[Reassembled TCP Data: ${hex}${total > 36 ? '\u2026' : ''}]`);
      }
    }
  }

  /** The TCP items and Info marker for bytes that went into a PDU (first pass and revisits alike). */
  private decorate(ctx: Ctx, payload: Tvb, tcpTop: Item, hf: ReassemblyFields): void {
    const { pinfo, tree } = ctx;
    const num = pinfo.num;
    if ((this.frFlags[num] & F_MARKER) && pinfo.columns) {
      pinfo.protocol = 'TCP';
      pinfo.appendInfoSep(' ', '[TCP segment of a reassembled PDU]');
    }
    const at = this.frAbsorb[num];
    if (at < 0) return;
    // tcp.reassembled_in is known on a second pass only (tshark -2, the UI), as in Wireshark.
    if (pinfo.visited && this.frIn[num] > 0) {
      const it = tree.add(tcpTop, hf.reassembled_in, payload, 0, 0, this.frIn[num], ItemFlags.GENERATED);
      if (tree.full) tree.setText(it, `[Reassembled PDU in frame: ${this.frIn[num]}]`);
    }
    const n = payload.remaining(at);
    if (tree.wants(hf.segment_data)) {
      const it = tree.add(tcpTop, hf.segment_data, payload, at, n, payload.bytesAt(at, n));
      if (tree.full) tree.setText(it, `TCP segment data (${n} byte${n === 1 ? '' : 's'})`);
    }
  }

  /** Whether a FIN without payload must come here (an "until FIN" PDU is open, or ended here). */
  wantsFin(num: number, slot: number, visited: boolean): boolean {
    if (visited) return num < this.frMsp.length && this.frMsp[num] > 0;
    return slot < this.untilFin.length && this.untilFin[slot] === 1;
  }

  /** A revisit: the same calls as the first pass made, from what it stored. */
  private replay(ctx: Ctx, payload: Tvb, tcpTop: Item, hf: ReassemblyFields, sub: Sub): void {
    const { pinfo } = ctx;
    const num = pinfo.num;
    const mm = this.frMsp[num];
    if (mm > 0) {
      const m = mm - 1;
      const total = this.frMspLen[num];
      const bytes = this.bytesOf(ctx, m, total, num);
      if (bytes !== undefined) {
        const rtvb = this.reassembledTvb(ctx, bytes);
        this.showSegments(ctx, rtvb, hf, m, total, num);
        // The PDU is whole now: the dissector must take it as it is (no new request for more).
        pinfo.canDesegment = false;
        sub(rtvb);
        if (this.frDirect[num] >= 0) pinfo.setFence();
      }
    }
    // Bytes handed up directly, up to where an unfinished PDU began (that part is shown as segment
    // data only, as Wireshark does once it knows the PDU).
    const d = this.frDirect[num], a = this.frAbsorb[num];
    if (d >= 0 && (a < 0 || a > d)) {
      pinfo.canDesegment = false;
      sub(payload.sub(d, a < 0 ? -1 : a - d));
    }
    pinfo.canDesegment = false;
    pinfo.desegmentOffset = 0;
    pinfo.desegmentLen = 0;
    this.decorate(ctx, payload, tcpTop, hf);
  }
}
