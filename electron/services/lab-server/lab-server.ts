// The lab's web server (issue 6): what XAMPP's Apache did in the lab write-up, embedded and safer.
// Plain Node (no Electron), so the CLI, the desktop app and the tests run the same code.
//
// Static files come from `send` (the expressjs static core: MIME types, ETag/Last-Modified and 304,
// Range/206/416, HEAD); this file adds what a lab server needs around it: request-target checks
// (./safe-path.ts), symlink containment, error pages, listing, logs, limits and clear start errors.

import { EventEmitter } from 'node:events';
import { createWriteStream, type Stats, type WriteStream } from 'node:fs';
import { access, mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { dirname, join, relative, sep, isAbsolute } from 'node:path';
import send from 'send';
import { accessEntry, accessLine, errorLogLine, LineBuffer, type AccessFacts, type AccessLogEntry } from './access-log.js';
import { localUrls } from './addresses.js';
import { defaultDataDir } from './data-dir.js';
import { LabServerError, type LabError } from './errors.js';
import { FileCache } from './file-cache.js';
import { errorPage, listingPage, type ListingEntry } from './pages.js';
import { findPortHolder } from './port-holder.js';
import { safePath } from './safe-path.js';
import { SiteService } from './site.js';

export const SERVER_SOFTWARE = 'NetLab-Workbench/0.1';

export interface LabServerOptions {
  /** TCP port, default 8080 (the lab write-up used 85); 0 picks a free one. */
  port?: number;
  /** 'all' (every interface, IPv4 and IPv6), 'loopback' (127.0.0.1 only) or one local address. */
  host?: string;
  /** Document root; default: the site folder in the data directory, made from the template. */
  root?: string;
  /** Show a listing for directories without index.html (Apache's Options +Indexes). */
  listing?: boolean;
  /** Serve names starting with "." (hidden by default, as Apache's default config hides .ht*). */
  dotfiles?: boolean;
  /** Seconds an idle keep-alive connection stays open (Apache's KeepAliveTimeout, default 5). */
  keepAliveTimeout?: number;
  /** A client must send its complete headers within this many ms (slowloris), default 10 000. */
  headersTimeout?: number;
  /** A whole request must arrive within this many ms, default 30 000. */
  requestTimeout?: number;
  /** Largest request head in bytes, default 16 384 (Node's; Apache's is 8 190 per field line). */
  maxHeaderSize?: number;
  /** Simultaneous connections; more are closed at once. Default 1 024. */
  maxConnections?: number;
  /** Data directory for the default root and logs; default defaultDataDir(). */
  dataDir?: string;
  /** Access log file (Apache combined format); default <dataDir>/logs/access.log; null: none. */
  accessLog?: string | null;
  /** Error log file; default <dataDir>/logs/error.log; null: none. */
  errorLog?: string | null;
  /** Where the page template lives, when the default root must be made. */
  templateDir?: string;
}

export interface ServerStatus {
  running: boolean;
  port?: number;
  host?: string;
  root?: string;
  /** URLs to type on this or another machine, loopback first. */
  urls: string[];
}

export type { AccessLogEntry };

interface Running {
  server: http.Server;
  port: number;
  host: string;
  bound: string;
  root: string;
  listing: boolean;
  dotfiles: boolean;
  accessLog?: WriteStream;
  accessBuf?: LineBuffer;
  errorLog?: WriteStream;
  sockets: Set<Socket>;
}

const CONDITIONAL_OR_RANGE = ['range', 'if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range'];

function err(code: string, message: string, hint: string): LabServerError {
  return new LabServerError(code, message, hint);
}

async function unprivilegedPortStart(): Promise<number> {
  try {
    return Number((await readFile('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')).trim());
  } catch {
    return 1024;
  }
}

function inside(real: string, root: string): boolean {
  const rel = relative(root, real);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Events: every answered request, server-level errors (also in the error log), start/stop. */
export interface LabServerEvents {
  access: [entry: AccessLogEntry];
  error: [error: LabError];
  state: [status: ServerStatus];
}

export class LabServer extends EventEmitter<LabServerEvents> {
  private run: Running | undefined;
  private cache = new FileCache(SERVER_SOFTWARE);

  status(): ServerStatus {
    const r = this.run;
    if (r === undefined) return { running: false, urls: [] };
    return { running: true, port: r.port, host: r.host, root: r.root, urls: localUrls(r.bound, r.port) };
  }

  /** Starts serving; throws a LabServerError ({code, message, hint}) when it cannot. */
  async start(opts: LabServerOptions = {}): Promise<ServerStatus> {
    if (this.run !== undefined) {
      throw err('ERR_SERVER_RUNNING', `The server is already running on port ${this.run.port}.`, 'Stop it first, then start it with the new settings.');
    }
    const port = opts.port ?? 8080;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw err('ERR_PORT_INVALID', `"${String(opts.port)}" is not a TCP port.`, 'Use a whole number from 1 to 65535, for example 8080.');
    }
    const host = opts.host ?? 'all';
    if (host !== 'all' && host !== 'loopback' && isIP(host) === 0) {
      throw err('ERR_ADDRESS_INVALID', `"${host}" is not an IP address.`, 'Use "all", "loopback", or one address of this machine such as 192.168.1.10.');
    }
    const dataDir = opts.dataDir ?? defaultDataDir();
    const root = await this.resolveRoot(opts, dataDir);
    const listing = opts.listing ?? false;
    const dotfiles = opts.dotfiles ?? false;
    const keepAliveS = opts.keepAliveTimeout ?? 5;
    if (!(keepAliveS >= 0 && keepAliveS <= 3600)) {
      throw err('ERR_KEEPALIVE_INVALID', `Keep-alive timeout ${String(keepAliveS)} s is out of range.`, 'Use 0 to 3600 seconds (Apache uses 5).');
    }

    const server = http.createServer({
      keepAliveTimeout: keepAliveS * 1000,
      headersTimeout: opts.headersTimeout ?? 10_000,
      requestTimeout: opts.requestTimeout ?? 30_000,
      maxHeaderSize: opts.maxHeaderSize ?? 16_384,
      // How often Node checks the two timeouts above; its default (30 s) would let a slow client
      // hold a connection for up to 30 s past its deadline.
      connectionsCheckingInterval: 1000,
    });
    server.maxConnections = opts.maxConnections ?? 1024;
    const sockets = new Set<Socket>();
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });

    const bound = await this.listen(server, port, host);
    const actualPort = (server.address() as { port: number }).port;
    const logDir = join(dataDir, 'logs');
    const run: Running = { server, port: actualPort, host, bound, root, listing, dotfiles, sockets };
    try {
      run.accessLog = await this.openLog(opts.accessLog === undefined ? join(logDir, 'access.log') : opts.accessLog);
      if (run.accessLog !== undefined) run.accessBuf = new LineBuffer(run.accessLog);
      run.errorLog = await this.openLog(opts.errorLog === undefined ? join(logDir, 'error.log') : opts.errorLog);
    } catch (e) {
      server.close();
      throw e;
    }
    this.run = run;
    this.cache.clear();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(run, req, res));
    server.on('clientError', (e: NodeJS.ErrnoException, socket: Socket) => this.clientError(run, e, socket));
    server.on('error', (e: NodeJS.ErrnoException) => this.report(run, 'error', `server error: ${e.code ?? ''} ${e.message}`, undefined, true));
    this.logError(run, 'info', `${SERVER_SOFTWARE} serving ${root} on ${bound} port ${actualPort}`);
    const st = this.status();
    this.emit('state', st);
    return st;
  }

  async stop(): Promise<ServerStatus> {
    const r = this.run;
    if (r === undefined) return this.status();
    this.run = undefined;
    this.cache.clear();
    const closed = new Promise<void>((resolve) => r.server.close(() => resolve()));
    r.server.closeAllConnections();
    for (const s of r.sockets) s.destroy();
    await closed;
    this.logError(r, 'info', 'server stopped');
    r.accessBuf?.flush();
    await Promise.all([r.accessLog, r.errorLog].map((w) => w && new Promise<void>((resolve) => w.end(resolve))));
    const st = this.status();
    this.emit('state', st);
    return st;
  }

  private async resolveRoot(opts: LabServerOptions, dataDir: string): Promise<string> {
    let root = opts.root;
    if (root === undefined) {
      const site = new SiteService({ dataDir, templateDir: opts.templateDir });
      root = await site.ensure();
    }
    try {
      const s = await stat(root);
      if (!s.isDirectory()) {
        throw err('ERR_ROOT_NOT_DIRECTORY', `The document root ${root} is a file, not a folder.`, 'Choose the folder that contains index.html.');
      }
      await access(root, fsConstants.R_OK | fsConstants.X_OK);
      return await realpath(root);
    } catch (e) {
      if (e instanceof LabServerError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw err('ERR_ROOT_MISSING', `The document root ${root} does not exist.`, 'Create the folder, choose another one, or leave the root empty to use the app\'s own site folder.');
      }
      if (code === 'EACCES' || code === 'EPERM') {
        throw err('ERR_ROOT_UNREADABLE', `The document root ${root} cannot be read by this user.`, `Give read and execute permission on the folder (chmod a+rx "${root}") or choose another folder.`);
      }
      throw err('ERR_ROOT_UNREADABLE', `The document root ${root} cannot be used: ${(e as Error).message}.`, 'Choose another folder.');
    }
  }

  private async listen(server: http.Server, port: number, host: string): Promise<string> {
    const attempt = (address: string) => new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => { server.off('listening', onListening); reject(e); };
      const onListening = () => { server.off('error', onError); resolve(); };
      server.once('error', onError);
      server.once('listening', onListening);
      // Dual stack: "::" with ipv6Only false also accepts IPv4 (as ::ffff:a.b.c.d).
      server.listen({ port, host: address, ipv6Only: false, exclusive: true });
    });
    const address = host === 'all' ? '::' : host === 'loopback' ? '127.0.0.1' : host;
    try {
      await attempt(address);
      return address;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // No IPv6 on this machine (disabled in the kernel or the namespace): IPv4 only.
      if (address === '::' && (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL')) {
        try {
          await attempt('0.0.0.0');
          return '0.0.0.0';
        } catch (e2) {
          throw await this.bindError(e2 as NodeJS.ErrnoException, port, '0.0.0.0');
        }
      }
      throw await this.bindError(e as NodeJS.ErrnoException, port, address);
    }
  }

  private async bindError(e: NodeJS.ErrnoException, port: number, address: string): Promise<LabServerError> {
    switch (e.code) {
      case 'EADDRINUSE': {
        const { found, holder } = await findPortHolder(port);
        const who = holder !== undefined
          ? `by ${holder.command} (pid ${holder.pid})`
          : found ? 'by another process (this user may not see which; `sudo ss -ltnp` shows it)' : 'by another program';
        return err('ERR_PORT_IN_USE', `Port ${port} is already in use ${who}.`,
          `Stop that program or choose another port, for example ${port === 8080 ? 8081 : 8080}.`);
      }
      case 'EACCES':
      case 'EPERM': {
        const start = await unprivilegedPortStart();
        if (port < start) {
          return err('ERR_PORT_PRIVILEGED', `Port ${port} is below ${start}: only privileged programs may listen on it.`,
            `Choose a port from ${start} up, such as 8080; or allow it once as root: \`sudo setcap cap_net_bind_service=+ep "${process.execPath}"\`, or lower the limit: \`sudo sysctl net.ipv4.ip_unprivileged_port_start=${port}\`.`);
        }
        return err('ERR_BIND_PERMISSION', `This user may not listen on ${address} port ${port} (${e.code}).`, 'Check the firewall or security policy (SELinux, AppArmor) or choose another address or port.');
      }
      case 'EADDRNOTAVAIL':
        return err('ERR_ADDRESS_NOT_AVAILABLE', `${address} is not an address of this machine.`,
          `Choose "all", "loopback" or one of: ${localUrls('::', port).map((u) => new URL(u).hostname).join(', ')}.`);
      default:
        return err('ERR_LISTEN', `Cannot listen on ${address} port ${port}: ${e.message}.`, 'Choose another port or address.');
    }
  }

  private async openLog(file: string | null): Promise<WriteStream | undefined> {
    if (file === null) return undefined;
    try {
      await mkdir(dirname(file), { recursive: true });
      const w = createWriteStream(file, { flags: 'a' });
      await new Promise<void>((resolve, reject) => { w.once('open', () => resolve()); w.once('error', reject); });
      w.on('error', (e) => this.emitError({ code: 'ERR_LOG_WRITE', message: `Cannot write the log ${file}: ${e.message}.`, hint: 'Check the disk space and the folder permissions.' }));
      return w;
    } catch (e) {
      throw err('ERR_LOG_OPEN', `Cannot open the log file ${file}: ${(e as Error).message}.`, 'Choose a writable data folder (NETLAB_DATA_DIR) or check its permissions.');
    }
  }

  private emitError(e: LabError): void {
    // An 'error' event without a listener would throw (EventEmitter semantics); the log has it anyway.
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }

  private logError(r: Running, level: 'error' | 'warn' | 'info', message: string, client?: string): void {
    r.errorLog?.write(errorLogLine(level, message, client) + '\n');
  }

  private report(r: Running, level: 'error' | 'warn', message: string, client?: string, toUi = false): void {
    this.logError(r, level, message, client);
    if (toUi) this.emitError({ code: 'ERR_SERVER', message, hint: 'See the error log for details.' });
  }

  private clientError(r: Running, e: NodeJS.ErrnoException, socket: Socket): void {
    const client = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (e.code !== 'ECONNRESET') this.logError(r, 'warn', `bad or slow client: ${e.code ?? ''} ${e.message}`, client);
    if (!socket.writable || e.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
      : e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nServer: ${SERVER_SOFTWARE}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  }

  private handle(r: Running, req: IncomingMessage, res: ServerResponse): void {
    const startMs = Date.now();
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      this.finish(r, req, res, startMs, () => this.sendError(req, res, 405, { Allow: 'GET, HEAD' }));
      return;
    }
    const sp = safePath(req.url ?? '', { dotfiles: r.dotfiles });
    if (!sp.ok) {
      this.logError(r, 'warn', `refused ${req.url ?? ''}: ${sp.reason}`, req.socket.remoteAddress);
      this.finish(r, req, res, startMs, () => this.sendError(req, res, sp.status));
      return;
    }
    const h = req.headers;
    if (!CONDITIONAL_OR_RANGE.some((k) => h[k] !== undefined)) {
      const hit = this.cache.get(sp.path, startMs);
      if (hit !== undefined) {
        res.writeHead(200, hit.head);
        res.end(method === 'HEAD' ? undefined : hit.body);
        this.log(r, req, 200, method === 'HEAD' ? 0 : hit.body.length, startMs);
        return;
      }
    }
    this.finish(r, req, res, startMs, () => this.serveFile(r, req, res, sp.path, sp.trailingSlash));
  }

  /** Runs a response producer and logs the request when the response is done. */
  private finish(r: Running, req: IncomingMessage, res: ServerResponse, startMs: number, produce: () => void | Promise<void>): void {
    res.once('close', () => {
      const noBody = req.method === 'HEAD' || res.statusCode === 304 || res.statusCode === 204;
      const bytes = noBody ? 0 : Number(res.getHeader('content-length') ?? 0) || 0;
      this.log(r, req, res.statusCode, bytes, startMs);
    });
    Promise.resolve()
      .then(produce)
      .catch((e: unknown) => {
        this.logError(r, 'error', `internal error on ${JSON.stringify(req.url)}: ${(e as Error).message}`, req.socket.remoteAddress);
        this.sendError(req, res, 500);
      });
  }

  private log(r: Running, req: IncomingMessage, status: number, bytes: number, startMs: number): void {
    if (r.accessLog === undefined && this.listenerCount('access') === 0) return;
    const h = req.headers;
    const remote = req.socket.remoteAddress ?? '-';
    const facts: AccessFacts = {
      // Dual-stack sockets see IPv4 clients as ::ffff:a.b.c.d; Apache logs a.b.c.d.
      remote: remote.startsWith('::ffff:') ? remote.slice(7) : remote,
      startMs,
      method: req.method ?? '-',
      url: req.url ?? '-',
      httpVersion: req.httpVersion,
      status,
      bytes,
      referer: h.referer,
      userAgent: h['user-agent'],
    };
    const line = accessLine(facts);
    r.accessBuf?.add(line);
    if (this.listenerCount('access') > 0) this.emit('access', accessEntry(facts, line));
  }

  private async serveFile(r: Running, req: IncomingMessage, res: ServerResponse, urlPath: string, trailingSlash: boolean): Promise<void> {
    const isDirPath = trailingSlash || urlPath === '/';
    const target = isDirPath ? `${urlPath.replace(/\/$/, '')}/index.html` : urlPath;
    const client = req.socket.remoteAddress;
    let real: string;
    try {
      real = await realpath(join(r.root, target));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && isDirPath && r.listing) return this.listDirectory(r, req, res, urlPath);
      if (code === 'ENOENT' || code === 'ENOTDIR') return this.sendError(req, res, 404);
      if (code === 'EACCES' || code === 'EPERM') {
        this.logError(r, 'error', `permission denied reading ${target}`, client);
        return this.sendError(req, res, 403);
      }
      throw e;
    }
    // Symlinks may point anywhere; only what resolves inside the root is served.
    if (!inside(real, r.root)) {
      this.logError(r, 'warn', `refused ${req.url ?? ''}: symlink to ${real} outside the document root`, client);
      return this.sendError(req, res, 403);
    }
    if (!r.dotfiles && relative(r.root, real).split(sep).some((s) => s.startsWith('.'))) return this.sendError(req, res, 404);
    // `send` decodes its path once more, so it gets the already-decoded segments re-encoded:
    // handing it decoded text would be the double decoding of CVE-2021-42013.
    const encoded = target.split('/').map((s) => encodeURIComponent(s)).join('/');
    const stream = send(req, encoded, {
      root: r.root, index: false, dotfiles: r.dotfiles ? 'allow' : 'ignore', etag: true, lastModified: true,
      acceptRanges: true, cacheControl: true, maxAge: 0,
    });
    stream.on('error', (e: { status?: number; headers?: Record<string, string> }) => {
      if ((e.status ?? 500) >= 500) this.logError(r, 'error', `error sending ${target}: ${String((e as Error).message)}`, client);
      this.sendError(req, res, e.status ?? 500, e.headers);
    });
    stream.on('directory', () => {
      // Apache's mod_dir: a directory without its trailing slash is redirected to it (301).
      const loc = urlPath.split('/').map((s) => encodeURIComponent(s)).join('/') + '/';
      res.statusCode = 301;
      res.setHeader('Server', SERVER_SOFTWARE);
      res.setHeader('Location', loc);
      this.sendPage(req, res, `<!doctype html><title>301 Moved Permanently</title><p>Moved to <a href="${loc}">${loc}</a>.</p>\n`);
    });
    stream.on('file', (file: string, s: Stats) => this.cache.offer(urlPath, file, s));
    res.setHeader('Server', SERVER_SOFTWARE);
    stream.pipe(res);
  }

  private async listDirectory(r: Running, req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
    let dir: string;
    try {
      dir = await realpath(join(r.root, urlPath));
    } catch {
      return this.sendError(req, res, 404);
    }
    if (!inside(dir, r.root) || !(await stat(dir)).isDirectory()) return this.sendError(req, res, 404);
    const entries: ListingEntry[] = [];
    for (const d of await readdir(dir, { withFileTypes: true })) {
      if (!r.dotfiles && d.name.startsWith('.')) continue;
      try {
        const s = await stat(join(dir, d.name));
        entries.push({ name: d.name, dir: s.isDirectory(), size: s.size, mtime: s.mtime });
      } catch { /* dangling symlink: not listed */ }
    }
    res.statusCode = 200;
    res.setHeader('Server', SERVER_SOFTWARE);
    this.sendPage(req, res, listingPage(urlPath, entries, `${SERVER_SOFTWARE} Server`));
  }

  private sendPage(req: IncomingMessage, res: ServerResponse, html: string): void {
    const body = Buffer.from(html, 'utf8');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private sendError(req: IncomingMessage, res: ServerResponse, status: number, headers?: Record<string, string>): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.statusCode = status;
    res.setHeader('Server', SERVER_SOFTWARE);
    for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    this.sendPage(req, res, errorPage(status, `${SERVER_SOFTWARE} Server`));
  }
}
