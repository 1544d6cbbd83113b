// Dissector tables (Wireshark's dissector_table_t and heur_dissector_list_t): a lower layer hands its
// payload on by key ("ethertype" 0x0800, "ip.proto" 6, "tcp.port" 80) without importing the upper
// layer's file. Upper layers register themselves when their module is loaded (core/dissect/index.ts).

import type { CaptureContext, PacketInfo } from './packet.js';
import type { Item, ProtoTree } from './tree.js';
import type { Tvb } from './tvb.js';

/** Everything a dissector needs; one object per packet layer is avoided by passing it through. */
export interface Ctx {
  pinfo: PacketInfo;
  tree: ProtoTree;
  capture: CaptureContext;
}

/**
 * A dissector decodes `tvb` (its own bytes, starting at 0) under `parent`, and returns how many bytes
 * it consumed (or nothing when it took them all). A heuristic dissector returns false when the bytes
 * are not its protocol, having added nothing.
 */
export type Dissector = (tvb: Tvb, ctx: Ctx, parent: Item) => number | void;
export type HeuristicDissector = (tvb: Tvb, ctx: Ctx, parent: Item) => boolean;

export class DissectorTable {
  private readonly map = new Map<number, Dissector>();
  constructor(readonly name: string) {}

  add(key: number, dissector: Dissector): void {
    this.map.set(key, dissector);
  }
  get(key: number): Dissector | undefined {
    return this.map.get(key);
  }
  /** Runs the dissector for `key`; false when there is none. */
  tryDissect(key: number, tvb: Tvb, ctx: Ctx, parent: Item): boolean {
    const d = this.map.get(key);
    if (d === undefined) return false;
    d(tvb, ctx, parent);
    return true;
  }
}

export class HeuristicList {
  private readonly list: { name: string; fn: HeuristicDissector }[] = [];
  constructor(readonly name: string) {}
  add(name: string, fn: HeuristicDissector): void {
    this.list.push({ name, fn });
  }
  tryDissect(tvb: Tvb, ctx: Ctx, parent: Item): boolean {
    for (const h of this.list) if (h.fn(tvb, ctx, parent)) return true;
    return false;
  }
}

/** The tables of the engine. Keys are Wireshark's table names. */
export const tables = {
  /** LINKTYPE_* → link-layer dissector (the frame dissector dispatches here). */
  linkType: new DissectorTable('wtap_encap'),
  ethertype: new DissectorTable('ethertype'),
  /** IPv4 protocol / IPv6 next header. */
  ipProto: new DissectorTable('ip.proto'),
  udpPort: new DissectorTable('udp.port'),
  tcpPort: new DissectorTable('tcp.port'),
  /** BSD loopback address family → dissector. */
  nullFamily: new DissectorTable('null.type'),
  /** Payload-based dissectors tried on TCP/UDP data that no port claimed. */
  tcpHeuristic: new HeuristicList('tcp'),
  udpHeuristic: new HeuristicList('udp'),
};
