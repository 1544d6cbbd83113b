// The selected packet, its detail tree (built by the worker for this one frame only), the selected
// tree item, which subtrees are open, and the hex pane's data source tab.
import type { StateCreator } from 'zustand';
import type { Detail } from '../engine/protocol.js';
import type { AppState } from './store.js';
import { treeKey } from './tree-keys.js';

/** How a frame relates to the selected one (Wireshark's related-packets column marks). */
export type Relation = 'request' | 'response' | 'acked' | 'ack' | 'same-stream';

/** Fields whose value is another frame, and what that frame is to the selected one. */
const RELATION_FIELDS: Readonly<Record<string, Relation>> = {
  'http.request_in': 'request',
  'http.response_in': 'response',
  'http.prev_request_in': 'same-stream',
  'http.next_request_in': 'same-stream',
  'http.prev_response_in': 'same-stream',
  'http.next_response_in': 'same-stream',
  'tcp.analysis.acks_frame': 'acked',
};

const RANK: Readonly<Record<Relation, number>> = { request: 0, response: 0, acked: 1, ack: 1, 'same-stream': 2 };

/** The frames the selected packet's tree links to, by relation (request/response, the ACKed frame). */
export function relatedFrames(d: Detail | null): Map<number, Relation> {
  const out = new Map<number, Relation>();
  if (!d) return out;
  for (const it of d.items) {
    const rel = it.link !== undefined ? RELATION_FIELDS[it.abbrev] : undefined;
    if (!rel || it.link === d.num) continue;
    // A frame can be both the request and the segment this one ACKs: request/response wins.
    const had = out.get(it.link!);
    if (had === undefined || RANK[rel] < RANK[had]) out.set(it.link!, rel);
  }
  return out;
}

export interface SelectionSlice {
  selected: number | null;
  selectedIndex: number;
  detail: Detail | null;
  /** Frames related to the selected one, marked in the packet list. */
  related: Map<number, Relation>;
  item: number | null;
  /** Open subtrees, by field name path so they stay open from packet to packet (as Wireshark does). */
  expanded: Set<string>;
  sourceTab: number;
  select(num: number | null, index: number, detail: Detail | null): void;
  selectItem(i: number | null): void;
  toggle(key: string, open?: boolean): void;
  setExpanded(keys: Set<string>): void;
  setSourceTab(n: number): void;
}

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selected: null,
  selectedIndex: -1,
  detail: null,
  related: new Map(),
  item: null,
  expanded: new Set(),
  sourceTab: 0,
  select: (selected, selectedIndex, detail) => set({ selected, selectedIndex, detail, related: relatedFrames(detail), item: null, sourceTab: 0 }),
  // Selecting an item (from the hex pane, say) opens its ancestors so it is visible, as Wireshark does.
  selectItem: (item) => set((s) => {
    if (item === null || !s.detail) return { item };
    const d = s.detail;
    const expanded = new Set(s.expanded);
    for (let p = d.items[item].parent; p >= 0; p = d.items[p].parent) expanded.add(treeKey(d, p));
    return { item, expanded, sourceTab: d.items[item].source };
  }),
  toggle: (key, open) => set((s) => {
    const e = new Set(s.expanded);
    if (open ?? !e.has(key)) e.add(key);
    else e.delete(key);
    return { expanded: e };
  }),
  setExpanded: (expanded) => set({ expanded }),
  setSourceTab: (sourceTab) => set({ sourceTab }),
});
