// The browser-mode carrier for real: an HTTP + WebSocket server on 127.0.0.1 (on a port the kernel
// picks, as `netlab ui` does by default), a real `ws` client, the real backend reading a real file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBackend } from '../../../electron/api/backend.js';
import { ApiHost, type Carrier, type Wire, createApiClient, unwrap } from '../../../electron/api/channel.js';
import { decodeWire, encodeWire } from '../../../electron/api/ws-codec.js';
import { type UiServer, startUiServer } from '../../../electron/api/ws-bridge.js';

let port: number;
let dir: string;
let ui: UiServer;
let host: ApiHost;

function connect(url: string, origin: string): Promise<Carrier> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    const ls = new Set<(m: Wire) => void>();
    ws.on('message', (d: Buffer, bin: boolean) => {
      const m = decodeWire(bin ? new Uint8Array(d) : d.toString());
      for (const l of ls) l(m);
    });
    ws.on('open', () => resolve({
      send: (m) => ws.send(encodeWire(m)),
      onMessage: (l) => (ls.add(l), () => ls.delete(l)),
      onClose: (l) => (ws.on('close', l), () => ws.off('close', l)),
    }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nlH-bridge-'));
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET-MARKER');
  host = new ApiHost(createBackend(() => host, { mode: 'browser', root: process.cwd() }));
  ui = await startUiServer({ host, staticDir: join(dir, 'www'), port: 0 });
  port = Number(new URL(ui.url).port);
});
afterAll(async () => {
  await ui?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('netlab ui bridge (real HTTP + WebSocket on 127.0.0.1)', () => {
  it('serves the renderer with a strict CSP and nothing outside its folder', async () => {
    expect(port).toBeGreaterThan(0);
    expect(ui.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{32}$`));
    const r = await fetch(`http://127.0.0.1:${port}/`);
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00']) {
      const res = await fetch(`http://127.0.0.1:${port}${p}`);
      expect([400, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('SECRET-MARKER');
    }
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    const base = `ws://127.0.0.1:${port}/api`;
    const origin = `http://127.0.0.1:${port}`;
    await expect(connect(base, origin)).rejects.toThrow('HTTP 403');
    await expect(connect(`${base}?token=${'x'.repeat(32)}`, origin)).rejects.toThrow('HTTP 403');
    await expect(connect(`${base}?token=${ui.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
    expect(host.peerCount).toBe(0);
  });

  it('carries calls, validation errors and file bytes (pulled in chunks) to an authorised page', async () => {
    const c = await connect(`ws://127.0.0.1:${port}/api?token=${ui.token}`, `http://127.0.0.1:${port}`);
    const api = createApiClient(c);
    const info = unwrap(await api.call('app.info'));
    expect(info.mode).toBe('browser');
    const bad = await api.call('file.read', { id: -1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'ERR_BAD_REQUEST' } });
    const missing = await api.call('file.open', { path: join(dir, 'nope.pcap') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'ERR_FILE_NOT_FOUND' } });

    const big = new Uint8Array(3 * 1024 * 1024 + 123).map((_, i) => (i * 31) & 0xff);
    writeFileSync(join(dir, 'big.bin'), big);
    const f = unwrap(await api.call('file.open', { path: join(dir, 'big.bin') }));
    expect(f).toMatchObject({ name: 'big.bin', size: big.length });
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 10; i++) {
      const r = unwrap(await api.call('file.read', { id: f.id }));
      parts.push(new Uint8Array(r.bytes));
      if (r.eof) break;
    }
    expect(parts.length).toBe(4);
    expect(Buffer.concat(parts).equals(Buffer.from(big))).toBe(true);
    const after = await api.call('file.read', { id: f.id });
    expect(after).toMatchObject({ ok: false, error: { code: 'ERR_FILE_CLOSED' } });
    api.dispose();
  });
});
