// The engine worker: runs core/ over the packet store so parsing, dissection and filtering never
// block the UI. One message in ({id, name, args}), one out ({id, ok, value}); buffers are transferred.

import { compileFilter } from '../../core/filter/index.js';
import { setFilterCompiler } from './filter-port.js';
import { CaptureSession } from './session.js';
import type { CallName } from './protocol.js';

setFilterCompiler(compileFilter);
const session = new CaptureSession();

self.onmessage = (ev: MessageEvent<{ id: number; name: CallName; args: unknown[] }>) => {
  const { id, name, args } = ev.data;
  try {
    const fn = session[name] as (...a: unknown[]) => unknown;
    const value = fn.apply(session, args);
    const transfer = value instanceof ArrayBuffer ? [value] : [];
    (self as unknown as Worker).postMessage({ id, ok: true, value }, transfer);
  } catch (e) {
    (self as unknown as Worker).postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
