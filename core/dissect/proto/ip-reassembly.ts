// Reassembly of datagrams split into offset-addressed fragments (IPv4 now, IPv6 can share it), as
// Wireshark 4.0's epan/reassemble.c does for fragment_add_check + process_reassembled_data:
// - fragments are kept per datagram key (for IPv4: addresses and proto^id^src^dst, packet-ip.c),
//   sorted by offset; the one without "more fragments" fixes the datagram's length;
// - once the contiguous bytes from offset 0 reach that length, the datagram is built (later bytes of
//   overlapping fragments lose; overlaps, conflicts, extra tails and too-long fragments are flagged),
//   the in-progress entry is dropped and every fragment's frame learns where it was reassembled;
// - on the first pass only the completing frame gets the datagram; a frame dissected again (the UI,
//   tshark -2) also learns "[Reassembled in #N]", as Wireshark's reassembled table gives it.
//
// Memory: in-progress datagrams hold their fragments' bytes, at most MAX_OPEN_BYTES in all (the
// oldest datagram is dropped first: a capture of endless lost fragments cannot grow without bound).
// A completed datagram keeps its fragment list (16 bytes a fragment) and its bytes in a cache of
// CACHE_BYTES; a revisited frame whose datagram left the cache rebuilds it from the frames' bytes
// (CaptureContext.frameData), as TCP reassembly does.

import { Base, FT, defineFields, type Field } from '../../fields/registry.js';
import type { Ctx } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import { Tvb } from '../tvb.js';

/** reassemble.h FD_* flags of one fragment (and, or-ed, of the datagram). */
const FD_OVERLAP = 1;
const FD_OVERLAPCONFLICT = 2;
const FD_MULTIPLETAILS = 4;
const FD_TOOLONGFRAGMENT = 8;
const FD_ERRORS = FD_OVERLAPCONFLICT | FD_MULTIPLETAILS | FD_TOOLONGFRAGMENT;

/** Bytes of unfinished datagrams kept at most (Wireshark keeps all; we drop the oldest). */
const MAX_OPEN_BYTES = 32 << 20;
/** Completed datagrams' bytes kept for revisits without CaptureContext.frameData. */
const CACHE_BYTES = 16 << 20;

/** The fields of a protocol's fragment tree (Wireshark's fragment_items). */
export function defineFragmentFields(proto: Field, prefix: string, label: string, reassembledIn: string) {
  return defineFields(proto, {
    fragments: { abbrev: `${prefix}.fragments`, name: `${label} Fragments`, type: FT.BYTES },
    fragment: { abbrev: `${prefix}.fragment`, name: `${label} Fragment`, type: FT.FRAMENUM },
    overlap: { abbrev: `${prefix}.fragment.overlap`, name: 'Fragment overlap', type: FT.BOOLEAN, blurb: 'Fragment overlaps with other fragments' },
    overlap_conflict: { abbrev: `${prefix}.fragment.overlap.conflict`, name: 'Conflicting data in fragment overlap', type: FT.BOOLEAN, blurb: 'Overlapping fragments contained conflicting data' },
    multiple_tails: { abbrev: `${prefix}.fragment.multipletails`, name: 'Multiple tail fragments found', type: FT.BOOLEAN, blurb: 'Several tails were found when defragmenting the packet' },
    too_long: { abbrev: `${prefix}.fragment.toolongfragment`, name: 'Fragment too long', type: FT.BOOLEAN, blurb: 'Fragment contained data past end of packet' },
    error: { abbrev: `${prefix}.fragment.error`, name: 'Defragmentation error', type: FT.FRAMENUM, blurb: 'Defragmentation error due to illegal fragments' },
    count: { abbrev: `${prefix}.fragment.count`, name: 'Fragment count', type: FT.UINT32, base: Base.DEC },
    reassembled_in: { abbrev: reassembledIn, name: `Reassembled ${label} in frame`, type: FT.FRAMENUM, blurb: `This ${label} packet is reassembled in this frame` },
    reassembled_length: { abbrev: `${prefix}.reassembled.length`, name: `Reassembled ${label} length`, type: FT.UINT32, base: Base.DEC, blurb: 'The total length of the reassembled payload' },
    reassembled_data: { abbrev: `${prefix}.reassembled.data`, name: `Reassembled ${label} data`, type: FT.BYTES, blurb: 'The reassembled payload' },
  });
}
export type FragmentFields = ReturnType<typeof defineFragmentFields>;

interface Fragment {
  frame: number;
  offset: number;
  len: number;
  flags: number;
  /** Where the bytes sit in their frame (-1: not in the frame's own bytes, so `data` is kept). */
  frameOff: number;
  /** The bytes while the datagram is open (and for good when frameOff is -1). */
  data: Uint8Array | null;
}

/** One datagram (Wireshark's fragment_head). */
export interface Datagram {
  key: string;
  frags: Fragment[];
  datalen: number;
  datalenSet: boolean;
  flags: number;
  /** Frame that completed it (0 while open). */
  reassembledIn: number;
  held: number;
}

