// The lab's two machines, for real: the server (the built `netlab serve`) runs in one network
// namespace on port 85 as in the write-up, and curl and headless Chromium load the page and the logo
// from a second namespace over a veth pair, as the student's second machine would over the LAN.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { makeSite, serve, sh, spawnSyncSh, STUDENT, type Served } from './helpers.js';

const SRV = 'nlE-srv';
const CLI = 'nlE-cli';
const SRV_IP = '198.19.5.1';
const CLI_IP = '198.19.5.2';
const URL_BASE = `http://${SRV_IP}:85`;

let dir = '';
let site = '';
let logo: Buffer;
let served: Served | undefined;
let firstLine = '';

function cleanupNetns(): void {
  spawnSyncSh(`ip netns del ${SRV} 2>/dev/null; ip netns del ${CLI} 2>/dev/null; true`);
}

beforeAll(async () => {
  ({ dir, site, logo } = await makeSite('nlE-ns-'));
  cleanupNetns();
  sh(`ip netns add ${SRV} && ip netns add ${CLI}`);
  sh(`ip link add nlE-v0 netns ${SRV} type veth peer name nlE-v1 netns ${CLI}`);
  for (const [ns, dev, ip] of [[SRV, 'nlE-v0', SRV_IP], [CLI, 'nlE-v1', CLI_IP]] as const) {
    sh(`ip -n ${ns} link set lo up && ip -n ${ns} addr add ${ip}/24 dev ${dev} && ip -n ${ns} link set ${dev} up`);
    // Segments as a real NIC would put them on the wire (matters once a capture looks at them).
    spawnSyncSh(`ip netns exec ${ns} ethtool -K ${dev} tso off gso off gro off`);
  }
  const r = await serve(['--root', site, '--port', '85', '--host', 'all', '--access-log', join(dir, 'access.log'), '--error-log', join(dir, 'error.log')],
    { prefix: ['ip', 'netns', 'exec', SRV], env: { NETLAB_DATA_DIR: dir } });
  if (r.served === undefined) throw new Error(`netlab serve did not start: ${r.stderr}`);
  served = r.served;
  firstLine = r.firstLine ?? '';
  // The remaining URL lines follow the first immediately.
  await new Promise((res) => setTimeout(res, 300));
});

afterAll(async () => {
  await served?.stop();
  cleanupNetns();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('netlab serve in one namespace, clients in another', () => {
  it('prints the loopback URL first, then the LAN URL the other machine uses', () => {
    expect(firstLine).toBe('http://127.0.0.1:85/');
    expect(served!.out).toContain(`${URL_BASE}/`);
    expect(served!.out.indexOf(`${URL_BASE}/`)).toBeGreaterThan(0);
  });

  it('curl from the second namespace gets the page and the exact logo bytes', () => {
    const page = spawnSyncSh(`ip netns exec ${CLI} curl -sS --max-time 10 ${URL_BASE}/`);
    expect(page.status).toBe(0);
    expect(page.stdout).toContain(STUDENT.studentId);
    expect(page.stdout).toContain(STUDENT.major);
    expect(page.stdout).toContain('张三 &lt;b&gt;&amp;');
    const out = join(dir, 'fetched.png');
    const img = spawnSyncSh(`ip netns exec ${CLI} curl -sS --max-time 10 -o ${out} -w '%{http_code} %{content_type}' ${URL_BASE}/logo.png`);
    expect(img.stdout).toBe('200 image/png');
    expect(readFileSync(out).equals(logo)).toBe(true);
  });

  it('headless Chromium in the second namespace renders the text and the logo', async () => {
    // Chromium is started through `ip netns exec`, so its network is the second machine's; Playwright
    // drives it over a pipe, which crosses namespaces.
    const wrapper = join(dir, 'chromium-in-netns.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${CLI} /usr/bin/chromium "$@"\n`);
    chmodSync(wrapper, 0o755);
    const profile = mkdtempSync(join(tmpdir(), 'nlE-chromium-'));
    let ctx: BrowserContext | undefined;
    try {
      ctx = await chromium.launchPersistentContext(profile, {
        executablePath: wrapper,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      });
      const page = await ctx.newPage();
      const resp = await page.goto(`${URL_BASE}/`, { waitUntil: 'load', timeout: 30_000 });
      expect(resp?.status()).toBe(200);
      expect(resp?.headers()['server']).toMatch(/^NetLab-Workbench\//);
      expect(await page.textContent('#student-id')).toBe(STUDENT.studentId);
      expect(await page.textContent('#major')).toBe(STUDENT.major);
      expect(await page.textContent('#name')).toBe(STUDENT.name);
      expect(await page.title()).toBe(STUDENT.title);
      const img = await page.$eval('img.logo', (el) => {
        const i = el as HTMLImageElement;
        return { complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, src: i.currentSrc };
      });
      expect(img).toEqual({ complete: true, w: 96, h: 96, src: `${URL_BASE}/logo.png` });
    } finally {
      await ctx?.close();
      rmSync(profile, { recursive: true, force: true });
    }
    // The access log saw the other machine's address and the browser.
    const log = readFileSync(join(dir, 'access.log'), 'utf8');
    expect(log).toMatch(new RegExp(`^${CLI_IP.replace(/\./g, '\\.')} - - \\[[^\\]]+\\] "GET /logo\\.png HTTP/1\\.1" 200 ${logo.length} "${URL_BASE}/" "[^"]*Chrome/`, 'm'));
  });
});
