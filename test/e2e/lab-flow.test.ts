// The whole lab, end to end (issue 8 "Proof"): `netlab ui` (the real bundled CLI, real lab server,
// real capture helper on real libpcap) driven by Debian's Chromium through playwright-core. Fill the
// page form with a PNG logo, start the server on loopback, capture on the interface the UI suggests
// (lo: the browser is on this machine), load the page from a second Chromium, watch the handshake,
// the GET, the 200 OK and the FIN appear live in the packet list, filter with the handout's
// `http contains "1911406"`, check the response's tree and highlighted bytes, save as pcap from the
// spool and read the file back with tshark. Screenshots of each step go to test-results/e2e/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, type RunningUi, SHOTS, launchWorkbenchBrowser, startLabServer, startUi, tsharkLines as tshark } from '../support/workbench-ui.js';

const STUDENT_ID = '1911406';
// A 2x2 RGB PNG (IHDR, IDAT, IEND), made with Python's zlib; the site service sniffs its signature.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==', 'base64');

let ui: RunningUi | undefined;
let labPort: number;
let context: BrowserContext;
let visitor: Browser | null = null;
let page: Page;
let url: string;
let dir: string;
const seenInfo = new Set<string>();

/** The Info cells of the rows the packet list shows right now. */
async function visibleInfo(): Promise<string[]> {
  return page.getByRole('grid', { name: 'Packet list' }).locator('.pl-info').allTextContents();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'nlJ-lab-'));
  writeFileSync(join(dir, 'logo.png'), PNG);
  ui = await startUi({ dataDir: join(dir, 'data') });
  url = ui.url;
  context = await launchWorkbenchBrowser(join(dir, 'profile'), { viewport: { width: 1500, height: 1400 } });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await visitor?.close();
  await context?.close();
  await ui?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the lab flow in the workbench (netlab ui + Chromium + real capture)', () => {
  it('fills the page form with a PNG logo and saves the page', async () => {
    await page.goto(url);
    await page.getByRole('textbox', { name: 'Major' }).fill('Computer Science');
    await page.getByRole('textbox', { name: 'Student ID' }).fill(STUDENT_ID);
    await page.getByRole('textbox', { name: 'Name' }).fill('Li Hua');
    await page.locator('input[type="file"][aria-label="Logo"]').setInputFiles(join(dir, 'logo.png'));
    await expect.poll(() => page.getByRole('img', { name: 'Logo' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Save page' }).click();
    await expect.poll(() => page.getByText('Page saved').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/lab-1-page-form.png` });
  });

  it('starts the server on loopback and shows its URL', async () => {
    labPort = await startLabServer(page, { listenOn: 'loopback' });
    await expect.poll(() => page.getByText(`http://127.0.0.1:${labPort}/`).count()).toBe(1);
    // The capture filter is pre-filled from the server's port.
    await expect.poll(() => page.getByRole('textbox', { name: 'Capture filter' }).inputValue()).toBe(`tcp port ${labPort}`);
    await page.screenshot({ path: `${SHOTS}/lab-2-server.png` });
  });

  it('suggests loopback, starts capturing, and shows the exchange live', async () => {
    const iface = page.getByRole('combobox', { name: 'Interface' });
    await iface.focus();
    await expect.poll(() => iface.inputValue()).toBe('lo');
    await expect.poll(() => iface.locator('option:checked').textContent()).toContain('suggested');
    await expect.poll(() => page.getByRole('textbox', { name: 'Capture filter' }).getAttribute('class')).toContain('valid');
    await page.getByRole('button', { name: 'Start capture' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Stop capture' }).isEnabled()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/lab-3-capturing.png` });

    // A second browser (its own process and profile) fetches the student's page over loopback.
    visitor = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const vctx = await visitor.newContext();
    const vpage = await vctx.newPage();
    const poll = setInterval(() => { void visibleInfo().then((l) => l.forEach((s) => seenInfo.add(s))).catch(() => {}); }, 40);
    try {
      const res = await vpage.goto(`http://127.0.0.1:${labPort}/`);
      expect(res?.status()).toBe(200);
      expect(await vpage.textContent('body')).toContain(STUDENT_ID);
      await expect.poll(() => vpage.evaluate(() => (document.querySelector('img.logo') as HTMLImageElement | null)?.naturalWidth ?? 0)).toBe(2);
      // Closing the visitor closes its connections: the teardown (FIN) follows.
      await vctx.close();
      await visitor.close();
      visitor = null;
      const all = () => [...seenInfo].join('\n');
      await expect.poll(() => all(), { timeout: 20_000 }).toMatch(/\[SYN\] Seq=0/);
      await expect.poll(() => all(), { timeout: 20_000 }).toMatch(/\[SYN, ACK\] Seq=0 Ack=1/);
      await expect.poll(() => all(), { timeout: 20_000 }).toMatch(/\[ACK\] Seq=1 Ack=1/);
      await expect.poll(() => all(), { timeout: 20_000 }).toMatch(/GET \/ HTTP\/1\.1/);
      await expect.poll(() => all(), { timeout: 20_000 }).toMatch(/HTTP\/1\.1 200 OK/);
      await expect.poll(() => all(), { timeout: 20_000 }).toMatch(/\[FIN, ACK\]/);
    } finally {
      clearInterval(poll);
    }
    // The access log shows the requests as they were served.
    await expect.poll(() => page.getByRole('log', { name: 'Access log' }).textContent()).toMatch(/"GET \/ HTTP\/1\.1" 200/);
    await page.screenshot({ path: `${SHOTS}/lab-4-exchange.png` });
  }, 60_000);

  it('stops the capture with every packet listed', async () => {
    await page.getByRole('button', { name: 'Stop capture' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Start capture' }).isEnabled()).toBe(true);
    const counters = page.getByLabel('Capture counters');
    const captured = Number(await counters.getAttribute('data-captured'));
    expect(captured).toBeGreaterThanOrEqual(10);
    expect(await page.getByRole('grid', { name: 'Packet list' }).getAttribute('aria-rowcount')).toBe(String(captured + 1));
    expect(await counters.getAttribute('data-dropped')).toBe('0');
  });

  it('filters with http contains "<student id>", selects the response, checks tree and bytes', async () => {
    const box = page.getByRole('textbox', { name: 'Display filter' });
    await box.fill(`http contains "${STUDENT_ID}"`);
    await box.press('Enter');
    const grid = page.getByRole('grid', { name: 'Packet list' });
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('2');
    const row = grid.getByRole('row').nth(1);
    await expect.poll(() => row.locator('.pl-info').textContent()).toMatch(/^HTTP\/1\.1 200 OK/);
    await row.click();
    const tree = page.getByRole('tree', { name: 'Packet details' });
    await expect.poll(() => tree.getByRole('treeitem').first().textContent()).toMatch(/Frame \d+: \d+ bytes on wire/);
    await page.getByRole('button', { name: 'Expand all' }).click();
    await expect.poll(() => tree.getByRole('treeitem').filter({ hasText: 'Hypertext Transfer Protocol' }).count()).toBeGreaterThan(0);
    expect(await tree.getByRole('treeitem').filter({ hasText: STUDENT_ID }).count()).toBeGreaterThan(0);
    // The status code's bytes ("200") are highlighted in the bytes pane.
    await tree.locator('[data-field="http.response.code"]').first().click();
    const hex = page.getByRole('region', { name: 'Packet bytes' });
    await expect.poll(async () => (await hex.locator('.hb.hl').allTextContents()).join('')).toBe('323030');
    // The request this response answers is marked in the list once the filter is cleared.
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => grid.locator('[data-related="request"]').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/lab-5-response.png` });
  });

  it('saves as pcap from the spool, and tshark reads the same frames', async () => {
    const out = join(dir, 'lab.pcap');
    await page.getByRole('button', { name: 'Save as…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save capture as' });
    await dialog.getByRole('radio', { name: 'pcap', exact: true }).check();
    await dialog.getByRole('textbox', { name: 'File' }).fill(out);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => existsSync(out)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/lab-6-saved.png` });
    const total = Number(await page.getByLabel('Capture counters').getAttribute('data-captured'));
    const frames = tshark(out, ['-T', 'fields', '-e', 'frame.number']);
    expect(frames.length).toBe(total);
    expect(execFileSync('capinfos', ['-t', '-M', out], { encoding: 'utf8' })).toMatch(/File type:\s+pcap\n/);
    expect(tshark(out, ['-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0']).length).toBeGreaterThan(0);
    expect(tshark(out, ['-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 1']).length).toBeGreaterThan(0);
    expect(tshark(out, ['-Y', 'http.request.method == "GET"']).length).toBeGreaterThan(0);
    expect(tshark(out, ['-Y', 'http.response.code == 200']).length).toBeGreaterThan(0);
    expect(tshark(out, ['-Y', 'tcp.flags.fin == 1']).length).toBeGreaterThan(0);
    // The list's Info column equals tshark's for every frame of the saved file.
    const want = tshark(out, ['-T', 'fields', '-e', '_ws.col.Info']);
    const grid = page.getByRole('grid', { name: 'Packet list' });
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(total + 1));
    await grid.getByRole('row').nth(1).click();
    await grid.press('Home');
    const rows = grid.locator('.pl-row:not(.pl-head)');
    await expect.poll(() => rows.first().locator('.pl-no').textContent()).toMatch(/1$/);
    const nums = (await rows.locator('.pl-no').allTextContents()).map((s) => Number(s.replace(/\D/g, '')));
    const infos = await rows.locator('.pl-info').allTextContents();
    expect(nums.length).toBeGreaterThan(5);
    expect(infos).toEqual(nums.map((n) => want[n - 1]));

    // Displayed packets only: the filtered frames, as tshark -Y selects them.
    const box = page.getByRole('textbox', { name: 'Display filter' });
    await box.fill(`http contains "${STUDENT_ID}"`);
    await box.press('Enter');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('2');
    const out2 = join(dir, 'displayed.pcapng');
    await page.getByRole('button', { name: 'Save as…' }).click();
    await dialog.getByRole('radio', { name: 'Displayed packets only' }).check();
    await dialog.getByRole('textbox', { name: 'File' }).fill(out2);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => existsSync(out2)).toBe(true);
    expect(tshark(out2, ['-T', 'fields', '-e', 'frame.len'])).toEqual(tshark(out, ['-Y', `http contains "${STUDENT_ID}"`, '-T', 'fields', '-e', 'frame.len']));
  });

  it('stops the server', async () => {
    await page.getByRole('button', { name: 'Stop server' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Start server' }).isEnabled()).toBe(true);
  });
});
