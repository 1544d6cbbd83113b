// The selected packet, its detail tree (built by the worker for this one frame only), the selected
// tree item, which subtrees are open, and the hex pane's data source tab.
import type { StateCreator } from 'zustand';
import type { Detail } from '../engine/protocol.js';
import type { AppState } from './store.js';
import { treeKey } from './tree-keys.js';

export interface SelectionSlice {
  selected: number | null;
  selectedIndex: number;
  detail: Detail | null;
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
  item: null,
  expanded: new Set(),
  sourceTab: 0,
  select: (selected, selectedIndex, detail) => set({ selected, selectedIndex, detail, item: null, sourceTab: 0 }),
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
