// End to end: `netlab ui` (the real bundled CLI) driven by Debian's Chromium through playwright-core.
// Opens a capture, checks the list against tshark, selects a packet, checks the tree and the
// highlighted bytes, filters, saves as pcap and checks the saved file with tshark.
// Screenshots of each step go to test-results/e2e/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUi, SHOTS, launchWorkbenchBrowser, startUi } from '../support/workbench-ui.js';

const SAMPLE = existsSync('assets/sample/lab-exchange.pcapng') ? 'assets/sample/lab-exchange.pcapng' : null;
const FILE = SAMPLE ?? 'test/fixtures/l3/l3-eth.pcap';
let ui: RunningUi | undefined;
let context: BrowserContext;
let page: Page;
let url: string;
let dir: string;

function tshark(path: string, args: string[]): string[] {
  return execFileSync('tshark', ['-n', '-r', path, ...args], { encoding: 'utf8' }).trimEnd().split('\n');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'nlH-e2e-'));
  ui = await startUi({ dataDir: join(dir, 'data') });
  url = ui.url;
  context = await launchWorkbenchBrowser(join(dir, 'profile'), { acceptDownloads: true });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await ui?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('netlab ui in Chromium', () => {
  it('prints its URL with the token first, and the page connects', async () => {
    // --port 0: the port the kernel gave, printed in the URL (never 0 itself).
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ui!.port}/\\?token=[\\w-]{32}$`));
    expect(ui!.port).toBeGreaterThan(0);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(url);
    await expect.poll(() => page.getByRole('button', { name: 'Open sample capture' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/1-welcome.png` });
    expect(errors).toEqual([]);
  });

  it('opens a capture and lists every frame, as tshark does', async () => {
    if (SAMPLE) await page.getByRole('button', { name: 'Open sample capture' }).click();
    else await page.getByLabel('Open…').setInputFiles(FILE);
    const n = tshark(FILE, ['-T', 'fields', '-e', 'frame.number']).length;
    const grid = page.getByRole('grid', { name: 'Packet list' });
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(n + 1));
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`Packets: ${n} · Displayed: ${n}`);
    await expect.poll(() => grid.getByRole('row').nth(1).getByRole('gridcell').first().textContent()).toBe('1');
    await page.screenshot({ path: `${SHOTS}/2-opened.png` });
  });

  it('selects a packet, shows its tree, and highlights the bytes of the selected field', async () => {
    const grid = page.getByRole('grid', { name: 'Packet list' });
    await grid.getByRole('row').nth(1).click();
    const tree = page.getByRole('tree', { name: 'Packet details' });
    await expect.poll(() => tree.getByRole('treeitem').first().textContent()).toMatch(/^.?Frame 1: \d+ bytes on wire/);
    // Open Ethernet II and select its Source: 6 bytes at offset 6 are highlighted.
    const eth = tree.getByRole('treeitem').filter({ hasText: /^.?Ethernet II/ });
    await eth.click();
    await eth.press('ArrowRight');
    const src = tree.locator('[data-field="eth.src"]');
    await src.click();
    const hex = page.getByRole('region', { name: 'Packet bytes' });
    const hl = hex.locator('.hb.hl');
    await expect.poll(() => hl.count()).toBe(6);
    expect(await hl.first().getAttribute('data-offset')).toBe('6');
    const want = tshark(FILE, ['-c', '1', '-T', 'fields', '-e', 'eth.src'])[0].replaceAll(':', '');
    expect((await hl.allTextContents()).join('')).toBe(want);
    // Clicking a byte of the destination selects the innermost field covering it.
    await hex.locator('.hb[data-offset="2"]').click();
    // (Wireshark picks the smallest range: eth.dst.ig/lg cover bytes 0-2 and win over eth.dst.)
    await expect.poll(() => tree.locator('[aria-selected="true"]').getAttribute('data-field')).toMatch(/^eth\.dst(\.ig|\.lg)?$/);
    expect(await hex.locator('.hb.hl[data-offset="2"]').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/3-selected.png` });
  });

  it('filters with the lab handout\'s filter and shows the frames tshark shows', async () => {
    const f = 'http contains "1911406"';
    await page.getByRole('textbox', { name: 'Display filter' }).fill(f);
    await page.getByRole('textbox', { name: 'Display filter' }).press('Enter');
    const want = tshark(FILE, ['-Y', f, '-T', 'fields', '-e', 'frame.number']).filter((l) => l !== '');
    const grid = page.getByRole('grid', { name: 'Packet list' });
    await expect.poll(() => grid.getAttribute('aria-rowcount'), { timeout: 20_000 }).toBe(String(want.length + 1));
    if (want.length > 0) await expect.poll(() => grid.getByRole('row').nth(1).getByRole('gridcell').first().textContent()).toBe(want[0]);
    await page.screenshot({ path: `${SHOTS}/4-filtered.png` });
    await page.getByRole('button', { name: 'Clear' }).click();
  });

  it('saves as pcap: tshark reads the same frames back', async () => {
    await page.getByRole('button', { name: 'Save as…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save capture as' });
    await dialog.getByRole('radio', { name: 'pcap', exact: true }).check();
    const [dl] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save', exact: true }).click()]);
    const out = join(dir, 'saved.pcap');
    await dl.saveAs(out);
    expect(tshark(out, ['-T', 'fields', '-e', 'frame.number', '-e', 'frame.len', '-e', 'frame.time_epoch']))
      .toEqual(tshark(FILE, ['-T', 'fields', '-e', 'frame.number', '-e', 'frame.len', '-e', 'frame.time_epoch']));
  });
});
