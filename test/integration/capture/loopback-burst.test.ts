// Proof (2) of issue 7: a bounded loopback burst, 300,000 UDP datagrams of 100 bytes sent in a few
// seconds by a small C sender, captured by `netlab capture` (the helper) and tcpdump at the same time.
// The helper must not crash, must capture at least as many as tcpdump, and must report its drops.
// (The `cap` package aborted with heap corruption on this test; see issue 7.)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, capinfosCount, start, tmp, waitFor, type Running } from './helpers.js';

const PORT = 25020;
const COUNT = 300_000;

describe('loopback burst: netlab capture vs tcpdump', () => {
  const dir = tmp('burst');
  const running: Running[] = [];
  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exited));
  });

  it(`captures at least as many of ${COUNT} datagrams as tcpdump and reports its drops`, async () => {
    const sender = join(dir, 'udp-burst');
    execFileSync('cc', ['-O2', '-o', sender, join(import.meta.dirname, 'udp-burst.c')]);
    const ours = join(dir, 'netlab.pcapng');
    const ref = join(dir, 'tcpdump.pcap');
    const netlab = start(process.execPath, [CLI, 'capture', '-i', 'lo', '-f', `udp dst port ${PORT}`, '-w', ours]);
    const tcpdump = start('tcpdump', ['-i', 'lo', '-w', ref, 'udp', 'dst', 'port', String(PORT)]);
    running.push(netlab, tcpdump);
    await waitFor(() => netlab.stderr().includes("Capturing on 'lo'"), 'netlab capture to start');
    await waitFor(() => tcpdump.stderr().includes('listening on'), 'tcpdump to start');
    const t0 = Date.now();
    const sent = Number(execFileSync(sender, [String(PORT), String(COUNT), '100'], { encoding: 'utf8', timeout: 40_000 }).trim());
    const secs = (Date.now() - t0) / 1000;
    expect(sent).toBe(COUNT);
    expect(secs).toBeLessThan(30);
    await new Promise((r) => setTimeout(r, 1500));
    netlab.child.kill('SIGINT');
    tcpdump.child.kill('SIGINT');
    const [a, b] = await Promise.all([netlab.exited, tcpdump.exited]);
    expect(a.code, netlab.stderr()).toBe(0);
    expect(b.code).toBe(0);

    const m = /^(\d+) packets captured$/m.exec(netlab.stderr());
    const d = /Packets received\/dropped on interface 'lo': (\d+)\/(\d+) \(pcap:(\d+)\/ifdrop:(\d+)\)/.exec(netlab.stderr());
    expect(m, netlab.stderr()).not.toBeNull();
    expect(d, netlab.stderr()).not.toBeNull();
    const ourCount = capinfosCount(ours);
    const refCount = capinfosCount(ref);
    const dropped = Number(d![2]);
    console.log(`burst: sent ${sent} in ${secs.toFixed(1)} s; netlab ${ourCount} captured, ${dropped} dropped; tcpdump ${refCount} (${tcpdump.stderr().match(/(\d+) packets dropped by kernel/)?.[1]} dropped)`);
    expect(Number(m![1])).toBe(ourCount);
    expect(ourCount).toBeGreaterThanOrEqual(refCount);
    expect(ourCount).toBeLessThanOrEqual(COUNT);
    // What was not captured was counted as dropped by the kernel: nothing vanishes unreported.
    expect(ourCount + dropped).toBeGreaterThanOrEqual(COUNT);
  });
});
