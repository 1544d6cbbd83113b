// The lab web server panel: its status, the live access log (bounded) and the page form.
import type { StateCreator } from 'zustand';
import type { AccessLogEntry, PageModel, ServerStatus } from '../../electron/api/contract.js';
import type { AppState } from './store.js';

const LOG_MAX = 500;

export interface ServerSlice {
  server: ServerStatus;
  serverPort: number;
  serverHost: 'all' | 'loopback';
  accessLog: AccessLogEntry[];
  page: PageModel;
  setServer(s: ServerStatus): void;
  patchServer(p: Partial<Pick<ServerSlice, 'serverPort' | 'serverHost' | 'page'>>): void;
  logAccess(e: AccessLogEntry): void;
}

export const createServerSlice: StateCreator<AppState, [], [], ServerSlice> = (set) => ({
  server: { running: false, urls: [] },
  serverPort: 8080,
  serverHost: 'all',
  accessLog: [],
  page: { title: '', major: '', studentId: '', name: '', freeText: '' },
  setServer: (server) => set({ server }),
  patchServer: (p) => set(p),
  logAccess: (e) => set((s) => ({ accessLog: [...s.accessLog.slice(-(LOG_MAX - 1)), e] })),
});
