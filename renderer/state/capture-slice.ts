// What is loaded: the file or live capture, its counts and progress. No packet data: that lives in
// the engine worker's store (STYLE.md §5).
import type { StateCreator } from 'zustand';
import type { CaptureInterfaceInfo } from '../../electron/api/contract.js';
import type { AppState } from './store.js';

export interface CaptureSlice {
  fileName: string | null;
  total: number;
  displayed: number;
  /** Bumped whenever the displayed list changes (new file, filter): cached rows are dropped. */
  generation: number;
  progress: { done: number; total: number } | null;
  loadError: { code: string; message: string; hint: string } | null;
  interfaces: CaptureInterfaceInfo[];
  iface: string;
  captureFilter: string;
  liveId: number | null;
  capturing: boolean;
  dropped: number;
  setCounts(total: number, displayed: number, bump?: boolean): void;
  patchCapture(p: Partial<CaptureSlice>): void;
}

export const createCaptureSlice: StateCreator<AppState, [], [], CaptureSlice> = (set) => ({
  fileName: null,
  total: 0,
  displayed: 0,
  generation: 0,
  progress: null,
  loadError: null,
  interfaces: [],
  iface: '',
  captureFilter: '',
  liveId: null,
  capturing: false,
  dropped: 0,
  setCounts: (total, displayed, bump = false) => set((s) => ({ total, displayed, generation: bump ? s.generation + 1 : s.generation })),
  patchCapture: (p) => set(p),
});
