// The capture supervisor (plain Node): starts the capture helper, writes every record to the spool as
// it arrives, forwards batches to listeners (the UI), and turns the helper's death into an error while
// keeping the spool. The in-process addon is used only when asked for (`engine: 'addon'`, tests run as
// root): the app's captures stay in the helper, the only process with capture privileges.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helperPath as defaultHelperPath, loadAddon, type CaptureHandle } from '../../../native/index.js';
import {
  HelperStreamParser,
  type HelperErrorInfo,
  type HelperEvent,
  type HelperStats,
} from '../../../native/helper-protocol.js';
import { CaptureError } from './capture-error.js';
import { SpoolWriter, type SpoolInterface } from './spool-writer.js';

export interface CaptureOptions {
  device: string;
  /** BPF capture filter (tcpdump syntax). */
  filter?: string;
  /** 0 or omitted: 262144, tshark's default. */
  snaplen?: number;
  /** Promiscuous mode; on unless false (tshark -p). */
  promisc?: boolean;
  /** Kernel buffer in MiB (dumpcap -B). */
  bufferMiB?: number;
  /** Stop after this many packets (tshark -c). */
  count?: number;
  /** Stop after this many seconds (tshark -a duration:N). */
  durationSec?: number;
  /** Where the spool goes; a new file in the temp folder by default. */
  spoolPath?: string;
  /** 'helper' (default) or the in-process addon where the process may already capture. */
  engine?: 'helper' | 'addon';
  /** Overrides the helper executable (tests run a copy as another user). */
  helperPath?: string;
  /** Microseconds instead of nanoseconds. */
  microsecond?: boolean;
}

export interface CaptureInfo {
  device: string;
  linkType: number;
  snaplen: number;
  nanosecond: boolean;
  filter: string;
  spoolPath: string;
  engine: 'helper' | 'addon';
  pid?: number;
}

export interface RecordsEvent {
  /** Records in the capture core's layout (native/src/capture-core.h); valid during the call only. */
  batch: Uint8Array;
  count: number;
  /** 0-based index of the batch's first record in the capture. */
  first: number;
}

export interface CaptureSummary {
  packets: number;
  stats: HelperStats | null;
  /** Why it ended: 'stopped', 'count', 'duration', or 'error' (then `error` says what). */
  reason: 'stopped' | 'count' | 'duration' | 'error';
  error?: CaptureError;
  spoolPath: string;
}

export interface CaptureSessionEvents {
  records: [RecordsEvent];
  stats: [HelperStats];
  error: [CaptureError];
  end: [CaptureSummary];
}

let spoolCounter = 0;

function defaultSpoolPath(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return join(tmpdir(), `netlab_${stamp}_${process.pid}_${++spoolCounter}.pcapng`);
}

const HELPER_DIED_HINT =
  'The packets captured before it stopped are kept in the spool file. Start the capture again; if it keeps stopping, run the helper by hand to see its message.';

/** One running capture. Listen for 'records', 'stats', 'error' and 'end'; `done` resolves at the end. */
export class CaptureSession extends EventEmitter<CaptureSessionEvents> {
  packets = 0;
  lastStats: HelperStats | null = null;
  readonly done: Promise<CaptureSummary>;
  private resolveDone!: (s: CaptureSummary) => void;
  private spool: SpoolWriter | null = null;
  private child: ChildProcess | null = null;
  private handle: CaptureHandle | null = null;
  private statsTimer: NodeJS.Timeout | null = null;
  private durationTimer: NodeJS.Timeout | null = null;
  private stopReason: CaptureSummary['reason'] | null = null;
  private finished = false;
  info!: CaptureInfo;

