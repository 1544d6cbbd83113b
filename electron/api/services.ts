// Connects the API's ports (backend.ts) to the real services. Each service is loaded on demand, so
// `netlab ui` starts even where one cannot run (no capture helper built), and that method then answers
// ERR_UNAVAILABLE with how to fix it.

import { readFile, readdir, rm } from 'node:fs/promises';
import type { CapturePort, LabServerPort } from './backend.js';
import type { CaptureInterfaceInfo, CaptureStats, InterfaceTraffic, ParsedReq } from './contract.js';
import { ApiFailure, apiError, toApiError } from './errors.js';
import type { CaptureSession as Session } from '../services/capture/capture-supervisor.js';

export interface LoadedServices {
  labServer?: LabServerPort;
  capture?: CapturePort;
  dispose?(): Promise<void>;
}

export interface ServiceOptions {
  /** The lab server's data folder (defaults to defaultDataDir(): NETLAB_DATA_DIR or the user's config folder). */
  dataDir?: string;
}

export async function loadServices(opts: ServiceOptions = {}): Promise<LoadedServices> {
  const out: LoadedServices = {};
  const disposers: (() => Promise<void>)[] = [];
  try {
    const { createLabServerPort } = await import('../services/lab-server/index.js');
    const port = createLabServerPort(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {});
    out.labServer = port;
    disposers.push(async () => { await port.stop().catch(() => undefined); });
  } catch (e) {
    console.error(`netlab: the lab web server cannot be loaded (${toApiError(e).message}); its buttons will say so.`);
  }
  const capture = createCapturePort();
  out.capture = capture;
  disposers.push(() => capture.dispose());
  out.dispose = async () => {
    for (const d of disposers) await d();
  };
  return out;
}

/**
 * Live capture over the capture supervisor (electron/services/capture): the helper owns the handle,
 * the supervisor spools every record before we see it, and "Save as" rewrites the spool. Batches
 * from the helper are re-encoded into the API's batch layout (packet-batch.ts) and coalesced for up
 * to FLUSH_MS, so a 10,000 packets/s stream is ~20 messages a second, not thousands.
 */
export type CapturePortImpl = CapturePort & {
  traffic(): Promise<InterfaceTraffic[]>;
  checkFilter(req: ParsedReq<'capture.checkFilter'>): Promise<{ ok: true } | { ok: false; message: string }>;
  dispose(): Promise<void>;
};

const FLUSH_MS = 50;
const FLUSH_BYTES = 4 << 20;
const API_HEAD = 24;
const pad8 = (n: number) => (n + 7) & ~7;

