// The TypeScript face of native/: loads the N-API addon and finds the capture helper executable.
// Both are built by `npm run build:native` into native/build/Release/.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface InterfaceAddress {
  family: 'inet' | 'inet6';
  addr: string;
  netmask: string;
  broadaddr: string;
}

export interface NetInterface {
  name: string;
  description: string;
  addresses: InterfaceAddress[];
  loopback: boolean;
  up: boolean;
  running: boolean;
  wireless: boolean;
  connectionStatus: 'unknown' | 'connected' | 'disconnected' | 'not-applicable';
}

export interface OpenOptions {
  device: string;
  /** Bytes kept of each packet; 262144 (tshark's default) when omitted. */
  snaplen?: number;
  /** Promiscuous mode; on by default as in tshark (-p turns it off). */
  promisc?: boolean;
  /** Kernel capture buffer in bytes; libpcap's default when omitted. */
  bufferSize?: number;
  immediate?: boolean;
  nanosecond?: boolean;
  filter?: string;
}

export interface CaptureStats {
  received: number;
  dropped: number;
  ifDropped: number;
}

/** One in-process capture (addon front end). Every method throws a NativeError after close(). */
export interface CaptureHandle {
  readonly linkType: number;
  readonly snaplen: number;
  /** true when timestamps are nanosecond-precise (Linux), false for microseconds. */
  readonly nanosecond: boolean;
  readonly device: string;
  readonly closed: boolean;
  setFilter(text: string): void;
  stats(): CaptureStats;
  /** Idempotent. Batches read before it are still delivered afterwards. */
  close(): void;
}

/**
 * `batch` holds `count` records in the capture core's layout (native/src/capture-core.h); parse it
 * with `forEachRecord` from ./helper-protocol.js. `err` is set, with no batch, when reading failed.
 */
export type BatchCallback = (err: NativeError | null, batch?: ArrayBuffer, count?: number) => void;

export interface CaptureAddon {
  interfaces(): NetInterface[];
  /** null when `text` compiles for this link type, else libpcap's message. */
  checkFilter(linkType: number, snaplen: number, text: string): string | null;
  open(options: OpenOptions, onBatch: BatchCallback): CaptureHandle;
  readonly libVersion: string;
}

/** What the addon throws: libpcap's text as message, plus our stable code and a hint. */
export interface NativeError extends Error {
  code: string;
  hint: string;
}

export class NativeUnavailableError extends Error {
  readonly code = 'ERR_NATIVE_NOT_BUILT';
  constructor(
    message: string,
    readonly hint = 'Build the native capture core: npm run build:native (needs libpcap-dev, g++, make, python3).',
  ) {
    super(message);
    this.name = 'NativeUnavailableError';
  }
}

export const HELPER_NAME = process.platform === 'win32' ? 'netlab-capture.exe' : 'netlab-capture';
const ADDON_NAME = 'netlab_capture.node';

/**
 * Where the built files are. Source runs (tsx, vitest) sit in native/; the esbuild bundles in dist/;
 * a packaged app has them in resources/native. NETLAB_NATIVE_DIR overrides all of these.
 */
export function nativeBuildDir(): string {
  const override = process.env.NETLAB_NATIVE_DIR;
  if (override) return override;
  const candidates: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    candidates.push(join(dir, 'build', 'Release'), join(dir, 'native', 'build', 'Release'));
    dir = dirname(dir);
  }
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(join(resources, 'native'));
  return candidates.find((c) => existsSync(join(c, ADDON_NAME)) || existsSync(join(c, HELPER_NAME))) ?? candidates[0]!;
}

export function helperPath(): string {
  const p = join(nativeBuildDir(), HELPER_NAME);
  if (!existsSync(p)) throw new NativeUnavailableError(`The capture helper is not built (${p} is missing).`);
  return p;
}

let cached: CaptureAddon | undefined;

export function loadAddon(): CaptureAddon {
  if (cached) return cached;
  const p = join(nativeBuildDir(), ADDON_NAME);
  if (!existsSync(p)) throw new NativeUnavailableError(`The capture addon is not built (${p} is missing).`);
  try {
    cached = createRequire(import.meta.url)(p) as CaptureAddon;
  } catch (err) {
    // Typically libpcap missing at run time (libpcap0.8 on Debian, Npcap on Windows).
    throw new NativeUnavailableError(
      `The capture addon could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
      process.platform === 'win32'
        ? 'Install Npcap (https://npcap.com), then start NetLab Workbench again.'
        : 'Install libpcap (Debian/Ubuntu: apt-get install libpcap0.8) and rebuild: npm run build:native.',
    );
  }
  return cached;
}

export function isNativeError(e: unknown): e is NativeError {
  return e instanceof Error && typeof (e as Partial<NativeError>).code === 'string' && typeof (e as Partial<NativeError>).hint === 'string';
}