  constructor(readonly options: CaptureOptions) {
    super();
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  /** Stops the capture (the helper drains its buffer first) and resolves with the summary. */
  stop(): Promise<CaptureSummary> {
    this.requestStop('stopped');
    return this.done;
  }

  get spoolPath(): string {
    return this.info.spoolPath;
  }

  /** @internal */ begin(info: CaptureInfo, spool: SpoolWriter): void {
    this.info = info;
    this.spool = spool;
    if (this.options.durationSec && this.options.durationSec > 0) {
      this.durationTimer = setTimeout(() => this.requestStop('duration'), this.options.durationSec * 1000);
    }
  }

  /** @internal */ attachChild(child: ChildProcess): void {
    this.child = child;
  }

  /** @internal */ attachHandle(handle: CaptureHandle): void {
    this.handle = handle;
    this.statsTimer = setInterval(() => {
      try {
        const s = handle.stats();
        this.lastStats = { ...s, captured: this.packets };
        this.emit('stats', this.lastStats);
      } catch {
        // closed between the tick and the call: the final statistics come from finish()
      }
    }, 1000);
  }

  /** @internal */ onBatch(batch: Uint8Array, count: number): void {
    if (this.finished || this.spool === null) return;
    const limit = this.options.count && this.options.count > 0 ? this.options.count - this.packets : Infinity;
    if (limit <= 0) return;
    // Spool first: whatever happens to the listeners or the helper next, these records are on disk.
    let written: number;
    try {
      written = this.spool.writeBatch(batch, limit);
    } catch (err) {
      this.fail(CaptureError.from(err, 'ERR_CAPTURE_SPOOL', 'Free some disk space, then capture again.'));
      return;
    }
    const first = this.packets;
    this.packets += written;
    this.emit('records', { batch, count: Math.min(count, written), first });
    if (this.options.count && this.packets >= this.options.count) this.requestStop('count');
  }

  /** @internal */ onStats(s: HelperStats): void {
    this.lastStats = s;
    this.emit('stats', s);
  }

  /** @internal */ fail(err: CaptureError): void {
    if (this.finished) return;
    // 'error' without a listener would throw (EventEmitter); the summary carries the error anyway.
    if (this.listenerCount('error') > 0) this.emit('error', err);
    this.finish('error', err);
  }

  /** @internal */ requestStop(reason: CaptureSummary['reason']): void {
    if (this.finished || this.stopReason !== null) return;
    this.stopReason = reason;
    if (this.child) {
      // End of stdin asks the helper to drain the ring and say END; signals only if it does not.
      const child = this.child;
      child.stdin?.end();
      const term = setTimeout(() => child.kill('SIGTERM'), 2000);
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('close', () => {
        clearTimeout(term);
        clearTimeout(kill);
      });
    } else if (this.handle) {
      let final: HelperStats | null = null;
      try {
        final = { ...this.handle.stats(), captured: this.packets };
      } catch {
        final = this.lastStats;
      }
      this.handle.close();
      // Batches read before close() are still delivered; let them land before finishing.
      setImmediate(() => {
        this.lastStats = final;
        this.finish(reason);
      });
    }
  }

  /** @internal */ finish(reason: CaptureSummary['reason'], error?: CaptureError): void {
    if (this.finished) return;
    this.finished = true;
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.durationTimer) clearTimeout(this.durationTimer);
    if (this.handle && !this.handle.closed) this.handle.close();
    try {
      this.spool?.close(this.lastStats ?? undefined);
    } catch (err) {
      error ??= CaptureError.from(err, 'ERR_CAPTURE_SPOOL', 'Free some disk space, then capture again.');
    }
    const summary: CaptureSummary = {
      packets: this.packets,
      stats: this.lastStats,
      reason: error ? 'error' : (this.stopReason ?? reason),
      spoolPath: this.info?.spoolPath ?? '',
    };
    if (error) summary.error = error;
    this.emit('end', summary);
    this.resolveDone(summary);
  }

  /** @internal */ get stopping(): CaptureSummary['reason'] | null {
    return this.stopReason;
  }
}

/**
 * Starts a capture. Resolves once the interface is open and the spool exists; rejects with a
 * CaptureError (ERR_CAPTURE_PERMISSION, ERR_CAPTURE_NO_DEVICE, ERR_CAPTURE_FILTER, ...) otherwise.
 */
export function startCapture(options: CaptureOptions): Promise<CaptureSession> {
  if (!options.device) {
    return Promise.reject(new CaptureError('ERR_CAPTURE_ARGS', 'No interface was given.', "Pick one from 'netlab interfaces'."));
  }
  return options.engine === 'addon' ? startWithAddon(options) : startWithHelper(options);
}

function spoolFor(options: CaptureOptions, iface: SpoolInterface): { path: string; writer: SpoolWriter } {
  const path = options.spoolPath ?? defaultSpoolPath();
  return { path, writer: new SpoolWriter(path, iface) };
}

async function startWithAddon(options: CaptureOptions): Promise<CaptureSession> {
  const addon = loadAddon();
  const session = new CaptureSession(options);
  let handle: CaptureHandle;
  try {
    handle = addon.open(
      {
        device: options.device,
        snaplen: options.snaplen || 262144,
        promisc: options.promisc !== false,
        bufferSize: (options.bufferMiB ?? 16) * 1024 * 1024,
        nanosecond: !options.microsecond,
        filter: options.filter ?? '',
      },
      (err, batch, count) => {
        if (err) session.fail(CaptureError.from(err, 'ERR_CAPTURE_READ', 'The interface may have gone away.'));
        else if (batch) session.onBatch(new Uint8Array(batch), count ?? 0);
      },
    );
  } catch (err) {
    throw CaptureError.from(err, 'ERR_CAPTURE_OPEN', 'Check the interface name and the capture filter.');
  }
  const iface: SpoolInterface = {
    linkType: handle.linkType,
    snaplen: handle.snaplen,
    name: options.device,
    filter: options.filter,
    nanosecond: handle.nanosecond,
  };
  let spool;
  try {
    spool = spoolFor(options, iface);
  } catch (err) {
    handle.close();
    throw err;
  }
  session.begin({ ...iface, device: options.device, filter: options.filter ?? '', spoolPath: spool.path, engine: 'addon' }, spool.writer);
  session.attachHandle(handle);
  return session;
}

