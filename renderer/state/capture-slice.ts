// What is loaded: the file or live capture, its counts and progress. No packet data: that lives in
// the engine worker's store (STYLE.md §5).
import type { StateCreator } from 'zustand';
import type { CaptureInterfaceInfo } from '../../electron/api/contract.js';
import type { AppState } from './store.js';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The interface that carries the lab server's traffic: loopback while the browser is on this machine
 * (no request yet, or requests from 127.x/::1), else the interface on the requesting machine's subnet
 * (same /24 for IPv4, same /64 for IPv6), else the first interface that is up and not loopback.
 */
export function suggestInterface(list: readonly CaptureInterfaceInfo[], lastRemote: string | null): CaptureInterfaceInfo | undefined {
  const lo = list.find((i) => i.loopback && i.up) ?? list.find((i) => i.loopback);
  const remote = lastRemote?.replace(/^::ffff:(?=\d+\.)/, '') ?? null;
  if (remote === null || LOOPBACK.test(remote)) return lo ?? list.find((i) => i.up) ?? list[0];
  const v4 = /^(\d+\.\d+\.\d+)\.\d+$/.exec(remote);
  const prefix = v4 ? `${v4[1]}.` : remote.split(':').slice(0, 4).join(':') + ':';
  const own = list.find((i) => i.addresses.includes(remote));
  if (own) return lo ?? own; // the "remote" is one of our own addresses: the kernel routes it over loopback
  return list.find((i) => !i.loopback && i.addresses.some((a) => a.toLowerCase().startsWith(prefix.toLowerCase())))
    ?? list.find((i) => !i.loopback && i.up) ?? lo ?? list[0];
}

export const SPARK_POINTS = 30;

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
  /** The user picked the interface: suggestions no longer change it. */
  ifaceChosen: boolean;
  /** The interface suggested for the lab server's traffic (suggestInterface). */
  suggestedIface: string;
  captureFilter: string;
  /** Packets per second of each interface, the last SPARK_POINTS seconds (the picker's sparkline). */
  traffic: Record<string, number[]>;
  /** The counters behind the last point (rates are differences of these). */
  trafficLast: Record<string, number>;
  pushTraffic(counts: { name: string; packets: number }[]): void;
  /** libpcap's verdict on the capture filter as typed. */
  bpfCheck: { state: 'empty' | 'valid' | 'invalid'; message?: string };
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
  suggestedIface: '',
  ifaceChosen: false,
  captureFilter: '',
  bpfCheck: { state: 'empty' },
  traffic: {},
  trafficLast: {},
  pushTraffic: (counts) => set((s) => {
    const traffic: Record<string, number[]> = {};
    const trafficLast: Record<string, number> = {};
    for (const c of counts) {
      const prev = s.trafficLast[c.name];
      trafficLast[c.name] = c.packets;
      const rate = prev === undefined ? 0 : Math.max(0, c.packets - prev);
      traffic[c.name] = [...(s.traffic[c.name] ?? []), rate].slice(-SPARK_POINTS);
    }
    return { traffic, trafficLast };
  }),
  liveId: null,
  capturing: false,
  dropped: 0,
  setCounts: (total, displayed, bump = false) => set((s) => ({ total, displayed, generation: bump ? s.generation + 1 : s.generation })),
  patchCapture: (p) => set(p),
});
