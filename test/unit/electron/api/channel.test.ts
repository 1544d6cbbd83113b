import { describe, expect, it } from 'vitest';
import { ApiHost, createApiClient, unwrap } from '../../../../electron/api/channel.js';
import type { ApiImpl } from '../../../../electron/api/contract.js';
import { ApiFailure, apiError } from '../../../../electron/api/errors.js';
import { createMemoryPair } from '../../../../electron/api/memory-carrier.js';

// A small real implementation: each method does what a test can check, nothing is mocked away.
function impl(seen: unknown[]): Partial<ApiImpl> {
  return {
    'server.start': async (req) => {
      seen.push(req);
      return { running: true, port: req.port, host: req.host, urls: [`http://127.0.0.1:${req.port}/`] };
    },
    'server.stop': async () => {
      throw new ApiFailure(apiError('ERR_NOT_RUNNING', 'The server is not running.', 'Start it first.'));
    },
    'server.status': async () => {
      throw new Error('boom');
    },
    'file.read': async (req) => {
      const b = new Uint8Array(req.max > 8 ? 8 : req.max).map((_, i) => i + req.id);
      return { bytes: b.buffer, eof: true };
    },
  };
}

function setup() {
  const seen: unknown[] = [];
  const host = new ApiHost(impl(seen) as ApiImpl);
  const [a, b] = createMemoryPair();
  host.connect(a);
  const api = createApiClient(b);
  return { host, api, seen, a, b };
}

describe('ApiHost + client over the in-memory carrier', () => {
  it('validates requests and applies defaults before the implementation sees them', async () => {
    const { api, seen } = setup();
    const r = await api.call('server.start', { port: 27001 });
    expect(r).toEqual({ ok: true, value: { running: true, port: 27001, host: 'all', urls: ['http://127.0.0.1:27001/'] } });
    expect(seen).toEqual([{ port: 27001, host: 'all' }]);
  });

  it('rejects a bad request with ERR_BAD_REQUEST naming the field, without calling the service', async () => {
    const { api, seen } = setup();
    const r = await api.call('server.start', { port: 70000 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('ERR_BAD_REQUEST');
      expect(r.error.message).toMatch(/^server\.start: port: /);
      expect(r.error.hint).not.toBe('');
    }
    const extra = await api.call('server.start', { port: 1, evil: true } as never);
    expect(extra.ok).toBe(false);
    expect(seen).toEqual([]);
  });

  it('returns unknown methods and thrown errors as values, never as stack traces', async () => {
    const { api } = setup();
    const u = await api.call('nope.never' as never);
    expect(u).toMatchObject({ ok: false, error: { code: 'ERR_UNKNOWN_METHOD' } });
    const f = await api.call('server.stop');
    expect(f).toEqual({ ok: false, error: { code: 'ERR_NOT_RUNNING', message: 'The server is not running.', hint: 'Start it first.' } });
    const bug = await api.call('server.status');
    expect(bug).toMatchObject({ ok: false, error: { code: 'ERR_INTERNAL', message: 'Internal error: boom' } });
    if (!bug.ok) expect(bug.error.message).not.toMatch(/at .*\.ts/);
    expect(() => unwrap(f)).toThrow(ApiFailure);
  });

  it('carries ArrayBuffers in results and broadcasts events to every peer', async () => {
    const { host, api } = setup();
    const r = unwrap(await api.call('file.read', { id: 3, max: 4096 }));
    expect(r.bytes).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(r.bytes)]).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);

    const [c, d] = createMemoryPair();
    host.connect(c);
    const api2 = createApiClient(d);
    const got: number[] = [];
    api.on('capture.stats', (s) => got.push(s.captured));
    const off = api2.on('capture.stats', (s) => got.push(s.captured * 10));
    host.emit('capture.stats', { id: 1, captured: 5, dropped: 0, ifDropped: 0 });
    await new Promise((r) => setTimeout(r, 0));
    off();
    host.emit('capture.stats', { id: 1, captured: 6, dropped: 0, ifDropped: 0 });
    await new Promise((r) => setTimeout(r, 0));
    expect(got.sort((x, y) => x - y)).toEqual([5, 6, 50]);
  });

  it('fails pending calls with ERR_DISCONNECTED when the carrier closes, and forgets the peer', async () => {
    const { host, api, a } = setup();
    expect(host.peerCount).toBe(1);
    const p = api.call('server.start', { port: 27002 });
    a.close();
    expect(await p).toMatchObject({ ok: false, error: { code: 'ERR_DISCONNECTED' } });
    expect(host.peerCount).toBe(0);
  });
});