function helperArgs(o: CaptureOptions): string[] {
  const args = ['-i', o.device];
  if (o.filter) args.push('-f', o.filter);
  if (o.snaplen) args.push('-s', String(o.snaplen));
  if (o.promisc === false) args.push('-p');
  if (o.bufferMiB) args.push('-B', String(o.bufferMiB));
  if (o.count && o.count > 0) args.push('-c', String(o.count));
  if (o.microsecond) args.push('--micro');
  return args;
}

function startWithHelper(options: CaptureOptions): Promise<CaptureSession> {
  let exe: string;
  try {
    exe = options.helperPath ?? defaultHelperPath();
  } catch (err) {
    return Promise.reject(CaptureError.from(err, 'ERR_NATIVE_NOT_BUILT', 'Run: npm run build:native'));
  }
  return new Promise((resolve, reject) => {
    const session = new CaptureSession(options);
    const parser = new HelperStreamParser();
    let started = false;
    let helperError: HelperErrorInfo | null = null;
    let sawEnd = false;
    let stderr = '';
    const child = spawn(exe, helperArgs(options), { stdio: ['pipe', 'pipe', 'pipe'] });
    session.attachChild(child);

    const onEvent = (ev: HelperEvent): void => {
      switch (ev.type) {
        case 'hello': {
          const iface: SpoolInterface = {
            linkType: ev.hello.linkType,
            snaplen: ev.hello.snaplen,
            name: ev.hello.device,
            filter: ev.hello.filter || undefined,
            nanosecond: ev.hello.tsPrecision === 'nano',
          };
          try {
            const spool = spoolFor(options, iface);
            session.begin({ ...iface, device: ev.hello.device, filter: ev.hello.filter, spoolPath: spool.path, engine: 'helper', pid: ev.hello.pid }, spool.writer);
          } catch (err) {
            child.kill('SIGTERM');
            reject(err);
            return;
          }
          started = true;
          resolve(session);
          break;
        }
        case 'records':
          session.onBatch(ev.batch, ev.count);
          break;
        case 'stats':
          session.onStats(ev.stats);
          break;
        case 'error':
          helperError = ev.error;
          break;
        case 'end':
          sawEnd = true;
          break;
      }
    };

    child.stdout!.on('data', (chunk: Buffer) => {
      try {
        for (const ev of parser.push(chunk)) onEvent(ev);
      } catch (err) {
        child.kill('SIGKILL');
        const e = new CaptureError('ERR_CAPTURE_HELPER_DIED', `The capture helper's output is damaged: ${(err as Error).message}`, HELPER_DIED_HINT);
        if (started) session.fail(e);
        else reject(e);
      }
    });
    child.stderr!.on('data', (c: Buffer) => {
      if (stderr.length < 8192) stderr += c.toString('utf8');
    });
    // The helper ends on stdin EOF; a closed pipe at our end must not crash the supervisor.
    child.stdin!.on('error', () => {});
    child.on('error', (err) => {
      const e = new CaptureError('ERR_CAPTURE_HELPER_START', `Cannot start the capture helper ${exe}: ${err.message}`,
        'Rebuild it with: npm run build:native');
      if (started) session.fail(e);
      else reject(e);
    });
    // 'close' comes after stdout has been read to its end, so every record sent is in the spool.
    child.on('close', (code, signal) => {
      const err = helperError ? new CaptureError(helperError.code, helperError.message, helperError.hint) : null;
      if (!started) {
        reject(err ?? new CaptureError('ERR_CAPTURE_HELPER_DIED',
          `The capture helper stopped before opening ${options.device} (${signal ? `signal ${signal}` : `exit code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}.`,
          HELPER_DIED_HINT));
        return;
      }
      if (err) session.fail(err);
      else if (!sawEnd) {
        session.fail(new CaptureError('ERR_CAPTURE_HELPER_DIED',
          `The capture helper (pid ${child.pid}) died ${signal ? `from signal ${signal}` : `with exit code ${code}`} after ${session.packets} packets.`,
          HELPER_DIED_HINT));
      } else session.finish(session.stopping ?? 'stopped');
    });
  });
}
