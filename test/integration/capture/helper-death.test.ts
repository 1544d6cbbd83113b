// Proof (3) of issue 7: kill -9 the capture helper mid-capture. The supervisor and the CLI report
// ERR_CAPTURE_HELPER_DIED with the signal, and the spool holds every packet received before the kill,
// readable by capinfos and tshark. Real helper, real libpcap on lo, real UDP datagrams.
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCapture } from '../../../electron/services/capture/capture-supervisor.js';
import { CLI, capinfosCount, sh, start, tmp, waitFor, type Running } from './helpers.js';

/** Sends `n` datagrams to 127.0.0.1:port, where a socket is bound so the kernel sends no ICMP back. */
async function sendUdp(port: number, n: number): Promise<void> {
  const rx = createSocket('udp4');
  await new Promise<void>((r) => rx.bind(port, '127.0.0.1', r));
  const tx = createSocket('udp4');
  const payload = Buffer.alloc(100, 0x5a);
  for (let i = 0; i < n; i++) {
    payload.writeUInt32BE(i, 0);
    await new Promise<void>((r, j) => tx.send(payload, port, '127.0.0.1', (e) => (e ? j(e) : r())));
  }
  tx.close();
  rx.close();
}

describe('capture helper killed mid-capture', () => {
  const dir = tmp('death');
  const running: Running[] = [];
  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exited));
  });

  it('the supervisor reports ERR_CAPTURE_HELPER_DIED and keeps every packet in the spool', async () => {
    const spool = join(dir, 'supervisor.pcapng');
    const session = await startCapture({ device: 'lo', filter: 'udp port 25010', spoolPath: spool });
    const errors: string[] = [];
    session.on('error', (e) => errors.push(e.code));
    await sendUdp(25010, 200);
    await waitFor(() => session.packets === 200, '200 packets to reach the supervisor');
    process.kill(session.info.pid!, 'SIGKILL');
    const summary = await session.done;
    expect(summary.reason).toBe('error');
    expect(summary.error?.code).toBe('ERR_CAPTURE_HELPER_DIED');
    expect(summary.error?.message).toMatch(/SIGKILL/);
    expect(summary.error?.hint).toMatch(/kept/);
    expect(errors).toEqual(['ERR_CAPTURE_HELPER_DIED']);
    expect(capinfosCount(spool)).toBe(200);
    const seq = sh('tshark', ['-n', '-r', spool, '-T', 'fields', '-e', 'udp.length']).trim().split('\n');
    expect(seq).toHaveLength(200);
    expect(new Set(seq)).toEqual(new Set(['108']));
  });

  it('netlab capture reports it, exits 1, and the -w file holds every packet', async () => {
    const out = join(dir, 'cli.pcapng');
    const cli = start(process.execPath, [CLI, 'capture', '-i', 'lo', '-f', 'udp port 25011', '-w', out]);
    running.push(cli);
    await waitFor(() => cli.stderr().includes("Capturing on 'lo'"), 'netlab capture to start');
    await sendUdp(25011, 150);
    await waitFor(() => {
      try {
        return capinfosCount(out) === 150;
      } catch {
        return false;
      }
    }, '150 packets in the file');
    // The helper is the CLI's only child; find it by parent pid, never by name.
    const helperPid = Number(sh('pgrep', ['-P', String(cli.child.pid)]).trim().split('\n')[0]);
    expect(sh('ps', ['-o', 'comm=', '-p', String(helperPid)]).trim()).toBe('netlab-capture');
    process.kill(helperPid, 'SIGKILL');
    const { code } = await cli.exited;
    expect(code).toBe(1);
    expect(cli.stderr()).toMatch(/ERR_CAPTURE_HELPER_DIED/);
    expect(cli.stderr()).toMatch(/SIGKILL/);
    expect(cli.stderr()).toMatch(/^150 packets captured$/m);
    expect(capinfosCount(out)).toBe(150);
  });
});
