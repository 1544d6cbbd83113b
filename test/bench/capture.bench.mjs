#!/usr/bin/env node
// Capture benchmark (issue 7): a bounded loopback burst of UDP datagrams (100 bytes each) captured
// at the same time by our helper (through `netlab capture -w`) and by tcpdump (-w), each with its
// defaults. Prints packets captured and dropped for both, median of 3 runs, and the ratio.
// Needs root (capture on lo), cc, tcpdump, capinfos, and a built tree (npm run build:native && npm run build).
//   node test/bench/capture.bench.mjs            300,000 datagrams
//   BURST=1000000 node test/bench/capture.bench.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COUNT = Number(process.env.BURST ?? 300_000);
const PORT = 25030;
const RUNS = 3;
const dir = mkdtempSync(join(tmpdir(), 'nlF-bench-'));

function startProc(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise((r) => child.on('close', (code) => r(code)));
  return { child, exited, stderr: () => err };
}

async function waitFor(fn, label, ms = 15_000) {
  const until = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function capinfos(file) {
  return Number(/Number of packets:\s+(\d+)/.exec(execFileSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' }))[1]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

try {
  const sender = join(dir, 'udp-burst');
  execFileSync('cc', ['-O2', '-o', sender, join(root, 'test', 'integration', 'capture', 'udp-burst.c')]);
  const rows = [];
  for (let run = 1; run <= RUNS; run++) {
    const ours = join(dir, `netlab-${run}.pcapng`);
    const ref = join(dir, `tcpdump-${run}.pcap`);
    const netlab = startProc(process.execPath, [join(root, 'bin', 'netlab.mjs'), 'capture', '-i', 'lo', '-q', '-f', `udp dst port ${PORT}`, '-w', ours]);
    const tcpdump = startProc('tcpdump', ['-i', 'lo', '-w', ref, 'udp', 'dst', 'port', String(PORT)]);
    try {
      await waitFor(() => netlab.stderr().includes("Capturing on 'lo'"), 'netlab capture');
      await waitFor(() => tcpdump.stderr().includes('listening on'), 'tcpdump');
      const t0 = process.hrtime.bigint();
      const sent = Number(execFileSync(sender, [String(PORT), String(COUNT), '100'], { encoding: 'utf8', timeout: 40_000 }).trim());
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      await new Promise((r) => setTimeout(r, 1500));
      netlab.child.kill('SIGINT');
      tcpdump.child.kill('SIGINT');
      await Promise.all([netlab.exited, tcpdump.exited]);
      const oursDropped = Number(/received\/dropped on interface 'lo': \d+\/(\d+)/.exec(netlab.stderr())?.[1] ?? NaN);
      const refDropped = Number(/(\d+) packets? dropped by kernel/.exec(tcpdump.stderr())?.[1] ?? NaN);
      const row = { run, sent, secs, ours: capinfos(ours), oursDropped, ref: capinfos(ref), refDropped };
      rows.push(row);
      console.log(`run ${run}: sent ${sent} in ${secs.toFixed(2)} s (${Math.round(sent / secs)} pkt/s) | netlab ${row.ours} captured, ${oursDropped} dropped | tcpdump ${row.ref} captured, ${refDropped} dropped`);
    } finally {
      for (const p of [netlab, tcpdump]) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      rmSync(ours, { force: true });
      rmSync(ref, { force: true });
    }
  }
  const mo = median(rows.map((r) => r.ours));
  const mr = median(rows.map((r) => r.ref));
  console.log(`median of ${RUNS}: netlab captured ${mo} (dropped ${median(rows.map((r) => r.oursDropped))}), tcpdump captured ${mr} (dropped ${median(rows.map((r) => r.refDropped))}); ratio netlab/tcpdump = ${(mo / mr).toFixed(3)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
