// The display filter bar: text being typed, its live check, the applied filter, history.
import type { StateCreator } from 'zustand';
import type { AppState } from './store.js';

export type FilterCheck = { state: 'empty' | 'valid' | 'invalid' | 'deprecated'; message?: string; start?: number; end?: number };

export interface FilterSlice {
  filterText: string;
  applied: string;
  check: FilterCheck;
  history: string[];
  /** Saved filters (Wireshark's filter-bar bookmarks), kept across runs in localStorage. */
  bookmarks: string[];
  filtering: boolean;
  setFilterText(t: string): void;
  setCheck(c: FilterCheck): void;
  filterApplied(t: string): void;
  setFiltering(b: boolean): void;
  toggleBookmark(t: string): void;
}

const BOOKMARKS_KEY = 'netlab.filterBookmarks';

function loadBookmarks(): string[] {
  try {
    const v = typeof localStorage !== 'undefined' ? JSON.parse(localStorage.getItem(BOOKMARKS_KEY) ?? '[]') as unknown : [];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function saveBookmarks(b: string[]): void {
  try {
    if (typeof localStorage !== 'undefined') localStorage.setItem(BOOKMARKS_KEY, JSON.stringify(b));
  } catch { /* storage full or disabled: the bookmarks still work for this run */ }
}

const HISTORY_MAX = 30;

export const createFilterSlice: StateCreator<AppState, [], [], FilterSlice> = (set) => ({
  filterText: '',
  applied: '',
  check: { state: 'empty' },
  history: [],
  bookmarks: loadBookmarks(),
  filtering: false,
  setFilterText: (filterText) => set({ filterText }),
  setCheck: (check) => set({ check }),
  filterApplied: (t) => set((s) => ({
    applied: t,
    history: t.trim() === '' ? s.history : [t, ...s.history.filter((h) => h !== t)].slice(0, HISTORY_MAX),
  })),
  setFiltering: (filtering) => set({ filtering }),
  toggleBookmark: (t) => set((s) => {
    const text = t.trim();
    if (text === '') return {};
    const bookmarks = s.bookmarks.includes(text) ? s.bookmarks.filter((b) => b !== text) : [...s.bookmarks, text];
    saveBookmarks(bookmarks);
    return { bookmarks };
  }),
});
