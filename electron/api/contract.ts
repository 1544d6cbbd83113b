// The typed API between the UI and the main process (DESIGN.md "The API", STYLE.md §3): one map of
// `domain.verb` methods, each with a zod schema for its request and a TypeScript type for its result,
// and one map of events. The same map travels over Electron IPC (preload), the WebSocket bridge of
// `netlab ui` and an in-memory pair in tests; nothing here knows which.
//
// Packets never travel one message per packet: files travel as raw byte chunks pulled by the renderer
// (file.read; its worker parses them with core/capfile), live captures as record batches
// (./packet-batch.ts).

import { z } from 'zod';
import type { ApiError } from './errors.js';

const port = z.number().int().min(1).max(65535);

export const PageModelSchema = z.object({
  title: z.string().max(200).default(''),
  major: z.string().max(200),
  studentId: z.string().max(64),
  name: z.string().max(200),
  freeText: z.string().max(10_000).default(''),
  logoName: z.string().max(255).optional(),
});
export type PageModel = z.infer<typeof PageModelSchema>;

export const requests = {
  'app.info': z.object({}).strict(),
  'server.start': z.object({
    port: port.default(8080),
    host: z.enum(['all', 'loopback']).default('all'),
    root: z.string().min(1).optional(),
    listing: z.boolean().optional(),
  }).strict(),
  'server.stop': z.object({}).strict(),
  'server.status': z.object({}).strict(),
  'site.get': z.object({}).strict(),
  'site.save': z.object({
    page: PageModelSchema,
    /** A new logo (PNG/JPEG/GIF/SVG, sniffed by the site service), or none to keep the current one. */
    logo: z.object({ name: z.string().min(1).max(255), bytes: z.instanceof(ArrayBuffer) }).optional(),
    overwrite: z.boolean().optional(),
  }).strict(),
  'site.export': z.object({ path: z.string().min(1).optional() }).strict(),
  'capture.interfaces': z.object({}).strict(),
  'capture.start': z.object({
    iface: z.string().min(1).max(64),
    filter: z.string().max(4096).default(''),
    snaplen: z.number().int().min(64).max(262144).default(262144),
    promisc: z.boolean().default(false),
  }).strict(),
  /** Checks a BPF capture filter with libpcap (the toolbar's box turns red with libpcap's message). */
  'capture.checkFilter': z.object({
    filter: z.string().max(4096),
    /** The interface's DLT; Ethernet (1), as libpcap gives Linux interfaces including loopback. */
    linkType: z.number().int().min(0).max(65535).default(1),
  }).strict(),
  /** Packet counters of every interface, polled by the picker's traffic sparkline. */
  'capture.traffic': z.object({}).strict(),
  'capture.stop': z.object({}).strict(),
  'capture.save': z.object({
    path: z.string().min(1),
    format: z.enum(['pcap', 'pcapng']).default('pcapng'),
    /** 1-based frame numbers to keep ("Export Specified Packets"); all when absent. */
    frames: z.array(z.number().int().positive()).optional(),
  }).strict(),
  'file.open': z.object({ path: z.string().min(1) }).strict(),
  'file.openSample': z.object({}).strict(),
  /** Pull the next chunk of an opened file: the reader's pace is the flow control (a 2 GB file never floods the carrier). */
  'file.read': z.object({ id: z.number().int().positive(), max: z.number().int().min(4096).max(16 << 20).default(1 << 20) }).strict(),
  'file.close': z.object({ id: z.number().int().positive() }).strict(),
} as const;

export type Method = keyof typeof requests;
/** What a caller passes (defaults may be left out). */
export type Req<M extends Method> = z.input<(typeof requests)[M]>;
/** What an implementation receives (after validation and defaults). */
export type ParsedReq<M extends Method> = z.output<(typeof requests)[M]>;

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  platform: string;
  /** The lab sample capture shipped in assets/ is present. */
  sampleAvailable: boolean;
  /** A capture file to open at start (argv, drag-drop onto the dock), if any. */
  openAtStart?: string;
  /** Where "Save as…" proposes to write (the user's home folder). */
  saveDir: string;
}

export interface ServerStatus {
  running: boolean;
  port?: number;
  host?: 'all' | 'loopback';
  root?: string;
  /** URLs to type on this or another machine, loopback first. */
  urls: string[];
}

export interface AccessLogEntry {
  time: string;
  remote: string;
  method: string;
  url: string;
  status: number;
  bytes: number;
  /** The Apache combined-format line, as written to the log file. */
  line: string;
}

export interface CaptureInterfaceInfo {
  name: string;
  description?: string;
  addresses: string[];
  loopback: boolean;
  up: boolean;
}

export interface InterfaceTraffic {
  name: string;
  /** Packets the interface has carried since it came up (received + sent; received only on loopback). */
  packets: number;
}

export interface CaptureStats {
  captured: number;
  dropped: number;
  ifDropped: number;
}

export interface FileOpened {
  /** Handle for file.read / file.close. */
  id: number;
  name: string;
  size: number;
}

export interface Results {
  'app.info': AppInfo;
  'server.start': ServerStatus;
  'server.stop': ServerStatus;
  'server.status': ServerStatus;
  'site.get': { page: PageModel; root: string; handEdited: boolean };
  'site.save': { page: PageModel; root: string };
  'site.export': { path: string };
  'capture.interfaces': CaptureInterfaceInfo[];
  'capture.start': { id: number; iface: string; linkType: number; filter: string };
  'capture.checkFilter': { ok: true } | { ok: false; message: string };
  'capture.traffic': InterfaceTraffic[];
  'capture.stop': CaptureStats;
  'capture.save': { path: string; count: number };
  'file.open': FileOpened;
  'file.openSample': FileOpened;
  'file.read': { bytes: ArrayBuffer; eof: boolean };
  'file.close': Record<string, never>;
}

export interface Events {
  'server.state': ServerStatus;
  'server.access': AccessLogEntry;
  'server.error': ApiError;
  /** A batch of live records (./packet-batch.ts), never one event per packet. */
  'capture.packets': { id: number; batch: ArrayBuffer; count: number };
  'capture.stats': { id: number } & CaptureStats;
  'capture.state': { id: number; running: boolean; error?: ApiError };
  /** Menu, shortcut, argv or drag-drop asks the UI to do something. */
  'app.command': { command: AppCommand; path?: string };
}
export type EventName = keyof Events;

export type AppCommand =
  | 'open' | 'open-path' | 'save-as' | 'export-specified' | 'capture-options' | 'capture-toggle' | 'capture-restart'
  | 'server-toggle' | 'goto-packet' | 'next-packet' | 'prev-packet' | 'first-packet' | 'last-packet'
  | 'theme-toggle' | 'zoom-in' | 'zoom-out' | 'zoom-reset' | 'time-format' | 'about';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** What the UI holds: the same whichever carrier is underneath. */
export interface Api {
  call<M extends Method>(method: M, req?: Req<M>): Promise<Result<Results[M]>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** What the main process implements: validated requests in, results (or thrown ApiErrors) out. */
export type ApiImpl = { [M in Method]: (req: ParsedReq<M>) => Promise<Results[M]> };

export const methodNames = Object.keys(requests) as Method[];
export function isMethod(s: unknown): s is Method {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(requests, s);
}
