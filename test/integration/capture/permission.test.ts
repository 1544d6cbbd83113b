// Proof (4) of issue 7: the helper run by an unprivileged user fails with a machine-readable
// ERR_CAPTURE_PERMISSION carrying the platform's fix; with `setcap cap_net_raw,cap_net_admin+eip` on
// that helper alone, the same user captures. Real user (useradd), real runuser, real libpcap.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperStreamParser, type HelperEvent } from '../../../native/helper-protocol.js';
import { HELPER, sh, shQuiet, tmp, waitFor } from './helpers.js';

const USER = 'nlfcapuser';

function runAsUser(helper: string, args: string[]): { status: number | null; events: HelperEvent[]; stderr: string } {
  const r = spawnSync('runuser', ['-u', USER, '--', helper, ...args], { input: '', timeout: 20_000 });
  return { status: r.status, events: new HelperStreamParser().push(r.stdout), stderr: r.stderr.toString() };
}

describe('capture helper without privileges', () => {
  const dir = tmp('perm');
  // A copy: file capabilities belong to one file, and a copy starts without any.
  const helper = join(dir, 'netlab-capture');

  beforeAll(() => {
    shQuiet('userdel', ['-r', USER]);
    sh('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
    chmodSync(dir, 0o755);
    copyFileSync(HELPER, helper);
    chmodSync(helper, 0o755);
  });
  afterAll(() => {
    shQuiet('userdel', [USER]);
  });

  it('fails with ERR_CAPTURE_PERMISSION and the setcap fix, on stdout (framed) and stderr (JSON)', () => {
    expect(execFileSync('getcap', [helper], { encoding: 'utf8' }).trim()).toBe('');
    const r = runAsUser(helper, ['-i', 'lo']);
    expect(r.status).toBe(1);
    const err = r.events.find((e) => e.type === 'error');
    expect(err).toBeDefined();
    const info = (err as Extract<HelperEvent, { type: 'error' }>).error;
    expect(info.code).toBe('ERR_CAPTURE_PERMISSION');
    expect(info.message).toMatch(/permission|Operation not permitted/i);
    expect(info.hint).toContain('setcap cap_net_raw,cap_net_admin+eip');
    expect(info.hint).toMatch(/never node or electron/);
    expect(r.events.at(-1)).toEqual({ type: 'end', reason: 'error' });
    const line = JSON.parse(r.stderr.trim().split('\n')[0]!) as { code: string; hint: string };
    expect(line.code).toBe('ERR_CAPTURE_PERMISSION');
  });

  it('captures as the same user once the helper alone has the capabilities', async () => {
    sh('setcap', ['cap_net_raw,cap_net_admin+eip', helper]);
    // stdin stays open: its end would tell the helper to stop.
    const child = spawn('runuser', ['-u', USER, '--', helper, '-i', 'lo', '-f', 'icmp', '-c', '2'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const parser = new HelperStreamParser();
    const events: HelperEvent[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => events.push(...parser.push(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await waitFor(() => events.length > 0, 'the helper to open lo');
    execFileSync('ping', ['-c', '2', '-i', '0.2', '127.0.0.1'], { stdio: 'ignore' });
    const status = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
    if (status === 'timeout') child.kill('SIGKILL');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(events[0]).toMatchObject({ type: 'hello', hello: { device: 'lo', linkType: 1, tsPrecision: 'nano' } });
    const count = events.filter((e) => e.type === 'records').reduce((n, e) => n + (e as { count: number }).count, 0);
    expect(count).toBe(2);
    expect(events.at(-1)).toEqual({ type: 'end', reason: 'count' });
  });
});
