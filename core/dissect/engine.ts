// The dissection engine: one reusable tree, packet info and capture context, and a dissect() that
// runs the frame dissector over one record. Bounds errors thrown by a Tvb end the packet the way
// Wireshark's dissect_frame does: an expert item and an Info suffix, never an exception out of here.

import type { PacketRecord } from '../capfile/record.js';
import { addException, dissectFrame } from './frame.js';
import { CaptureContext, PacketInfo } from './packet.js';
import type { Ctx } from './table.js';
import { grow } from './grow.js';
import { ProtoTree, ROOT, type TreeMode } from './tree.js';
import { CapturedBoundsError, type DataSource, FragmentBoundsError, ReportedBoundsError, Tvb } from './tvb.js';

export interface DissectOptions {
  /** What to build: nothing but columns ('none'), the fields in `interest` ('fields'), or all ('full'). */
  tree: TreeMode;
  /** With tree 'fields': 1 at each field id to record. */
  interest?: Uint8Array | null;
  /** Whether the Protocol and Info columns are wanted (false on filter-only passes). */
  columns: boolean;
  /**
   * With tree 'fields': false when the recorded items are read in no particular order (a filter, not
   * -T fields), which spares the tree its skeleton (tree.ts). Default true.
   */
  ordered?: boolean;
}

/** The frame's data source on fast passes: one object for every packet, its name formatted only if read. */
class FrameSource implements DataSource {
  bytes: Uint8Array = new Uint8Array(0);
  capLen = 0;
  get name(): string {
    return `Frame (${this.capLen} bytes)`;
  }
}

export class Engine {
  private readonly frameSource = new FrameSource();
  readonly capture = new CaptureContext();
  readonly tree = new ProtoTree();
  readonly pinfo = new PacketInfo();
  private readonly ctx: Ctx = { pinfo: this.pinfo, tree: this.tree, capture: this.capture };
  /** The context dissectors see (for code that prepares state ahead of dissection, e.g. partition.ts). */
  get context(): Ctx {
    return this.ctx;
  }
  /**
   * 1 at each frame number dissected at least once: a frame seen again is being revisited. A bitmap, not
   * a high-water mark, because frames of different TCP streams may be first seen out of order (the
   * CLI's lazy filter pass dissects a stream's frames only once one of them may match).
   */
  private seen = new Uint8Array(1024);

  /**
   * Dissects one record as frame `num` (1-based). Frames must first be seen in order (the first
   * pass builds conversation state), or at least in order within each partition of
   * core/dissect/partition.ts with every frame's time noted; afterwards any frame may be dissected
   * again in any order.
   */
  dissect(rec: PacketRecord, num: number, opts: DissectOptions): void {
    if (num >= this.seen.length) this.seen = grow(this.seen, num);
    const visited = this.seen[num] === 1;
    this.seen[num] = 1;
    const { pinfo, tree, capture } = this;
    if (!visited) capture.noteTime(num, rec.tsSec, rec.tsNsec);
    pinfo.reset(num, rec.tsSec, rec.tsNsec, rec.capLen, rec.origLen, rec.linkType, rec.interfaceId, visited, opts.columns);
    const ordered = opts.ordered ?? true;
    if (opts.tree === 'full') tree.reset(opts.tree, opts.interest ?? null, ordered, { name: `Frame (${rec.capLen} bytes)`, bytes: rec.data });
    else {
      this.frameSource.bytes = rec.data;
      this.frameSource.capLen = rec.capLen;
      tree.reset(opts.tree, opts.interest ?? null, ordered, this.frameSource);
    }
    const tvb = Tvb.of(rec.data, 0, rec.origLen);
    try {
      dissectFrame(tvb, this.ctx, ROOT, rec);
    } catch (e) {
      const name = pinfo.currentProtocolName();
      if (e instanceof ReportedBoundsError) {
        addException(this.ctx, tvb, 'malformed', `[Malformed Packet: ${name}]`);
        pinfo.appendInfo('[Malformed Packet]');
      } else if (e instanceof FragmentBoundsError) {
        // epan/show_exception.c, FragmentBoundsError: no colon after "BoundError" in 4.0's texts.
        addException(this.ctx, tvb, 'unreassembled', `[BoundError Unreassembled Packet: ${name}]`);
        pinfo.appendInfo('[BoundErrorUnreassembled Packet]');
      } else if (e instanceof CapturedBoundsError) {
        addException(this.ctx, tvb, 'truncated', `[Packet size limited during capture: ${name} truncated]`);
        pinfo.appendInfo(`[Packet size limited during capture]`);
      } else {
        // A dissector bug must not take the capture down: say which layer failed, as Wireshark's
        // "Dissector bug" expert item does, and go on with the next packet.
        const msg = e instanceof Error ? e.message : String(e);
        addException(this.ctx, tvb, 'bug', `[Dissector bug, protocol ${name}: ${msg}]`, msg);
        pinfo.appendInfo(`[Dissector bug, protocol ${name}: ${msg}]`);
      }
    }
  }
}
