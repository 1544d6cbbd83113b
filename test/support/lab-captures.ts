// The shared lab captures: what the lab write-up captured with Wireshark, made here for real, once per
// test run. Use it from any test that needs the lab's exchange (TCP, HTTP, filters, the CLI):
//
//   import { getLabCaptures } from '../support/lab-captures.js';
//   const caps = await getLabCaptures();          // builds on first use (~20 s), cached afterwards
//   caps.mtu1500.path   // pcap, MTU 1500: ARP, curl (page + logo on one keep-alive connection),
//                       //   then headless Chromium (page, logo, favicon), FIN/ACK teardowns
//   caps.mtu576.path    // the same exchange at MTU 576: the 22 KB logo spans ~40 segments
//   caps.mtu1500.serverAddr / clientAddr / port   // 198.18.0.1, 198.18.0.2, 85
//   caps.mtu1500.fetches                          // which client fetched what, in order
//
// How it is made: two network namespaces joined by a veth pair (test/support/netns.ts, offloads off),
// a small Node static HTTP/1.1 server on port 85 in the server namespace serving the lab page and logo
// (test/support/lab-site.ts), curl then headless Chromium (playwright-core, /usr/bin/chromium) in the
// client namespace, tcpdump -i <server veth> -w. IPv6 is off in the namespaces, so the captures hold
// only the lab's IPv4 exchange and ARP.
//
// Caching: files live in .tmp/lab-captures/<hash>/, the hash covering this file, netns.ts and
// lab-site.ts, so changing how captures are made makes new ones and nothing else does. Concurrent
// callers (vitest workers, other processes) wait on a lock directory instead of building twice.
// Namespaces used: nlD-lab-s / nlD-lab-c (deleted when done, even on failure).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createNetnsPair, deleteNetnsPair, nsExec, nsSpawn, stopProcess, waitForOutput, type NetnsPair } from './netns.js';
import { labLogoPng, labPageHtml } from './lab-site.js';

export const LAB_PORT = 85;

export interface LabCapture {
  /** Absolute path of the pcap file (microsecond timestamps, Ethernet). */
  path: string;
  mtu: number;
  serverAddr: string;
  clientAddr: string;
  port: number;
  /** What was fetched, by whom, in capture order. */
  fetches: { client: 'curl' | 'chromium'; paths: string[] }[];
}

export interface LabCaptures {
  mtu1500: LabCapture;
  mtu576: LabCapture;
}

/** The repository root (where package.json names netlab-workbench), found from the working directory. */
export function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && readFileSync(pkg, 'utf8').includes('"netlab-workbench"')) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the netlab-workbench repository root from ' + process.cwd());
    dir = up;
  }
}

function builderHash(root: string): string {
  const h = createHash('sha256');
  for (const f of ['lab-captures.ts', 'netns.ts', 'lab-site.ts']) h.update(readFileSync(join(root, 'test', 'support', f)));
  return h.digest('hex').slice(0, 16);
}

// A tiny static HTTP/1.1 server (keep-alive by default in Node's http): enough for curl and Chromium,
// replaceable by the lab-server engineer's real server later.
const SERVER_JS = `
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const [dir, host, port] = process.argv.slice(2);
const types = { '.html': 'text/html; charset=utf-8', '.png': 'image/png' };
const server = createServer((req, res) => {
  const path = req.url === '/' ? '/index.html' : req.url.split('?')[0];
  try {
    const body = readFileSync(join(dir, path.replace(/\\.\\.+/g, '')));
    const ext = path.slice(path.lastIndexOf('.'));
    res.writeHead(200, { 'Content-Type': types[ext] || 'application/octet-stream', 'Content-Length': body.length });
    res.end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': 10 });
    res.end('not found\\n');
  }
});
server.keepAliveTimeout = 2000;
server.listen(Number(port), host, () => console.log('listening'));
`;

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

