// Picks the API's carrier: Electron IPC when the preload exposed it, otherwise the WebSocket bridge
// of `netlab ui` (the token is in the page's URL). The rest of the UI only sees `Api`.

import { type Carrier, type Wire, createApiClient } from '../electron/api/channel.js';
import type { Api } from '../electron/api/contract.js';
import { connectWebSocket } from '../electron/api/ws-client.js';

interface IpcBridge {
  send(msg: unknown): void;
  onMessage(l: (msg: unknown) => void): () => void;
}

export async function connectApi(): Promise<Api> {
  const ipc = (window as unknown as { netlabIpc?: IpcBridge }).netlabIpc;
  if (ipc) {
    const carrier: Carrier = { send: (m) => ipc.send(m), onMessage: (l) => ipc.onMessage((m) => l(m as Wire)) };
    return createApiClient(carrier);
  }
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const carrier = await connectWebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`);
  return createApiClient(carrier);
}
