// The preload (sandboxed, context-isolated): exposes exactly one narrow object to the page, a message
// pipe for the typed API (electron/api/channel.ts). No Electron or Node object ever reaches the page;
// the main process validates every message with the API's zod schemas and checks its sender.

import { contextBridge, ipcRenderer } from 'electron';

const CHANNEL = 'netlab:api';

contextBridge.exposeInMainWorld('netlabIpc', {
  send(msg: unknown): void {
    ipcRenderer.send(CHANNEL, msg);
  },
  onMessage(listener: (msg: unknown) => void): () => void {
    const wrapped = (_e: unknown, msg: unknown) => listener(msg);
    ipcRenderer.on(CHANNEL, wrapped);
    return () => ipcRenderer.off(CHANNEL, wrapped);
  },
});