export function createCapturePort(): CapturePortImpl {
  let session: Session | null = null;
  let lastSpool: string | null = null;
  let lastStats: CaptureStats = { captured: 0, dropped: 0, ifDropped: 0 };
  const spools = new Set<string>();

  const native = async () => {
    try {
      return await import('../../native/index.js');
    } catch (e) {
      throw new ApiFailure(apiError('ERR_UNAVAILABLE', `Live capture is not available in this build (${toApiError(e).message}).`, 'Build the capture helper with `npm run build:native`, then restart.'));
    }
  };
  const addon = async () => {
    const n = await native();
    try {
      return n.loadAddon();
    } catch (e) {
      throw new ApiFailure(toApiError(e));
    }
  };

  return {
    async interfaces(): Promise<CaptureInterfaceInfo[]> {
      const list = (await addon()).interfaces();
      return list.map((i) => ({
        name: i.name,
        ...(i.description ? { description: i.description } : {}),
        addresses: i.addresses.map((a) => a.addr),
        loopback: i.loopback,
        up: i.up,
      }));
    },

    traffic: interfaceTraffic,

    async checkFilter(req) {
      if (req.filter.trim() === '') return { ok: true };
      // Ethernet framing, as libpcap gives every Linux interface but a few tunnels (loopback too).
      const msg = (await addon()).checkFilter(req.linkType, 262144, req.filter);
      return msg === null ? { ok: true } : { ok: false, message: msg };
    },

    async start(req, sink) {
      if (session) {
        throw new ApiFailure(apiError('ERR_CAPTURE_RUNNING', `A capture on ${session.options.device} is already running.`, 'Stop it first (Capture › Stop, Ctrl+E).'));
      }
      const { startCapture } = await import('../services/capture/capture-supervisor.js');
      const { checkCapturePermission } = await import('../services/capture/permissions.js');
      let perm;
      try {
        perm = await checkCapturePermission();
      } catch (e) {
        throw new ApiFailure(toApiError(e));
      }
      if (!perm.canCapture && perm.problem) throw new ApiFailure(perm.problem);
      const s = await startCapture({ device: req.iface, filter: req.filter, snaplen: req.snaplen, promisc: req.promisc });
      // A new capture replaces the previous one's spool, as Wireshark's temporary file is replaced.
      for (const old of spools) await rm(old, { force: true });
      spools.clear();
      session = s;
      lastSpool = s.spoolPath;
      spools.add(s.spoolPath);
      lastStats = { captured: 0, dropped: 0, ifDropped: 0 };
      const linkType = s.info.linkType;

      let parts: { bytes: Uint8Array; count: number }[] = [];
      let pendingBytes = 0;
      let pendingCount = 0;
      let timer: NodeJS.Timeout | null = null;
      const flush = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        if (pendingCount === 0) return;
        const buf = new ArrayBuffer(pendingBytes);
        let p = 0;
        for (const part of parts) p = reencode(part.bytes, buf, p, linkType);
        const count = pendingCount;
        parts = [];
        pendingBytes = 0;
        pendingCount = 0;
        sink.packets(buf, count);
      };
      s.on('records', ({ batch, count }) => {
        // The batch is valid during this call only: keep a copy until the flush.
        parts.push({ bytes: batch.slice(), count });
        pendingBytes += apiSize(batch);
        pendingCount += count;
        if (pendingBytes >= FLUSH_BYTES) flush();
        else timer ??= setTimeout(flush, FLUSH_MS);
      });
      s.on('stats', (st) => {
        lastStats = { captured: s.packets, dropped: st.dropped, ifDropped: st.ifDropped };
        sink.stats(lastStats);
      });
      s.on('error', () => { /* the 'end' summary carries it */ });
      s.on('end', (summary) => {
        flush();
        if (summary.stats) lastStats = { captured: summary.packets, dropped: summary.stats.dropped, ifDropped: summary.stats.ifDropped };
        else lastStats = { ...lastStats, captured: summary.packets };
        sink.stats(lastStats);
        if (session === s) session = null;
        sink.ended(summary.error ? toApiError(summary.error) : undefined);
      });
      return { linkType };
    },

    async stop() {
      const s = session;
      if (!s) return lastStats;
      await s.stop();
      return lastStats;
    },

    async save(req) {
      const spool = session?.spoolPath ?? lastSpool;
      if (!spool) {
        throw new ApiFailure(apiError('ERR_NOTHING_TO_SAVE', 'There is no live capture to save.', 'Start a capture first; an opened file is saved from the packet list.'));
      }
      if (session) {
        throw new ApiFailure(apiError('ERR_CAPTURE_RUNNING', 'The capture is still running.', 'Stop the capture (Ctrl+E), then save it.'));
      }
      const { saveCapture } = await import('../services/capture/save-capture.js');
      try {
        const r = await saveCapture(spool, req.path, { format: req.format, ...(req.frames ? { frames: new Set(req.frames) } : {}) });
        return { path: r.path, count: r.packets };
      } catch (e) {
        throw new ApiFailure(toApiError(e));
      }
    },

    async dispose() {
      if (session) await session.stop().catch(() => undefined);
      for (const old of spools) await rm(old, { force: true });
      spools.clear();
    },
  };
}

/**
 * Packet counters per interface for the picker's sparkline, from the kernel's own statistics (Linux
 * sysfs, as `ip -s link` shows them). Elsewhere none: the picker then shows no sparkline.
 */
async function interfaceTraffic(): Promise<InterfaceTraffic[]> {
  if (process.platform !== 'linux') return [];
  const base = '/sys/class/net';
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return [];
  }
  const num = async (p: string) => Number((await readFile(p, 'utf8').catch(() => '0')).trim()) || 0;
  return Promise.all(names.map(async (name) => {
    const rx = await num(`${base}/${name}/statistics/rx_packets`);
    // Loopback counts each packet once as sent and once as received; Wireshark shows it once.
    const tx = name === 'lo' ? 0 : await num(`${base}/${name}/statistics/tx_packets`);
    return { name, packets: rx + tx };
  }));
}

/** Bytes the capture core's batch (16-byte headers, packed) takes in the API layout (24-byte headers, 8-aligned). */
function apiSize(batch: Uint8Array): number {
  const dv = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  let off = 0;
  let n = 0;
  while (off + 16 <= batch.byteLength) {
    const capLen = dv.getUint32(off + 8, true);
    n += API_HEAD + pad8(capLen);
    off += 16 + capLen;
  }
  return n;
}

/** Writes a capture-core batch into `out` at `p` in packet-batch.ts's layout; returns the new end. */
function reencode(batch: Uint8Array, out: ArrayBuffer, p: number, linkType: number): number {
  const src = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  const dst = new DataView(out);
  const u8 = new Uint8Array(out);
  let off = 0;
  while (off + 16 <= batch.byteLength) {
    const capLen = src.getUint32(off + 8, true);
    dst.setFloat64(p, src.getUint32(off, true), true);
    dst.setUint32(p + 8, src.getUint32(off + 4, true), true);
    dst.setUint32(p + 12, capLen, true);
    dst.setUint32(p + 16, src.getUint32(off + 12, true), true);
    dst.setUint16(p + 20, 0, true);
    dst.setUint16(p + 22, linkType, true);
    u8.set(batch.subarray(off + 16, off + 16 + capLen), p + API_HEAD);
    p += API_HEAD + pad8(capLen);
    off += 16 + capLen;
  }
  return p;
}
