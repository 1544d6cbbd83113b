// The browser end of the `netlab ui` bridge: a Carrier over a WebSocket to 127.0.0.1, authenticated
// by the per-run token the page was opened with (it is in the URL `netlab ui` prints).

import type { Carrier, Wire } from './channel.js';
import { decodeWire, encodeWire } from './ws-codec.js';

export function connectWebSocket(url: string): Promise<Carrier> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const listeners = new Set<(m: Wire) => void>();
    const closers = new Set<() => void>();
    const queue: Wire[] = [];
    const carrier: Carrier = {
      send(msg) {
        if (ws.readyState !== WebSocket.OPEN) throw new Error('not connected');
        ws.send(encodeWire(msg));
      },
      onMessage(l) {
        listeners.add(l);
        // Messages that arrived before anyone listened are delivered now, in order.
        for (const m of queue.splice(0)) l(m);
        return () => listeners.delete(l);
      },
      onClose(l) {
        closers.add(l);
        return () => closers.delete(l);
      },
    };
    ws.onopen = () => resolve(carrier);
    ws.onerror = () => reject(new Error(`cannot connect to ${url.replace(/token=[^&]*/, 'token=…')}`));
    ws.onclose = () => {
      for (const l of [...closers]) l();
    };
    ws.onmessage = (ev: MessageEvent<string | ArrayBuffer>) => {
      let msg: Wire;
      try {
        msg = decodeWire(typeof ev.data === 'string' ? ev.data : new Uint8Array(ev.data));
      } catch {
        return;
      }
      if (listeners.size === 0) queue.push(msg);
      else for (const l of [...listeners]) l(msg);
    };
  });
}