export class FragmentTable {
  private readonly open = new Map<string, Datagram>();
  private openBytes = 0;
  /** Completed datagrams by each of their fragments' frames (reassembled_table). */
  private readonly byFrame = new Map<number, Datagram[]>();
  private readonly cache = new Map<Datagram, Uint8Array>();
  private cacheBytes = 0;

  /**
   * @param sourceName the data source's name ("Reassembled IPv4")
   * @param tag        for the Info text of a datagram with errors ("[Illegal fragments]")
   */
  constructor(readonly sourceName: string, private readonly hf: FragmentFields, private readonly tag = 'fragments',
    private readonly maxOpenBytes = MAX_OPEN_BYTES, private readonly cacheLimit = CACHE_BYTES) {}

  /**
   * fragment_add_check: adds `len` bytes of `payload` at datagram offset `offset` on the first pass;
   * returns the datagram when this frame completed it, or (on a revisit) the completed datagram this
   * frame's fragment belongs to; null otherwise.
   */
  add(ctx: Ctx, key: string, payload: Tvb, offset: number, len: number, more: boolean): Datagram | null {
    const { pinfo } = ctx;
    if (pinfo.visited) return this.byFrame.get(pinfo.num)?.find((d) => d.key === key) ?? null;
    let d = this.open.get(key);
    if (d === undefined) {
      d = { key, frags: [], datalen: 0, datalenSet: false, flags: 0, reassembledIn: 0, held: 0 };
      this.open.set(key, d);
    }
    const frag: Fragment = {
      frame: pinfo.num, offset, len, flags: 0,
      frameOff: payload.source === 0 ? payload.base : -1,
      data: payload.bytesAt(0, len).slice(),
    };
    d.held += len;
    this.openBytes += len;
    if (!more) {
      if (d.datalenSet) {
        if (d.datalen !== offset + len) {
          frag.flags |= FD_MULTIPLETAILS;
          d.flags |= FD_MULTIPLETAILS;
        }
      } else {
        d.datalen = offset + len;
        d.datalenSet = true;
      }
    }
    // LINK_FRAG: sorted by offset, a fragment after those of the same offset.
    let i = d.frags.length;
    while (i > 0 && d.frags[i - 1].offset > offset) i--;
    d.frags.splice(i, 0, frag);
    if (!d.datalenSet || !this.complete(d)) {
      this.bound();
      return null;
    }
    const bytes = this.build(d, (f) => f.data);
    this.open.delete(key);
    this.openBytes -= d.held;
    d.reassembledIn = pinfo.num;
    for (const f of d.frags) {
      if (f.frameOff >= 0) f.data = null;
      let list = this.byFrame.get(f.frame);
      if (list === undefined) this.byFrame.set(f.frame, (list = []));
      if (!list.includes(d)) list.push(d);
    }
    this.remember(d, bytes);
    return d;
  }

  /** The contiguous bytes from offset 0 reach the datagram's length (the loop over fd_i in fragment_add_work). */
  private complete(d: Datagram): boolean {
    let max = 0;
    for (const f of d.frags) if (f.offset <= max && f.offset + f.len > max) max = f.offset + f.len;
    return max >= d.datalen;
  }

  /** The datagram's bytes, fragments in offset order, the earlier copy of overlapping bytes kept. */
  private build(d: Datagram, bytesOf: (f: Fragment) => Uint8Array | null | undefined): Uint8Array | undefined {
    const out = new Uint8Array(d.datalen);
    let pos = 0;
    for (const f of d.frags) {
      if (f.len === 0) continue;
      if (f.offset >= d.datalen) {
        f.flags |= FD_TOOLONGFRAGMENT;
        d.flags |= FD_TOOLONGFRAGMENT;
        continue;
      }
      const data = bytesOf(f);
      if (data === null || data === undefined) return undefined;
      let fraglen = f.len;
      if (f.offset + fraglen > d.datalen) {
        f.flags |= FD_TOOLONGFRAGMENT;
        d.flags |= FD_TOOLONGFRAGMENT;
        fraglen = d.datalen - f.offset;
      }
      const overlap = pos - f.offset;
      if (overlap > 0) {
        f.flags |= FD_OVERLAP;
        d.flags |= FD_OVERLAP;
        const n = Math.min(f.len, overlap);
        for (let k = 0; k < n; k++) {
          if (out[f.offset + k] !== data[k]) {
            f.flags |= FD_OVERLAPCONFLICT;
            d.flags |= FD_OVERLAPCONFLICT;
            break;
          }
        }
      }
      if (f.offset + fraglen > pos) {
        out.set(data.subarray(Math.max(0, overlap), fraglen), pos);
        pos = f.offset + fraglen;
      }
    }
    return out;
  }

  /** Drops the oldest unfinished datagrams while their bytes exceed MAX_OPEN_BYTES. */
  private bound(): void {
    for (const [k, d] of this.open) {
      if (this.openBytes <= this.maxOpenBytes) break;
      this.open.delete(k);
      this.openBytes -= d.held;
    }
  }