async function fetchWithChromium(pair: NetnsPair, work: string, url: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  // Chromium must run inside the client namespace: a wrapper that enters it and execs the browser.
  const wrapper = join(work, 'chromium-in-ns.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${pair.client} /usr/bin/chromium "$@"\n`, { mode: 0o755 });
  const profile = join(work, 'chromium-profile');
  rmSync(profile, { recursive: true, force: true });
  const browser = await chromium.launchPersistentContext(profile, { executablePath: wrapper, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    // Let the favicon request and the last ACKs happen before the browser closes its connections.
    await page.waitForTimeout(500);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function buildOne(name: string, mtu: number, site: string, work: string, out: string): Promise<LabCapture> {
  const pair = await createNetnsPair(name, { mtu });
  const children: ReturnType<typeof nsSpawn>[] = [];
  try {
    const server = nsSpawn(pair.server, process.execPath, [join(work, 'server.mjs'), site, pair.serverAddr, String(LAB_PORT)]);
    children.push(server);
    await waitForOutput(server, 'listening');
    const tmp = out + '.part';
    const dump = nsSpawn(pair.server, 'tcpdump', ['-i', pair.serverIf, '-n', '-U', '-s', '0', '-Z', 'root', '-w', tmp]);
    children.push(dump);
    await waitForOutput(dump, 'listening on');
    const base = `http://${pair.serverAddr}:${LAB_PORT}`;
    // curl fetches both URLs over one connection (HTTP/1.1 keep-alive), as a browser would.
    const curl = await nsExec(pair.client, 'curl', ['-sS', '--max-time', '20', '-o', '/dev/null', `${base}/`, '-o', '/dev/null', `${base}/logo.png`]);
    if (curl.code !== 0) throw new Error(`curl failed: ${curl.stderr}`);
    await new Promise((r) => setTimeout(r, 300));
    await fetchWithChromium(pair, work, `${base}/`);
    // The server closes idle keep-alive connections after 2 s: wait for those FINs to be captured.
    await new Promise((r) => setTimeout(r, 2600));
    await stopProcess(dump, 'SIGINT');
    if (!existsSync(tmp) || statSync(tmp).size < 1000) throw new Error(`tcpdump wrote nothing usable to ${tmp}`);
    renameSync(tmp, out);
    return {
      path: out, mtu, serverAddr: pair.serverAddr, clientAddr: pair.clientAddr, port: LAB_PORT,
      fetches: [{ client: 'curl', paths: ['/', '/logo.png'] }, { client: 'chromium', paths: ['/', '/logo.png', '/favicon.ico'] }],
    };
  } finally {
    for (const c of children) await stopProcess(c, 'SIGTERM', 2000);
    await deleteNetnsPair(pair);
  }
}

let cached: Promise<LabCaptures> | null = null;

/** The lab captures, built once per source version (see the file header). */
export function getLabCaptures(): Promise<LabCaptures> {
  cached ??= build();
  return cached;
}

async function build(): Promise<LabCaptures> {
  const root = repoRoot();
  const dir = join(root, '.tmp', 'lab-captures', builderHash(root));
  const manifest = join(dir, 'manifest.json');
  const read = (): LabCaptures | null => {
    if (!existsSync(manifest)) return null;
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as LabCaptures;
    return existsSync(m.mtu1500.path) && existsSync(m.mtu576.path) ? m : null;
  };
  const have = read();
  if (have) return have;
  mkdirSync(dirname(dir), { recursive: true });
  const lock = dir + '.lock';
  const deadline = Date.now() + 170_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building: wait for their manifest, or take over a lock left by a dead builder.
      await new Promise((r) => setTimeout(r, 500));
      const done = read();
      if (done) return done;
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000 || Date.now() > deadline) {
        rmSync(lock, { recursive: true, force: true });
      }
    }
  }
  try {
    const again = read();
    if (again) return again;
    mkdirSync(dir, { recursive: true });
    const site = join(dir, 'site');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, 'index.html'), labPageHtml());
    writeFileSync(join(site, 'logo.png'), labLogoPng());
    writeFileSync(join(dir, 'server.mjs'), SERVER_JS);
    const mtu1500 = await buildOne('nlD-lab', 1500, site, dir, resolve(dir, 'lab-mtu1500.pcap'));
    const mtu576 = await buildOne('nlD-lab', 576, site, dir, resolve(dir, 'lab-mtu576.pcap'));
    const caps: LabCaptures = { mtu1500, mtu576 };
    writeFileSync(manifest, JSON.stringify(caps, null, 2));
    return caps;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
