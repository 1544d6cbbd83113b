// The lab with the browser on "another machine" (issue 8: "the LAN interface otherwise"): a network
// namespace this test creates (nlJ-vis, veth nlJ-h0 <-> nlJ-v0, 10.219.77.0/24, offloads off so the
// capture sees wire-sized frames) runs a second Chromium. Its first request makes the workbench
// suggest nlJ-h0 instead of lo; the capture there shows the handshake, GET, 200 OK and FIN live,
// and the pcap saved from the spool holds the visitor's exchange as tshark reads it.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, type RunningUi, SHOTS, launchWorkbenchBrowser, startLabServer, startUi, tsharkLines as tshark } from '../support/workbench-ui.js';

const NS = 'nlJ-vis';
const HOST_IF = 'nlJ-h0';
const NS_IF = 'nlJ-v0';
const HOST_IP = '10.219.77.1';
const NS_IP = '10.219.77.2';

let ui: RunningUi | undefined;
let labPort: number;
let context: BrowserContext;
let page: Page;
let dir: string;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });

function removeNamespace(): void {
  try { ip('netns', 'del', NS); } catch { /* not there */ }
  try { ip('link', 'del', HOST_IF); } catch { /* went with the namespace */ }
}

async function visit(): Promise<void> {
  // Chromium inside the namespace: playwright talks to it over a pipe, which `ip netns exec` keeps.
  const browser: Browser = await chromium.launch({ executablePath: join(dir, 'chromium-in-ns'), args: CHROMIUM_ARGS });
  try {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const res = await p.goto(`http://${HOST_IP}:${labPort}/`);
    expect(res?.status()).toBe(200);
    await ctx.close();
  } finally {
    await browser.close();
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'nlJ-netns-'));
  removeNamespace();
  ip('netns', 'add', NS);
  ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
  ip('link', 'set', NS_IF, 'netns', NS);
  ip('addr', 'add', `${HOST_IP}/24`, 'dev', HOST_IF);
  ip('link', 'set', HOST_IF, 'up');
  ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_IP}/24`, 'dev', NS_IF);
  ip('netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up');
  ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up');
  execFileSync('ethtool', ['-K', HOST_IF, 'tso', 'off', 'gso', 'off', 'gro', 'off'], { stdio: 'ignore' });
  ip('netns', 'exec', NS, 'ethtool', '-K', NS_IF, 'tso', 'off', 'gso', 'off', 'gro', 'off');
  writeFileSync(join(dir, 'chromium-in-ns'), `#!/bin/sh\nexec ip netns exec ${NS} /usr/bin/chromium "$@"\n`);
  chmodSync(join(dir, 'chromium-in-ns'), 0o755);

  ui = await startUi({ dataDir: join(dir, 'data') });
  context = await launchWorkbenchBrowser(join(dir, 'profile'), { viewport: { width: 1500, height: 1400 } });
  page = await context.newPage();
  await page.goto(ui.url);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await ui?.stop();
  removeNamespace();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the lab flow with the browser in another network namespace', () => {
  it('suggests the LAN interface once a request comes from another machine, and captures the exchange there', async () => {
    await page.getByRole('textbox', { name: 'Major' }).fill('Computer Science');
    await page.getByRole('textbox', { name: 'Student ID' }).fill('1911406');
    await page.getByRole('textbox', { name: 'Name' }).fill('Li Hua');
    await page.getByRole('button', { name: 'Save page' }).click();
    await expect.poll(() => page.getByText('Page saved').count()).toBe(1);
    labPort = await startLabServer(page);
    await expect.poll(() => page.getByText(`http://${HOST_IP}:${labPort}/`).count()).toBe(1);
    const iface = page.getByRole('combobox', { name: 'Interface' });
    await iface.focus();
    await expect.poll(() => iface.inputValue()).toBe('lo');

    // The student tries the page from the other machine first: the picker follows to nlJ-h0.
    await visit();
    await expect.poll(() => iface.inputValue()).toBe(HOST_IF);
    expect(await iface.locator('option:checked').textContent()).toMatch(new RegExp(`^${HOST_IF} \\(${HOST_IP.replaceAll('.', '\\.')}.*suggested$`));
    await page.screenshot({ path: `${SHOTS}/netns-1-suggested.png` });

    await page.getByRole('button', { name: 'Start capture' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Stop capture' }).isEnabled()).toBe(true);
    const seen = new Set<string>();
    const poll = setInterval(() => {
      void page.getByRole('grid', { name: 'Packet list' }).locator('.pl-row').allTextContents().then((l) => l.forEach((s) => seen.add(s))).catch(() => {});
    }, 40);
    try {
      await visit();
      const all = () => [...seen].join('\n');
      for (const re of [/\[SYN\] Seq=0/, /\[SYN, ACK\] Seq=0 Ack=1/, /GET \/ HTTP\/1\.1/, /HTTP\/1\.1 200 OK/, /\[FIN, ACK\]/]) {
        await expect.poll(all, { timeout: 20_000 }).toMatch(re);
      }
      expect(all()).toContain(`${NS_IP}${HOST_IP}TCP`);
    } finally {
      clearInterval(poll);
    }
    await page.getByRole('button', { name: 'Stop capture' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Start capture' }).isEnabled()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/netns-2-captured.png` });

    const out = join(dir, 'lab.pcap');
    await page.getByRole('button', { name: 'Save as…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save capture as' });
    await dialog.getByRole('radio', { name: 'pcap', exact: true }).check();
    await dialog.getByRole('textbox', { name: 'File' }).fill(out);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => existsSync(out)).toBe(true);
    const total = Number(await page.getByLabel('Capture counters').getAttribute('data-captured'));
    expect(tshark(out, ['-T', 'fields', '-e', 'frame.number'])).toHaveLength(total);
    expect(tshark(out, ['-Y', `ip.src == ${NS_IP} && http.request.method == "GET"`]).length).toBeGreaterThan(0);
    expect(tshark(out, ['-Y', `ip.src == ${HOST_IP} && http.response.code == 200 && http contains "1911406"`]).length).toBe(1);
  }, 90_000);
});
