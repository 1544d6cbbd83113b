// The lab server behaves like a real web server (issue 6): conditional requests, ranges, HEAD,
// keep-alive, 405/404/416 pages, redirects, limits against slow and oversized clients, and the access
// log in Apache's combined format. The real LabServer on loopback, spoken to over raw TCP sockets.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabServer, type AccessLogEntry } from '../../../electron/services/lab-server/index.js';
import { get, makeSite, parseResponse, rawHttp, STUDENT } from './helpers.js';

const PORT = 24310;
let dir = '';
let site = '';
let logo: Buffer;
const server = new LabServer();
const entries: AccessLogEntry[] = [];

beforeAll(async () => {
  ({ dir, site, logo } = await makeSite('nlE-http-'));
  mkdirSync(join(site, 'sub'));
  writeFileSync(join(site, 'sub', 'a.txt'), 'a\n');
  server.on('access', (e) => entries.push(e));
  const st = await server.start({ root: site, port: PORT, host: 'loopback', keepAliveTimeout: 2, headersTimeout: 1500, dataDir: dir });
  expect(st).toMatchObject({ running: true, port: PORT, host: 'loopback', urls: [`http://127.0.0.1:${PORT}/`] });
});

afterAll(async () => {
  expect((await server.stop()).running).toBe(false);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const headersWithoutDate = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'date'));

describe('static serving', () => {
  it('serves the page with validators, and the cached answer equals the one from send', async () => {
    const first = await rawHttp(PORT, get('/'));
    expect(first.status).toBe(200);
    expect(first.headers).toMatchObject({ server: expect.stringMatching(/^NetLab-Workbench\//), 'content-type': 'text/html; charset=utf-8', 'accept-ranges': 'bytes' });
    expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(new Date(first.headers['last-modified']!).getTime()).toBeGreaterThan(0);
    expect(first.body.toString()).toContain(STUDENT.studentId);
    await new Promise((r) => setTimeout(r, 100)); // the cache fills after the first answer
    const second = await rawHttp(PORT, get('/'));
    expect(headersWithoutDate(second.headers)).toEqual(headersWithoutDate(first.headers));
    expect(second.body.equals(first.body)).toBe(true);
    const png = await rawHttp(PORT, get('/logo.png'));
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.body.equals(logo)).toBe(true);
  });

  it('answers 304 to If-None-Match and If-Modified-Since, 200 to a stale ETag', async () => {
    const { headers } = await rawHttp(PORT, get('/logo.png'));
    const inm = await rawHttp(PORT, get('/logo.png', `If-None-Match: ${headers.etag!}\r\n`));
    expect(inm.status).toBe(304);
    expect(inm.body.length).toBe(0);
    expect(inm.headers.etag).toBe(headers.etag);
    const ims = await rawHttp(PORT, get('/logo.png', `If-Modified-Since: ${headers['last-modified']!}\r\n`));
    expect(ims.status).toBe(304);
    const stale = await rawHttp(PORT, get('/logo.png', 'If-None-Match: W/"0-0"\r\n'));
    expect(stale.status).toBe(200);
    expect(stale.body.equals(logo)).toBe(true);
  });

  it('answers ranges with 206 and unsatisfiable ranges with 416', async () => {
    const first = await rawHttp(PORT, get('/logo.png', 'Range: bytes=0-99\r\n'));
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-99/${logo.length}`);
    expect(first.body.equals(logo.subarray(0, 100))).toBe(true);
    const tail = await rawHttp(PORT, get('/logo.png', 'Range: bytes=-10\r\n'));
    expect(tail.status).toBe(206);
    expect(tail.body.equals(logo.subarray(logo.length - 10))).toBe(true);
    const bad = await rawHttp(PORT, get('/logo.png', `Range: bytes=${logo.length + 10}-\r\n`));
    expect(bad.status).toBe(416);
    expect(bad.headers['content-range']).toBe(`bytes */${logo.length}`);
    expect(bad.body.toString()).toContain('Range Not Satisfiable');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await rawHttp(PORT, `HEAD /logo.png HTTP/1.1\r\nHost: lab.test\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(logo.length));
    expect(res.body.length).toBe(0);
  });

  it('refuses other methods with 405 and an Allow header', async () => {
    for (const m of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']) {
      const res = await rawHttp(PORT, `${m} / HTTP/1.1\r\nHost: lab.test\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc`);
      expect(res.status, m).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.body.toString()).toContain('Method Not Allowed');
    }
  });

  it('has a 404 page, redirects a directory to its slash, and lists nothing when listing is off', async () => {
    const missing = await rawHttp(PORT, get('/missing.html'));
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.body.toString()).toMatch(/<h1>Not Found<\/h1>[\s\S]*NetLab-Workbench/);
    const dirNoSlash = await rawHttp(PORT, get('/sub?x=1'));
    expect(dirNoSlash.status).toBe(301);
    expect(dirNoSlash.headers.location).toBe('/sub/');
    expect((await rawHttp(PORT, get('/sub/'))).status).toBe(404);
  });
});

