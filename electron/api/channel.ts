// The one idea behind every carrier (VS Code's IPC channel, src/vs/base/parts/ipc/common/ipc.ts):
// calls go out with an id, results come back with it, events are pushed. A carrier only moves Wire
// messages; validation, error shaping and typing live here once, so IPC, the WebSocket bridge and the
// in-memory test pair behave identically.

import { ApiFailure, apiError, toApiError } from './errors.js';
import {
  type Api, type ApiImpl, type EventName, type Events, type Method, type Result, type Results, isMethod, requests,
} from './contract.js';

export type Wire =
  | { t: 'call'; id: number; method: string; arg: unknown }
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; name: string; payload: unknown };

/** One end of a two-way message pipe. */
export interface Carrier {
  send(msg: Wire): void;
  onMessage(listener: (msg: Wire) => void): () => void;
  /** Called when the other end goes away (socket closed, window destroyed). */
  onClose?(listener: () => void): () => void;
}

function validationError(method: string, issues: { path: PropertyKey[]; message: string }[]) {
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  return apiError(
    'ERR_BAD_REQUEST',
    `${method}: ${where}${first?.message ?? 'invalid request'}`,
    'The request did not match the API contract (electron/api/contract.ts); check the value named above.',
  );
}

/**
 * Serves `impl` to any number of connected carriers and broadcasts events to all of them.
 * Every request is validated against its zod schema before the implementation sees it.
 */
export class ApiHost {
  private readonly peers = new Set<Carrier>();
  constructor(private readonly impl: ApiImpl) {}

  /** Validates and runs one call; never throws. */
  async invoke(method: unknown, arg: unknown): Promise<Result<unknown>> {
    if (!isMethod(method)) {
      return { ok: false, error: apiError('ERR_UNKNOWN_METHOD', `Unknown API method "${String(method)}".`, 'Use one of the methods in electron/api/contract.ts.') };
    }
    const parsed = requests[method].safeParse(arg ?? {});
    if (!parsed.success) return { ok: false, error: validationError(method, parsed.error.issues) };
    try {
      const fn = this.impl[method] as (req: unknown) => Promise<unknown>;
      return { ok: true, value: await fn(parsed.data) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  connect(carrier: Carrier): () => void {
    this.peers.add(carrier);
    const off = carrier.onMessage((msg) => {
      if (msg.t !== 'call') return;
      void this.invoke(msg.method, msg.arg).then((result) => {
        if (this.peers.has(carrier)) carrier.send({ t: 'result', id: msg.id, result });
      });
    });
    const dispose = () => {
      off();
      this.peers.delete(carrier);
    };
    carrier.onClose?.(dispose);
    return dispose;
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const p of this.peers) p.send({ t: 'event', name, payload });
  }

  get peerCount(): number {
    return this.peers.size;
  }
}

/** The UI's side: a typed Api over any carrier. A carrier that closes fails its pending calls. */
export function createApiClient(carrier: Carrier): Api & { dispose(): void } {
  let next = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const offMsg = carrier.onMessage((msg) => {
    if (msg.t === 'result') {
      const done = pending.get(msg.id);
      if (done) {
        pending.delete(msg.id);
        done(msg.result);
      }
    } else if (msg.t === 'event') {
      const set = listeners.get(msg.name);
      if (set) for (const l of [...set]) l(msg.payload);
    }
  });
  const failAll = () => {
    const err = apiError('ERR_DISCONNECTED', 'The connection to NetLab Workbench was lost.', 'Restart the app (or `netlab ui`) and reload this page.');
    for (const done of pending.values()) done({ ok: false, error: err });
    pending.clear();
  };
  const offClose = carrier.onClose?.(failAll);
  return {
    call<M extends Method>(method: M, req?: unknown): Promise<Result<Results[M]>> {
      const id = next++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        try {
          carrier.send({ t: 'call', id, method, arg: req ?? {} });
        } catch (e) {
          pending.delete(id);
          resolve({ ok: false, error: toApiError(e) });
        }
      });
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    dispose() {
      offMsg();
      offClose?.();
      failAll();
    },
  };
}

/** Unwraps a result or throws an ApiFailure (for code that prefers exceptions, e.g. tests). */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new ApiFailure(r.error);
}
