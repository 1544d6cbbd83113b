// The lab web server's public face (issue 6): the server, the student's site, and their types.
export { LabServer, SERVER_SOFTWARE, type LabServerOptions, type ServerStatus } from './lab-server.js';
export { SiteService, findTemplateDir, isHandEdited, type SaveRequest, type SiteOptions, type SiteState } from './site.js';
export { LabServerError, type LabError } from './errors.js';
export type { AccessLogEntry } from './access-log.js';
export { defaultDataDir } from './data-dir.js';
export { createLabServerPort, type LabServerPortOptions, type PortServerStatus } from './api-port.js';
