// The workbench as component tests see it: the real App over the real backend and services (lab
// server, capture, files), joined by a pipe that encodes every message as the WebSocket bridge does
// (ws-codec), with the engine session on this thread (jsdom has no Worker). The codec rather than the
// in-memory pair: under jsdom, structuredClone returns ArrayBuffers of Node's realm, which the
// API's schema (instanceof the page's ArrayBuffer) would refuse, as no real carrier ever does. jsdom lacks ResizeObserver and URL.createObjectURL; the two stand-ins
// below do nothing but exist.
import { configure, render } from '@testing-library/react';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../../../electron/api/backend.js';
import { ApiHost, type Carrier, type Wire, createApiClient } from '../../../electron/api/channel.js';
import { decodeWire, encodeWire } from '../../../electron/api/ws-codec.js';
import { loadServices } from '../../../electron/api/services.js';
import { App } from '../../../renderer/app.js';
import { WorkbenchContext } from '../../../renderer/context.js';
import { Workbench } from '../../../renderer/controller.js';
import { createEngineClient } from '../../../renderer/engine/client.js';
import { initI18n } from '../../../renderer/i18n.js';
import { createAppStore } from '../../../renderer/state/store.js';

// Real servers and captures answer within milliseconds, but the shared 2-core machine can stall for seconds.
configure({ asyncUtilTimeout: 10_000 });

if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class { observe() {} unobserve() {} disconnect() {} } as unknown as typeof ResizeObserver;
}
if (typeof URL.createObjectURL !== 'function') {
  let n = 0;
  URL.createObjectURL = () => `blob:test/${++n}`;
  URL.revokeObjectURL = () => {};
}

function codecPair(): [Carrier & { close(): void }, Carrier & { close(): void }] {
  const ls: [Set<(m: Wire) => void>, Set<(m: Wire) => void>] = [new Set(), new Set()];
  let closed = false;
  const end = (me: 0 | 1) => ({
    send(msg: Wire) {
      const data = encodeWire(msg);
      queueMicrotask(() => {
        if (!closed) for (const l of [...ls[1 - me]]) l(decodeWire(data));
      });
    },
    onMessage(l: (m: Wire) => void) {
      ls[me].add(l);
      return () => ls[me].delete(l);
    },
    close() {
      closed = true;
    },
  });
  return [end(0), end(1)];
}

export interface Harness {
  wb: Workbench;
  dir: string;
  close(): Promise<void>;
}

export async function mountApp(): Promise<Harness> {
  initI18n('en');
  const dir = mkdtempSync(join(tmpdir(), 'nlJ-rtl-'));
  const services = await loadServices({ dataDir: dir });
  const host: ApiHost = new ApiHost(createBackend(() => host, { mode: 'browser', root: process.cwd(), ...services }));
  const [a, b] = codecPair();
  host.connect(a);
  const api = createApiClient(b);
  const wb = new Workbench(api, createEngineClient(), createAppStore());
  wb.saveDir = dir;
  const view = render(<WorkbenchContext.Provider value={wb}><App /></WorkbenchContext.Provider>);
  return {
    wb,
    dir,
    async close() {
      wb.dispose();
      view.unmount();
      await services.dispose?.();
      a.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
