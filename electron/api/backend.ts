// The main process's implementation of the API (plain Node; the Electron shell and `netlab ui` both
// serve this same object). Services are injected so each can be tested alone and so this file holds
// only the glue: validation already happened in ApiHost, failures are thrown as ApiFailure values.

import { existsSync } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { ApiHost } from './channel.js';
import type {
  AccessLogEntry, ApiImpl, AppInfo, CaptureInterfaceInfo, CaptureStats, FileOpened, PageModel, ParsedReq, Results, ServerStatus,
} from './contract.js';
import { ApiFailure, apiError, type ApiError } from './errors.js';

/** The lab web server as the UI needs it (implemented over electron/services/lab-server). */
export interface LabServerPort {
  start(req: ParsedReq<'server.start'>): Promise<ServerStatus>;
  stop(): Promise<ServerStatus>;
  status(): Promise<ServerStatus>;
  onAccess(listener: (e: AccessLogEntry) => void): void;
  onError?(listener: (e: ApiError) => void): void;
  getSite(): Promise<{ page: PageModel; root: string; handEdited: boolean }>;
  saveSite(req: ParsedReq<'site.save'>): Promise<{ page: PageModel; root: string }>;
  exportSite(path: string | undefined): Promise<{ path: string }>;
}

/** Live capture as the UI needs it (implemented over electron/services/capture). */
export interface CapturePort {
  interfaces(): Promise<CaptureInterfaceInfo[]>;
  start(req: ParsedReq<'capture.start'>, sink: {
    packets(batch: ArrayBuffer, count: number): void;
    stats(s: CaptureStats): void;
    ended(error?: ApiError): void;
  }): Promise<{ linkType: number }>;
  stop(): Promise<CaptureStats>;
  checkFilter?(req: ParsedReq<'capture.checkFilter'>): Promise<Results['capture.checkFilter']>;
  traffic?(): Promise<Results['capture.traffic']>;
  save(req: ParsedReq<'capture.save'>): Promise<{ path: string; count: number }>;
}

export interface BackendOptions {
  mode: AppInfo['mode'];
  labServer?: LabServerPort;
  capture?: CapturePort;
  openAtStart?: string;
  /** The app root (appRoot()). */
  root: string;
}

/** The repository (or installed app) root: the folder holding package.json and assets/. */
export function appRoot(from: string): string {
  // Callers pass where they run from (import.meta.url is empty in the shell's CommonJS bundle).
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'assets'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function samplePath(root: string): string {
  return join(root, 'assets', 'sample', 'lab-exchange.pcapng');
}

const unavailable = (what: string, hint: string) =>
  new ApiFailure(apiError('ERR_UNAVAILABLE', `${what} is not available in this build.`, hint));

export function createBackend(host: () => ApiHost, opts: BackendOptions): ApiImpl {
  const { root } = opts;
  const files = new Map<number, { fh: FileHandle; pos: number; size: number }>();
  let nextFile = 1;
  let captureId = 0;

  const server = () => {
    if (!opts.labServer) throw unavailable('The lab web server', 'Run `npm run build` so the lab-server service is bundled, then restart.');
    return opts.labServer;
  };
  const capture = () => {
    if (!opts.capture) throw unavailable('Live capture', 'Build the capture helper with `npm run build:native`, then restart.');
    return opts.capture;
  };
  opts.labServer?.onAccess((e) => host().emit('server.access', e));
  opts.labServer?.onError?.((e) => host().emit('server.error', e));

  async function openFile(path: string): Promise<FileOpened> {
    const full = resolve(path);
    let fh: FileHandle;
    try {
      const st = await stat(full);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      fh = await open(full, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ApiFailure(apiError('ERR_FILE_NOT_FOUND', `No file at ${full}.`, 'Check the path, or use File › Open… to pick the file.'));
      if (code === 'EISDIR') throw new ApiFailure(apiError('ERR_FILE_UNREADABLE', `${full} is a folder, not a capture file.`, 'Pick a .pcap or .pcapng file.'));
      throw new ApiFailure(apiError('ERR_FILE_UNREADABLE', `Cannot read ${full} (${code ?? 'error'}).`, 'Check that this user may read the file.'));
    }
    const size = (await fh.stat()).size;
    const id = nextFile++;
    files.set(id, { fh, pos: 0, size });
    return { id, name: basename(full), size };
  }

  return {
    async 'app.info'() {
      return {
        version: '0.1.0',
        mode: opts.mode,
        platform: process.platform,
        sampleAvailable: existsSync(samplePath(root)),
        saveDir: homedir(),
        ...(opts.openAtStart !== undefined ? { openAtStart: opts.openAtStart } : {}),
      };
    },
    'server.start': (req) => server().start(req),
    'server.stop': () => server().stop(),
    'server.status': () => (opts.labServer ? opts.labServer.status() : Promise.resolve({ running: false, urls: [] })),
    'site.get': () => server().getSite(),
    'site.save': (req) => server().saveSite(req),
    'site.export': (req) => server().exportSite(req.path),
    'capture.interfaces': () => capture().interfaces(),
    async 'capture.start'(req) {
      const id = ++captureId;
      const h = host();
      const { linkType } = await capture().start(req, {
        packets: (batch, count) => h.emit('capture.packets', { id, batch, count }),
        stats: (s) => h.emit('capture.stats', { id, ...s }),
        ended: (error) => h.emit('capture.state', { id, running: false, ...(error ? { error } : {}) }),
      });
      h.emit('capture.state', { id, running: true });
      return { id, iface: req.iface, linkType, filter: req.filter };
    },
    'capture.checkFilter': (req) => {
      const c = capture();
      return c.checkFilter ? c.checkFilter(req) : Promise.resolve({ ok: true as const });
    },
    'capture.traffic': () => opts.capture?.traffic?.() ?? Promise.resolve([]),
    'capture.stop': () => capture().stop(),
    'capture.save': (req) => capture().save(req),
    'file.open': (req) => openFile(req.path),
    async 'file.openSample'() {
      const p = samplePath(root);
      if (!existsSync(p)) {
        throw new ApiFailure(apiError('ERR_SAMPLE_MISSING', 'The sample capture (assets/sample/lab-exchange.pcapng) is missing.', 'Remake it with `node scripts/make-sample.mjs`, or open a capture of your own.'));
      }
      return openFile(p);
    },
    async 'file.read'(req): Promise<Results['file.read']> {
      const f = files.get(req.id);
      if (!f) throw new ApiFailure(apiError('ERR_FILE_CLOSED', `File handle ${req.id} is not open.`, 'Open the file again.'));
      const want = Math.min(req.max, f.size - f.pos);
      const buf = Buffer.allocUnsafe(Math.max(0, want));
      const { bytesRead } = want > 0 ? await f.fh.read(buf, 0, want, f.pos) : { bytesRead: 0 };
      f.pos += bytesRead;
      const eof = bytesRead === 0 || f.pos >= f.size;
      if (eof) {
        files.delete(req.id);
        await f.fh.close();
      }
      // A fresh ArrayBuffer holding exactly these bytes (Buffer.allocUnsafe may share a pool).
      const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer;
      return { bytes, eof };
    },
    async 'file.close'(req) {
      const f = files.get(req.id);
      if (f) {
        files.delete(req.id);
        await f.fh.close();
      }
      return {};
    },
  };
}
