// The UI's handle on the engine: calls into the worker (or, where no Worker exists, e.g. jsdom
// tests, into a session on this thread). Chunks and batches are transferred, not copied.

import type { CallName, EngineCalls } from './protocol.js';
import { compileFilter } from '../../core/filter/index.js';
import { setFilterCompiler } from './filter-port.js';
import { CaptureSession } from './session.js';

export type EngineClient = { [K in CallName]: (...a: Parameters<EngineCalls[K]>) => Promise<ReturnType<EngineCalls[K]>> };

export function createEngineClient(): EngineClient {
  if (typeof Worker === 'undefined') {
    setFilterCompiler(compileFilter);
    const s = new CaptureSession();
    return new Proxy({} as EngineClient, {
      get: (_t, name: CallName) => (...args: unknown[]) => Promise.resolve((s[name] as (...a: unknown[]) => unknown).apply(s, args)),
    });
  }
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.onmessage = (ev: MessageEvent<{ id: number; ok: boolean; value?: unknown; error?: string }>) => {
    const p = pending.get(ev.data.id);
    if (!p) return;
    pending.delete(ev.data.id);
    if (ev.data.ok) p.resolve(ev.data.value);
    else p.reject(new Error(ev.data.error));
  };
  return new Proxy({} as EngineClient, {
    get: (_t, name: CallName) => (...args: unknown[]) => new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, name, args }, args.filter((a): a is ArrayBuffer => a instanceof ArrayBuffer));
    }),
  });
}
