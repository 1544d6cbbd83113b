// The start failures a student meets, with the documented {code, message, hint}, through the real
// `netlab serve`: a port held by a real listener (named with its pid and command), a privileged port
// for an unprivileged user (a user this test creates, in a namespace of its own so the kernel's
// default ip_unprivileged_port_start of 1024 applies), a missing or unreadable root, a foreign address.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabServer } from '../../../electron/services/lab-server/index.js';
import { serve, sh, spawnSyncSh } from './helpers.js';

const HELD_PORT = 24320;
const USER = 'nle-test';
const NS = 'nlE-priv';

let dir = '';
let holder: ChildProcess | undefined;
let createdUser = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nlE-err-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'site'));
  // A real listener that is not us: Python's http.server on the port.
  holder = spawn('python3', ['-m', 'http.server', String(HELD_PORT), '--bind', '127.0.0.1', '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('python3 http.server did not start')), 10_000);
    const check = setInterval(() => {
      if (spawnSyncSh(`ss -ltnH 'sport = :${HELD_PORT}'`).stdout.trim() !== '') { clearInterval(check); clearTimeout(t); resolve(); }
    }, 100);
  });
  if (spawnSyncSh(`id -u ${USER}`).status !== 0) {
    sh(`useradd --system --no-create-home --shell /usr/sbin/nologin ${USER}`);
    createdUser = true;
  }
  spawnSyncSh(`ip netns del ${NS} 2>/dev/null`);
  sh(`ip netns add ${NS} && ip -n ${NS} link set lo up`);
});

afterAll(() => {
  holder?.kill('SIGTERM');
  spawnSyncSh(`ip netns del ${NS} 2>/dev/null`);
  if (createdUser) spawnSyncSh(`userdel ${USER}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('netlab serve start errors', () => {
  it('ERR_PORT_IN_USE names the process that holds the port', async () => {
    for (const host of ['loopback', 'all']) {
      const r = await serve(['--root', join(dir, 'site'), '--port', String(HELD_PORT), '--host', host], { env: { NETLAB_DATA_DIR: dir } });
      expect(r.served, host).toBeUndefined();
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`netlab serve: Port ${HELD_PORT} is already in use by python3 (pid ${holder!.pid}). (ERR_PORT_IN_USE)`);
      expect(r.stderr).toMatch(/Hint: Stop that program or choose another port, for example 8080\./);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('the service itself throws the same error as a value', async () => {
    const s = new LabServer();
    await expect(s.start({ root: join(dir, 'site'), port: HELD_PORT, host: 'loopback', dataDir: dir })).rejects.toMatchObject({
      code: 'ERR_PORT_IN_USE', message: `Port ${HELD_PORT} is already in use by python3 (pid ${holder!.pid}).`, hint: expect.any(String),
    });
    expect(s.status().running).toBe(false);
  });

  it('ERR_PORT_PRIVILEGED for port 85 as an unprivileged user, with the ways out', async () => {
    const r = await serve(['--root', join(dir, 'site'), '--port', '85'], {
      prefix: ['ip', 'netns', 'exec', NS, 'runuser', '-u', USER, '--'], env: { NETLAB_DATA_DIR: dir },
    });
    expect(r.served).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Port 85 is below 1024: only privileged programs may listen on it. (ERR_PORT_PRIVILEGED)');
    expect(r.stderr).toContain('such as 8080');
    expect(r.stderr).toContain('setcap cap_net_bind_service=+ep');
    expect(r.stderr).toContain('net.ipv4.ip_unprivileged_port_start=85');
  });

  it('root may use port 85 in the same namespace (the lab\'s port)', async () => {
    const r = await serve(['--root', join(dir, 'site'), '--port', '85', '--host', 'loopback'], { prefix: ['ip', 'netns', 'exec', NS], env: { NETLAB_DATA_DIR: dir } });
    expect(r.firstLine).toBe('http://127.0.0.1:85/');
    expect(await r.served!.stop()).toBe(0);
  });

  it('ERR_ROOT_MISSING and ERR_ROOT_UNREADABLE', async () => {
    const missing = await serve(['--root', join(dir, 'no-such-folder'), '--port', '24321'], { env: { NETLAB_DATA_DIR: dir } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`The document root ${join(dir, 'no-such-folder')} does not exist. (ERR_ROOT_MISSING)`);
    expect(missing.stderr).toMatch(/Hint: Create the folder/);
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o700 });
    const unreadable = await serve(['--root', locked, '--port', '24321'], { prefix: ['runuser', '-u', USER, '--'], env: { NETLAB_DATA_DIR: dir } });
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain(`The document root ${locked} cannot be read by this user. (ERR_ROOT_UNREADABLE)`);
    expect(unreadable.stderr).toContain('chmod a+rx');
  });

  it('ERR_ADDRESS_NOT_AVAILABLE for an address this machine does not have, and a bad port is refused', async () => {
    const r = await serve(['--root', join(dir, 'site'), '--port', '24322', '--host', '198.51.100.77'], { env: { NETLAB_DATA_DIR: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('198.51.100.77 is not an address of this machine. (ERR_ADDRESS_NOT_AVAILABLE)');
    expect(r.stderr).toMatch(/Hint: Choose "all", "loopback" or one of: 127\.0\.0\.1/);
    const bad = await serve(['--port', '70000'], { env: { NETLAB_DATA_DIR: dir } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"70000" is not a TCP port.');
  });
});
