// One zustand store made of slices (zustand's slices pattern); components read it through small
// selectors so a pane re-renders only when its slice changes.
import { create } from 'zustand';
import { type CaptureSlice, createCaptureSlice } from './capture-slice.js';
import { type FilterSlice, createFilterSlice } from './filter-slice.js';
import { type SelectionSlice, createSelectionSlice } from './selection-slice.js';
import { type ServerSlice, createServerSlice } from './server-slice.js';

import type { TimeFormat } from '../engine/protocol.js';

export type Dialog = 'save' | 'goto' | null;

export interface UiSlice {
  theme: 'light' | 'dark';
  notice: { code: string; message: string; hint: string } | null;
  /** A short confirmation (saved to …, exported to …). */
  toast: string | null;
  dialog: Dialog;
  /** View › Time Display Format of the packet list's Time column. */
  timeFormat: TimeFormat;
  setTimeFormat(f: TimeFormat): void;
  setTheme(t: 'light' | 'dark'): void;
  notify(n: UiSlice['notice']): void;
  setToast(t: string | null): void;
  openDialog(d: Dialog): void;
}

export type AppState = CaptureSlice & FilterSlice & SelectionSlice & ServerSlice & UiSlice;

export function createAppStore() {
  return create<AppState>()((...a) => ({
    ...createCaptureSlice(...a),
    ...createFilterSlice(...a),
    ...createSelectionSlice(...a),
    ...createServerSlice(...a),
    theme: typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
    notice: null,
    toast: null,
    dialog: null,
    timeFormat: 'r',
    setTimeFormat: (timeFormat) => a[0]({ timeFormat }),
    setTheme: (theme) => a[0]({ theme }),
    notify: (notice) => a[0]({ notice }),
    setToast: (toast) => a[0]({ toast }),
    openDialog: (dialog) => a[0]({ dialog }),
  }));
}
export type AppStore = ReturnType<typeof createAppStore>;
