// The dissection engine: one reusable tree, packet info and capture context, and a dissect() that
// runs the frame dissector over one record. Bounds errors thrown by a Tvb end the packet the way
// Wireshark's dissect_frame does: an expert item and an Info suffix, never an exception out of here.

import type { PacketRecord } from '../capfile/record.js';
import { ExpertSeverity, addExpert, dissectFrame } from './frame.js';
import { CaptureContext, PacketInfo } from './packet.js';
import type { Ctx } from './table.js';
import { ProtoTree, ROOT, type TreeMode } from './tree.js';
import { CapturedBoundsError, ReportedBoundsError, Tvb } from './tvb.js';

export interface DissectOptions {
  /** What to build: nothing but columns ('none'), the fields in `interest` ('fields'), or all ('full'). */
  tree: TreeMode;
  /** With tree 'fields': 1 at each field id to record. */
  interest?: Uint8Array | null;
  /** Whether the Protocol and Info columns are wanted (false on filter-only passes). */
  columns: boolean;
}

export class Engine {
  readonly capture = new CaptureContext();
  readonly tree = new ProtoTree();
  readonly pinfo = new PacketInfo();
  private readonly ctx: Ctx = { pinfo: this.pinfo, tree: this.tree, capture: this.capture };
  /** Highest frame number dissected so far; a frame at or below it is being revisited. */
  private highest = 0;

  /**
   * Dissects one record as frame `num` (1-based). Frames must first be seen in order (the first
   * pass builds conversation state); afterwards any frame may be dissected again in any order.
   */
  dissect(rec: PacketRecord, num: number, opts: DissectOptions): void {
    const visited = num <= this.highest;
    if (!visited) this.highest = num;
    const { pinfo, tree, capture } = this;
    if (!visited) capture.noteTime(num, rec.tsSec, rec.tsNsec);
    pinfo.reset(num, rec.tsSec, rec.tsNsec, rec.capLen, rec.origLen, rec.linkType, rec.interfaceId, visited, opts.columns);
    tree.reset(opts.tree, opts.interest ?? null);
    tree.addSource(`Frame (${rec.capLen} bytes)`, rec.data);
    const tvb = Tvb.of(rec.data, 0, rec.origLen);
    try {
      dissectFrame(tvb, this.ctx, ROOT, rec);
    } catch (e) {
      if (e instanceof ReportedBoundsError) {
        addExpert(this.ctx, tvb, ExpertSeverity.ERROR, 'malformed', `[Malformed Packet: ${pinfo.currentProtocolName()}]`);
        pinfo.appendInfo('[Malformed Packet]');
      } else if (e instanceof CapturedBoundsError) {
        const name = pinfo.currentProtocolName();
        addExpert(this.ctx, tvb, ExpertSeverity.WARN, 'truncated', `[Packet size limited during capture: ${name} truncated]`);
        pinfo.appendInfo(`[Packet size limited during capture]`);
      } else {
        // A dissector bug must not take the capture down: say which layer failed, as Wireshark's
        // "Dissector bug" expert item does, and go on with the next packet.
        const msg = e instanceof Error ? e.message : String(e);
        addExpert(this.ctx, tvb, ExpertSeverity.ERROR, 'bug', `[Dissector bug, protocol ${pinfo.currentProtocolName()}: ${msg}]`);
        pinfo.appendInfo(`[Dissector bug, protocol ${pinfo.currentProtocolName()}: ${msg}]`);
      }
    }
  }
}
