// Reading by partitions (core/dissect/partition.ts): the partitioned reader (electron/cli/read-parallel.ts,
// several engines, one per lane, each dissecting whole TCP streams, merged back into frame order) and the
// lazy filter pass (LazyFilterReader: frames the bytes rule out are dissected only when a later frame of
// their stream may match). Their output must be exactly the ordinary single pass's (which
// read-vs-tshark.test.ts holds to tshark's), on the lab captures and when a frame in the middle of the
// file cannot be split (an IPv4 fragment), with filters, -c and a file cut short. Real captures, the
// bundled CLI (dist/), real worker threads.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PcapWriter } from '../../core/capfile/pcap.js';
import type { PacketRecord } from '../../core/capfile/record.js';
import { readCaptureFile } from '../../electron/services/capture-file.js';
import { getLabCaptures, repoRoot } from '../support/lab-captures.js';

const ROOT = repoRoot();
const SAMPLE = join(ROOT, 'assets', 'sample', 'lab-exchange.pcapng');

interface Out { code: number; stdout: string; stderr: string }

function netlab(args: string[], threads: number): Promise<Out> {
  return new Promise((resolve) => {
    const env = { ...process.env, NETLAB_READ_THREADS: String(threads), NETLAB_READ_TRACE: '1' };
    execFile(process.execPath, [join(ROOT, 'bin', 'netlab.mjs'), 'read', ...args], { env, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}
function tshark(args: string[]): Promise<string> {
  return new Promise((resolve) => execFile('tshark', ['-n', ...args], { maxBuffer: 256 << 20 }, (_e, stdout) => resolve(stdout)));
}

/** The same run by one engine and by `threads`: identical stdout and exit code, and the lanes really ran. */
async function same(args: string[], threads: number, trace: RegExp): Promise<string> {
  const [one, many] = await Promise.all([netlab(args, 1), netlab(args, threads)]);
  expect(many.stderr, args.join(' ')).toMatch(trace);
  expect(one.stderr).not.toMatch(/engines/);
  expect(many.code).toBe(one.code);
  expect(many.stdout.length, args.join(' ')).toBe(one.stdout.length);
  expect(many.stdout === one.stdout, `${args.join(' ')}: same bytes`).toBe(true);
  return many.stdout;
}

const FIELDS = ['frame.number', 'frame.time_delta', 'frame.time_relative', 'ip.src', 'tcp.stream', 'tcp.seq', 'tcp.ack',
  'tcp.analysis.ack_rtt', 'tcp.time_delta', 'tcp.reassembled_in', 'http.request_in', 'http.response_in', 'http.time', 'http.content_type', 'arp.src.proto_ipv4']
  .flatMap((f) => ['-e', f]);

describe('partitioned reading', () => {
  let caps: Awaited<ReturnType<typeof getLabCaptures>>;
  let dir: string;
  let spliced: string;
  let fragmentFrame = 0;

  beforeAll(async () => {
    caps = await getLabCaptures();
    dir = mkdtempSync(join(ROOT, '.tmp', 'nlP-'));
    // The MTU 576 lab capture with one IPv4 fragment (MF set, UDP) put in the middle: frames before it
    // can be split, the fragment and everything after must be read by one engine.
    const recs: PacketRecord[] = [];
    await readCaptureFile(caps.mtu576.path, { onRecord: (r) => recs.push({ ...r, data: r.data.slice() }) });
    const mid = recs.length >> 1;
    const frag = Uint8Array.from(Buffer.from(
      '02000000000102000000000208004500002c1234200040117e8bc6120001c61200020035d4310018000001020304050607080910111213141516', 'hex'));
    const w = new PcapWriter({ linkType: 1 });
    const parts = [w.header()];
    recs.forEach((r, i) => {
      if (i === mid) parts.push(w.record({ ...r, data: frag, capLen: frag.length, origLen: frag.length }));
      parts.push(w.record(r));
    });
    fragmentFrame = mid + 1;
    spliced = join(dir, 'spliced.pcap');
    writeFileSync(spliced, Buffer.concat(parts));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints exactly the single engine\'s lines on the lab captures, which are tshark\'s', async () => {
    for (const file of [caps.mtu1500.path, caps.mtu576.path, SAMPLE]) {
      const text = await same(['-r', file], 2, /^netlab: read by 2 engines\n$/);
      expect(text, `${file}: tshark's summary lines`).toBe(await tshark(['-r', file]));
      await same(['-r', file, '-T', 'fields', ...FIELDS], 3, /^netlab: read by 3 engines\n$/);
      for (const f of ['http', 'http.response.code == 200', 'tcp.flags.syn == 1 || arp', 'tcp.stream == 1']) {
        await same(['-r', file, '-Y', f], 2, /^netlab: read by 2 engines\n$/);
      }
      await same(['-r', file, '-c', '17'], 2, /^netlab: read by 2 engines\n$/);
    }
  });

  it('hands the rest of the file to one engine at a frame that cannot be split, losing and doubling nothing', async () => {
    const trace = new RegExp(`^netlab: read by 2 engines up to frame ${fragmentFrame - 1}, then by one \\(frame ${fragmentFrame} `);
    const text = await same(['-r', spliced], 2, trace);
    expect(text.split('\n')[fragmentFrame - 1]).toMatch(/ IPv4 .*Fragmented IP protocol|UDP|DNS/);
    await same(['-r', spliced, '-T', 'fields', ...FIELDS], 2, trace);
    await same(['-r', spliced, '-Y', 'tcp.len > 0'], 2, trace);
  });

  it('lazy filter pass: the lines of an ordinary pass, without dissecting what cannot match', async () => {
    // The same filter with a test the bytes cannot answer added ("or frame.number == 0") goes the
    // ordinary way: every frame dissected.
    for (const file of [caps.mtu576.path, SAMPLE, spliced]) {
      for (const f of ['frame contains "IHDR"', 'frame contains "Host:" && tcp', 'frame contains 48:54:54:50 || frame contains "GET"']) {
        for (const extra of [[], ['-T', 'fields', ...FIELDS]]) {
          const args = ['-r', file, ...extra];
          const [lazy, plain] = await Promise.all([netlab([...args, '-Y', f], 1), netlab([...args, '-Y', `${f} or frame.number == 0`], 1)]);
          expect(plain.stderr).toBe('');
          const m = /^netlab: lazy filter pass dissected (\d+) of (\d+) frames\n$/.exec(lazy.stderr);
          expect(m, lazy.stderr).not.toBeNull();
          expect(lazy.stdout.length, `${f} on ${file}`).toBeGreaterThan(0);
          expect(lazy.stdout === plain.stdout, `${f} on ${file}: same bytes`).toBe(true);
          if (file !== spliced && f === 'frame contains "IHDR"') expect(Number(m?.[1]), 'frames dissected').toBeLessThan(Number(m?.[2]));
        }
      }
    }
  });

  it('a lane that fails mid-file: the rest is read by one engine, every line printed once', async () => {
    for (const file of [caps.mtu576.path, spliced]) {
      const at = fragmentFrame - 7;
      const one = await netlab(['-r', file], 1);
      const faulty = await new Promise<Out>((resolve) => {
        const env = { ...process.env, NETLAB_READ_THREADS: '2', NETLAB_READ_TRACE: '1', NETLAB_READ_FAULT_AT: String(at) };
        execFile(process.execPath, [join(ROOT, 'bin', 'netlab.mjs'), 'read', '-r', file], { env, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
        });
      });
      expect(faulty.stderr).toMatch(/^netlab: read by 2 engines up to frame \d+, then by one \(a reading thread exited with code 70\)\n$/);
      expect(faulty.code).toBe(0);
      expect(faulty.stdout === one.stdout, `${file}: same bytes`).toBe(true);
    }
  });

  it('a slow reader of the output: lanes wait, nothing is lost, doubled or reordered', async () => {
    // The MTU 576 capture 200 times over, each copy 100 s later (its streams come back as new ones on
    // reused ports): megabytes of lines, far more than a pipe holds, read a little at a time.
    const recs: PacketRecord[] = [];
    await readCaptureFile(caps.mtu576.path, { onRecord: (r) => recs.push({ ...r, data: r.data.slice() }) });
    const w = new PcapWriter({ linkType: 1 });
    const parts = [w.header()];
    for (let k = 0; k < 200; k++) for (const r of recs) parts.push(w.record({ ...r, tsSec: r.tsSec + 100 * k }));
    const big = join(dir, 'big.pcap');
    writeFileSync(big, Buffer.concat(parts));
    const one = await netlab(['-r', big, '-T', 'fields', ...FIELDS], 1);
    const slow = await new Promise<Out>((resolve) => {
      const env = { ...process.env, NETLAB_READ_THREADS: '2', NETLAB_READ_TRACE: '1' };
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'netlab.mjs'), 'read', '-r', big, '-T', 'fields', ...FIELDS], { env });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        chunks.push(c);
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 2);
      });
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      child.on('close', (code) => resolve({ code: code ?? 99, stdout: Buffer.concat(chunks).toString(), stderr }));
    });
    expect(slow.stderr).toBe('netlab: read by 2 engines\n');
    expect(slow.code).toBe(0);
    expect(one.stdout.length).toBeGreaterThan(1 << 20);
    expect(slow.stdout === one.stdout, 'same bytes').toBe(true);
  });

  it('a file cut short: the same lines, then the same error and exit code', async () => {
    const { readFileSync } = await import('node:fs');
    const cut = join(dir, 'cut.pcap');
    const bytes = readFileSync(caps.mtu1500.path);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const [one, many] = await Promise.all([netlab(['-r', cut], 1), netlab(['-r', cut], 2)]);
    expect(many.code).toBe(2);
    expect(many.code).toBe(one.code);
    expect(many.stdout).toBe(one.stdout);
    expect(many.stderr.replace(/^netlab: read by .*\n/, '')).toBe(one.stderr);
  });
});
