// What the UI and the engine worker say to each other (Comlink's style: named calls, buffers
// transferred, never one message per packet). Shared types only.

/**
 * View › Time Display Format, by tshark's -t letter: seconds since the first packet (r), since the
 * previous displayed packet (dd), date and time of day (ad), time of day (a), the same in UTC (ud, u),
 * seconds since 1970 (e).
 */
export type TimeFormat = 'r' | 'dd' | 'ad' | 'a' | 'ud' | 'u' | 'e';
export const TIME_FORMATS: readonly TimeFormat[] = ['r', 'dd', 'ad', 'a', 'ud', 'u', 'e'];

export interface Row {
  num: number;
  time: string;
  src: string;
  dst: string;
  protocol: string;
  length: number;
  info: string;
  /** Index into COLOR_RULES, or -1. */
  color: number;
}

export interface DetailItem {
  label: string;
  /** Index of the parent item in `items`, or -1. */
  parent: number;
  source: number;
  start: number;
  length: number;
  /** The field's filter name ("tcp.srcport"), for "apply as filter". */
  abbrev: string;
  /** The value as `-T fields` prints it, for filters and "copy value". */
  value: string;
  generated: boolean;
  expert: boolean;
  /** A frame this item refers to ([Request in frame: 62]). */
  link?: number;
}

export interface Detail {
  num: number;
  items: DetailItem[];
  sources: { name: string; bytes: Uint8Array }[];
}

export interface LoadStatus {
  count: number;
  displayed: number;
  bytes: number;
  format: string | null;
  error: { code: string; message: string; hint: string; offset?: number } | null;
}

export type FilterOutcome =
  | { ok: true; displayed: number; total: number }
  | { ok: false; message: string; start: number; end: number };

export interface EngineCalls {
  reset(): LoadStatus;
  push(chunk: ArrayBuffer): LoadStatus;
  end(): LoadStatus;
  appendBatch(batch: ArrayBuffer, linkType: number): LoadStatus;
  rows(from: number, to: number, time?: TimeFormat): Row[];
  /** Index in the displayed list of frame `num`, or -1. */
  indexOf(num: number): number;
  applyFilter(text: string): FilterOutcome;
  /** Checks a filter as it is typed (the bar's green/red/yellow). */
  checkFilter(text: string): { state: 'empty' | 'valid' | 'invalid' | 'deprecated'; message?: string; start?: number; end?: number };
  /** Field names starting with `prefix`, for completion. */
  completeField(prefix: string): { name: string; label: string }[];
  detail(num: number): Detail | null;
  /** Frame numbers displayed, in order ("Export Specified Packets › Displayed"). */
  displayedFrames(): number[];
  exportFile(format: 'pcap' | 'pcapng', which: 'all' | 'displayed'): ArrayBuffer;
}
export type CallName = keyof EngineCalls;
