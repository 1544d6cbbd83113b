// The browser-mode carrier of the API (`netlab ui`): an HTTP server on 127.0.0.1 that serves the built
// renderer, and a WebSocket endpoint carrying the same Wire messages as Electron IPC.
//
// Who may connect: only a page that knows this run's random token (printed once, in the URL), whose
// Origin is this very server, reached under a loopback Host name. The Origin check stops other web
// sites open in the same browser from talking to the bridge (cross-site WebSocket hijacking); the
// Host check stops DNS rebinding; the token stops other local users and pages.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiHost, Carrier, Wire } from './channel.js';
import { apiError, type ApiError } from './errors.js';
import { decodeWire, encodeWire } from './ws-codec.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The renderer's CSP in browser mode; the Electron shell sets the same policy (electron/security.ts). */
export function browserCsp(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface UiServerOptions {
  host: ApiHost;
  /** Folder of the built renderer (dist/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
}

export interface UiServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  let port = opts.port;

  const tokenOk = (t: string | null) => {
    if (t === null) return false;
    const b = Buffer.from(t);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };
  const hostOk = (h: string | undefined) => h === `127.0.0.1:${port}` || h === `localhost:${port}`;

  const server: Server = createServer((req, res) => {
    void serveStatic(req, res, opts.staticDir, port, hostOk);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    const originOk = origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/api' || !hostOk(req.headers.host) || !originOk || !tokenOk(url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => opts.host.connect(wsCarrier(ws)));
  });

  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(bindError(e, opts.port)));
    server.listen(opts.port, '127.0.0.1', () => {
      const addr = server.address();
      port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;
      resolve({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        close: () => new Promise<void>((done) => {
          for (const c of wss.clients) c.terminate();
          wss.close();
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

function bindError(e: NodeJS.ErrnoException, port: number): ApiError {
  if (e.code === 'EADDRINUSE') {
    return apiError('ERR_PORT_IN_USE', `Port ${port} on 127.0.0.1 is already in use.`, 'Choose another port with --port N, or leave --port out to pick a free one.');
  }
  if (e.code === 'EACCES') {
    return apiError('ERR_PORT_PRIVILEGED', `Port ${port} needs privileges this user does not have.`, 'Use a port of 1024 or above, e.g. --port 27080.');
  }
  return apiError('ERR_UI_SERVER', `Cannot listen on 127.0.0.1:${port}: ${e.message}`, 'Try another port with --port N.');
}

function wsCarrier(ws: WebSocket): Carrier {
  const listeners = new Set<(m: Wire) => void>();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    let msg: Wire;
    try {
      msg = decodeWire(isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data.toString('utf8'));
    } catch {
      // A peer that speaks garbage is not our renderer: drop it.
      ws.close(1008, 'malformed message');
      return;
    }
    for (const l of [...listeners]) l(msg);
  });
  return {
    send(msg) {
      if (ws.readyState === ws.OPEN) ws.send(encodeWire(msg));
    },
    onMessage(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onClose(l) {
      ws.on('close', l);
      return () => ws.off('close', l);
    },
  };
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, port: number, hostOk: (h: string | undefined) => boolean): Promise<void> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
  if (!hostOk(req.headers.host)) {
    res.writeHead(421, { ...headers, 'Content-Type': 'text/plain' }).end('Misdirected request: use http://127.0.0.1 as printed by netlab ui.\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  if (path.includes('\0')) {
    res.writeHead(400, headers).end();
    return;
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(root, path));
  if (!file.startsWith(normalize(root) + sep)) {
    res.writeHead(404, headers).end();
    return;
  }
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = browserCsp(port);
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(st.size) });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found\n');
  }
}
