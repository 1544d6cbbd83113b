// The lab server and the site as the typed API's LabServerPort (electron/api/backend.ts) expects
// them, so wiring it in electron/api/services.ts is one call. Structural types only: the service does
// not depend on the API layer.

import { LabServer, type ServerStatus } from './lab-server.js';
import { SiteService, type SaveRequest } from './site.js';
import type { AccessLogEntry } from './access-log.js';
import type { LabError } from './errors.js';

export interface LabServerPortOptions {
  dataDir?: string;
  templateDir?: string;
}

/** The API's view of the server status: the host is the 'all' | 'loopback' the UI asked for. */
export type PortServerStatus = Omit<ServerStatus, 'host'> & { host?: 'all' | 'loopback' };

export function createLabServerPort(opts: LabServerPortOptions = {}) {
  const server = new LabServer();
  const site = new SiteService(opts);
  const asPort = (s: ServerStatus): PortServerStatus => {
    const { host, ...rest } = s;
    return host === 'all' || host === 'loopback' ? { ...rest, host } : rest;
  };
  return {
    server,
    site,
    start: async (req: { port: number; host: 'all' | 'loopback'; root?: string | undefined; listing?: boolean | undefined }) =>
      asPort(await server.start({ port: req.port, host: req.host, root: req.root ?? await site.ensure(), listing: req.listing, dataDir: opts.dataDir, templateDir: opts.templateDir })),
    stop: async () => asPort(await server.stop()),
    status: async () => asPort(server.status()),
    onAccess: (listener: (e: AccessLogEntry) => void): void => { server.on('access', listener); },
    onError: (listener: (e: LabError) => void): void => { server.on('error', listener); },
    getSite: () => site.get(),
    saveSite: (req: SaveRequest) => site.save(req),
    exportSite: async (path: string | undefined) => ({ path: (await site.export(path)).path }),
  };
}