  private remember(d: Datagram, bytes: Uint8Array | undefined): void {
    if (bytes === undefined) return;
    this.cache.set(d, bytes);
    this.cacheBytes += bytes.length;
    for (const [k, b] of this.cache) {
      if (this.cacheBytes <= this.cacheLimit) break;
      this.cache.delete(k);
      this.cacheBytes -= b.length;
    }
  }

  private bytesOf(ctx: Ctx, d: Datagram): Uint8Array | undefined {
    const hit = this.cache.get(d);
    if (hit !== undefined) return hit;
    const frameData = ctx.capture.frameData;
    const bytes = this.build(d, (f) => f.data ?? frameData?.(f.frame)?.subarray(f.frameOff, f.frameOff + f.len));
    this.remember(d, bytes);
    return bytes;
  }

  /**
   * process_reassembled_data: on the frame that completed `d`, the reassembled bytes as a new data
   * source with the fragment tree under `parent` (and pinfo.fragmented cleared); on its other frames
   * the "Reassembled in" item; null when there is nothing to hand up. `illegal` reports whether
   * the Info column was set to "[Illegal fragments]".
   */
  process(ctx: Ctx, d: Datagram | null, parent: Item, tvb: Tvb): { next: Tvb | null; illegal: boolean } {
    const { pinfo, tree } = ctx;
    if (d === null) return { next: null, illegal: false };
    if (d.reassembledIn !== pinfo.num) {
      const it = tree.add(parent, this.hf.reassembled_in, tvb, 0, 0, d.reassembledIn, ItemFlags.GENERATED);
      if (tree.full) tree.setText(it, `[Reassembled ${this.sourceName.replace(/^Reassembled /, '')} in frame: ${d.reassembledIn}]`);
      return { next: null, illegal: false };
    }
    const bytes = this.bytesOf(ctx, d);
    if (bytes === undefined) return { next: null, illegal: false };
    const src = tree.addSource(`${this.sourceName} (${bytes.length} bytes)`, bytes);
    const next = new Tvb(bytes, src, 0, bytes.length, bytes.length);
    pinfo.fragmented = false;
    this.showTree(ctx, d, parent, next);
    const illegal = (d.flags & FD_ERRORS) !== 0;
    if (illegal && pinfo.columns) pinfo.setInfo(`[Illegal ${this.tag}]`);
    return { next, illegal };
  }

  /** show_fragment_tree: "[6 IPv4 Fragments (3008 bytes): #11(552), …]" and its children. */
  private showTree(ctx: Ctx, d: Datagram, parent: Item, rtvb: Tvb): void {
    const { tree } = ctx;
    if (tree.mode === 'none') return;
    const hf = this.hf, G = ItemFlags.GENERATED;
    const total = rtvb.length;
    const top = tree.add(parent, hf.fragments, rtvb, 0, total, rtvb.bytesAt(0, total), G);
    const n = d.frags.length;
    for (const f of d.frags) {
      const errs = (f.flags & FD_ERRORS) !== 0;
      const len = Math.max(0, Math.min(f.len, total - f.offset));
      const it = tree.add(top, errs ? hf.error : hf.fragment, rtvb, Math.min(f.offset, total), len, f.frame, G);
      if (tree.full) {
        tree.setText(it, f.len === 0 ? `Frame: ${f.frame} (no data)`
          : `Frame: ${f.frame}, payload: ${f.offset}-${f.offset + f.len - 1} (${f.len} byte${f.len === 1 ? '' : 's'})`);
      }
      if (f.flags & FD_OVERLAP) tree.add(it, hf.overlap, rtvb, 0, 0, true, G);
      if (f.flags & FD_OVERLAPCONFLICT) tree.add(it, hf.overlap_conflict, rtvb, 0, 0, true, G);
      if (f.flags & FD_MULTIPLETAILS) tree.add(it, hf.multiple_tails, rtvb, 0, 0, true, G);
      if (f.flags & FD_TOOLONGFRAGMENT) tree.add(it, hf.too_long, rtvb, 0, 0, true, G);
    }
    if (tree.full) {
      const name = n === 1 ? hf.fragment.name : hf.fragments.name;
      tree.setText(top, `${n} ${name} (${total} byte${total === 1 ? '' : 's'}): ${d.frags.map((f) => `#${f.frame}(${f.len})`).join(', ')}`);
    }
    tree.add(top, hf.count, rtvb, 0, 0, n, G);
    tree.add(top, hf.reassembled_length, rtvb, 0, 0, total, G);
    if (tree.wants(hf.reassembled_data)) {
      const it = tree.add(top, hf.reassembled_data, rtvb, 0, total, rtvb.bytesAt(0, total), G);
      if (tree.full) {
        const hex = Array.from(rtvb.bytesAt(0, Math.min(total, 36)), (b) => b.toString(16).padStart(2, '0')).join('');
        tree.setText(it, `${hf.reassembled_data.name}: ${hex}${total > 36 ? '\u2026' : ''}`);
      }
    }
  }
}
