// The display filter bar: text being typed, its live check, the applied filter, history.
import type { StateCreator } from 'zustand';
import type { AppState } from './store.js';

export type FilterCheck = { state: 'empty' | 'valid' | 'invalid' | 'deprecated'; message?: string; start?: number; end?: number };

export interface FilterSlice {
  filterText: string;
  applied: string;
  check: FilterCheck;
  history: string[];
  filtering: boolean;
  setFilterText(t: string): void;
  setCheck(c: FilterCheck): void;
  filterApplied(t: string): void;
  setFiltering(b: boolean): void;
}

const HISTORY_MAX = 30;

export const createFilterSlice: StateCreator<AppState, [], [], FilterSlice> = (set) => ({
  filterText: '',
  applied: '',
  check: { state: 'empty' },
  history: [],
  filtering: false,
  setFilterText: (filterText) => set({ filterText }),
  setCheck: (check) => set({ check }),
  filterApplied: (t) => set((s) => ({
    applied: t,
    history: t.trim() === '' ? s.history : [t, ...s.history.filter((h) => h !== t)].slice(0, HISTORY_MAX),
  })),
  setFiltering: (filtering) => set({ filtering }),
});