describe('the response cache in front of send', () => {
  const poll = async (target: string, until: (body: string, status: number) => boolean, ms = 4000) => {
    const end = Date.now() + ms;
    for (;;) {
      const r = await rawHttp(PORT, get(target));
      if (until(r.body.toString(), r.status) || Date.now() > end) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
  };

  it('shows an edited file within about a second, and at once to a conditional reload', async () => {
    const file = join(site, 'sub', 'page.html');
    writeFileSync(file, '<p>version one</p>');
    const v1 = await rawHttp(PORT, get('/sub/page.html'));
    await new Promise((r) => setTimeout(r, 100));
    expect((await rawHttp(PORT, get('/sub/page.html'))).body.toString()).toBe('<p>version one</p>');
    writeFileSync(file, '<p>version two, longer</p>');
    // A browser reload sends If-None-Match: that goes to send, which sees the new file immediately.
    const reload = await rawHttp(PORT, get('/sub/page.html', `If-None-Match: ${v1.headers.etag!}\r\n`));
    expect(reload.status).toBe(200);
    expect(reload.body.toString()).toBe('<p>version two, longer</p>');
    const t0 = Date.now();
    const r = await poll('/sub/page.html', (b) => b.includes('version two'));
    expect(r.body.toString()).toBe('<p>version two, longer</p>');
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('stops serving a cached file that was replaced by a symlink out of the root', async () => {
    const file = join(site, 'sub', 'swap.txt');
    writeFileSync(file, 'inside\n');
    writeFileSync(join(dir, 'outside-secret.txt'), 'NLE-CACHE-SECRET\n');
    await rawHttp(PORT, get('/sub/swap.txt'));
    await new Promise((r) => setTimeout(r, 100));
    expect((await rawHttp(PORT, get('/sub/swap.txt'))).body.toString()).toBe('inside\n');
    rmSync(file);
    symlinkSync(join(dir, 'outside-secret.txt'), file);
    const r = await poll('/sub/swap.txt', (_b, st) => st !== 200);
    expect(r.status).toBe(403);
    expect(r.raw.toString()).not.toContain('NLE-CACHE-SECRET');
  });
});

describe('connections', () => {
  it('reuses one keep-alive connection and closes it after the configured idle time', async () => {
    const s = net.connect(PORT, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    let buf = Buffer.alloc(0);
    s.on('data', (d) => { buf = Buffer.concat([buf, d]); });
    const closed = new Promise<number>((r) => s.once('close', () => r(Date.now())));
    const waitFor = async (n: number) => {
      for (let i = 0; i < 100 && buf.toString('latin1').split('HTTP/1.1 200').length - 1 < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    s.write('GET / HTTP/1.1\r\nHost: lab.test\r\n\r\n');
    await waitFor(1);
    const r1 = parseResponse(buf);
    expect(r1.headers['keep-alive']).toBe('timeout=2');
    s.write('GET /logo.png HTTP/1.1\r\nHost: lab.test\r\n\r\n');
    await waitFor(2);
    const idleFrom = Date.now();
    expect(buf.toString('latin1').match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    const closedAt = await closed;
    // Node closes an idle socket at keepAliveTimeout (2 s) plus its own 1 s grace for in-flight requests.
    expect(closedAt - idleFrom).toBeGreaterThan(1500);
    expect(closedAt - idleFrom).toBeLessThan(6000);
  });

  it('drops a client that does not finish its headers (slowloris) after the headers timeout', async () => {
    const s = net.connect(PORT, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    const start = Date.now();
    let answer = '';
    s.on('data', (d) => { answer += d.toString('latin1'); });
    s.on('error', () => {});
    s.write('GET / HTTP/1.1\r\nHost: lab.test\r\nX-Slow: ');
    const timer = setInterval(() => { if (!s.destroyed) s.write('a'); }, 300);
    await new Promise((r) => s.once('close', r));
    clearInterval(timer);
    const took = Date.now() - start;
    expect(took).toBeGreaterThan(1000);
    expect(took).toBeLessThan(5000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
  });

  it('answers 431 to a request head larger than the limit', async () => {
    const res = await rawHttp(PORT, get('/', `X-Big: ${'a'.repeat(20_000)}\r\n`));
    expect(res.status).toBe(431);
  });
});

describe('logs', () => {
  it('writes the access log in Apache combined format and emits the same entries', async () => {
    await rawHttp(PORT, get('/logo.png', 'Referer: http://lab.test/\r\nUser-Agent: nlE "quoted" agent\r\n'));
    await new Promise((r) => setTimeout(r, 100));
    const lines = readFileSync(join(dir, 'logs', 'access.log'), 'utf8').trim().split('\n');
    const combined = /^(\S+) - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "([^"\\]|\\.)*" \d{3} (\d+|-) "([^"\\]|\\.)*" "([^"\\]|\\.)*"$/;
    for (const l of lines) expect(l).toMatch(combined);
    const last = lines[lines.length - 1]!;
    expect(last).toMatch(new RegExp(`^127\\.0\\.0\\.1 - - \\[.*\\] "GET /logo\\.png HTTP/1\\.1" 200 ${logo.length} "http://lab\\.test/" "nlE \\\\"quoted\\\\" agent"$`));
    expect(lines.some((l) => / "HEAD \/logo\.png HTTP\/1\.1" 200 - /.test(l))).toBe(true);
    expect(lines.some((l) => / "POST \/ HTTP\/1\.1" 405 \d+ /.test(l))).toBe(true);
    expect(entries.map((e) => e.line)).toEqual(lines);
    expect(entries[entries.length - 1]).toMatchObject({ remote: '127.0.0.1', method: 'GET', url: '/logo.png', status: 200, bytes: logo.length });
  });

  it('keeps an error log of refused and failed requests', async () => {
    await rawHttp(PORT, get('/%2e%2e/x'));
    await new Promise((r) => setTimeout(r, 100));
    const log = readFileSync(join(dir, 'logs', 'error.log'), 'utf8');
    expect(log).toMatch(/^\[\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2}\.\d{6} \d{4}\] \[netlab:info\] \[pid \d+\] NetLab-Workbench\/\S+ serving /m);
    expect(log).toMatch(/\[netlab:warn\] \[pid \d+\] \[client 127\.0\.0\.1\] refused \/%2e%2e\/x: parent directory segment/);
    expect(log).toMatch(/bad or slow client: ERR_HTTP_REQUEST_TIMEOUT|HPE_HEADER_OVERFLOW/);
  });
});
