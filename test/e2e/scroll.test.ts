// A million packets in the list (issue 8 "Proof"): writes 1,000,000 small, valid Ethernet/IPv4/TCP
// frames with core/capfile's PcapWriter into a temp file (never committed), opens it in `netlab ui`
// in Chromium, scrolls the packet list programmatically from top to bottom, and reports the frame
// times the browser's own timeline saw (requestAnimationFrame deltas; long-animation-frame entries
// where Chromium has them). Speed is printed, not asserted: the assertions are that rows render at
// the top, the middle and the bottom, and that the last row is frame 1000000.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PcapWriter } from '../../core/capfile/index.js';
import type { PacketRecord } from '../../core/capfile/record.js';
import { type RunningUi, SHOTS, launchWorkbenchBrowser, startUi } from '../support/workbench-ui.js';

const N = 1_000_000;
/** A port no dissector claims, so the Info column is TCP's own. */
const SERVER = 40000;
let ui: RunningUi | undefined;
let context: BrowserContext;
let page: Page;
let dir: string;
let file: string;

function sum16(b: Uint8Array, from: number, to: number, init = 0): number {
  let s = init;
  for (let i = from; i < to; i += 2) s += (b[i] << 8) | (i + 1 < to ? b[i + 1] : 0);
  return s;
}
const fold = (s: number) => {
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
};

/** 1,000 TCP conversations of 1,000 ACK segments with 6 bytes of payload each; checksums right. */
function writeCapture(path: string): void {
  const w = new PcapWriter({ linkType: 1 });
  const fd = openSync(path, 'w');
  writeSync(fd, w.header());
  const frame = new Uint8Array(60);
  const dv = new DataView(frame.buffer);
  frame.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00], 0);
  const rec: PacketRecord = { tsSec: 1_700_000_000, tsNsec: 0, capLen: 60, origLen: 60, interfaceId: 0, linkType: 1, data: frame, fileOffset: 0 };
  const chunk = new Uint8Array(8 << 20);
  let used = 0;
  const out = new Uint8Array(16 + 60);
  for (let i = 0; i < N; i++) {
    const conv = i % 1000, k = Math.floor(i / 1000), toServer = (k & 1) === 0;
    const client = 10_000 + conv;
    // IPv4: 20 bytes, total length 46, TTL 64, TCP.
    frame.set([0x45, 0, 0, 46, 0, 0, 0x40, 0, 64, 6, 0, 0], 14);
    dv.setUint16(18, i & 0xffff);
    dv.setUint32(26, toServer ? 0x0a000001 : 0x0a000002);
    dv.setUint32(30, toServer ? 0x0a000002 : 0x0a000001);
    dv.setUint16(24, 0);
    dv.setUint16(24, fold(sum16(frame, 14, 34)));
    // TCP: ports, seq/ack, ACK|PSH, window, 6 bytes "netlab".
    dv.setUint16(34, toServer ? client : SERVER);
    dv.setUint16(36, toServer ? SERVER : client);
    dv.setUint32(38, 1 + 6 * (k >> 1));
    dv.setUint32(42, 1 + 6 * ((k + (toServer ? 0 : 1)) >> 1));
    frame[46] = 0x50;
    frame[47] = 0x18;
    dv.setUint16(48, 65535);
    dv.setUint16(50, 0);
    dv.setUint16(52, 0);
    frame.set([0x6e, 0x65, 0x74, 0x6c, 0x61, 0x62], 54);
    const pseudo = sum16(frame, 26, 34) + 6 + 26;
    dv.setUint16(50, fold(sum16(frame, 34, 60, pseudo)));
    rec.tsSec = 1_700_000_000 + Math.floor(i / 10_000);
    rec.tsNsec = (i % 10_000) * 100_000;
    const bytes = w.record(rec, out);
    if (used + bytes.length > chunk.length) {
      writeSync(fd, chunk, 0, used);
      used = 0;
    }
    chunk.set(bytes, used);
    used += bytes.length;
  }
  writeSync(fd, chunk, 0, used);
  closeSync(fd);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'nlJ-scroll-'));
  file = join(dir, 'million.pcap');
  writeCapture(file);
  ui = await startUi({ dataDir: join(dir, 'data'), file });
  context = await launchWorkbenchBrowser(join(dir, 'profile'), { viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  await page.goto(ui.url);
}, 300_000);

afterAll(async () => {
  await context?.close();
  await ui?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a million-packet capture in the packet list', () => {
  it('loads every frame', async () => {
    const t0 = Date.now();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 600_000, interval: 1000 }).toContain(`Packets: ${N} · Displayed: ${N}`);
    await expect.poll(() => page.getByRole('status').locator('progress').count(), { timeout: 60_000 }).toBe(0);
    console.log(`scroll test: ${N} frames opened in ${((Date.now() - t0) / 1000).toFixed(1)} s (after the page connected)`);
    const grid = page.getByRole('grid', { name: 'Packet list' });
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(N + 1));
  }, 660_000);

  it('scrolls top to bottom; reports frame times; rows render at top, middle and bottom', async () => {
    const grid = page.getByRole('grid', { name: 'Packet list' });
    const firstNo = () => grid.locator('.pl-row:not(.pl-head) .pl-no').first().textContent();
    const lastNo = async () => (await grid.locator('.pl-row:not(.pl-head) .pl-no').allTextContents()).filter((s) => s !== '').pop();
    await expect.poll(firstNo).toBe('1');
    const info1 = execFileSync('tshark', ['-n', '-r', file, '-c', '1', '-T', 'fields', '-e', '_ws.col.Info'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    expect(info1).toMatch(/^10000 → 40000 \[PSH, ACK\] Seq=1 Ack=1 Win=65535 Len=6/);
    // A row shows its number at once and its summary when the engine worker answers: wait for it.
    const firstInfo = () => grid.locator('.pl-row:not(.pl-head) .pl-info').first().textContent();
    await expect.poll(firstInfo).toBe(info1);
    await page.screenshot({ path: `${SHOTS}/scroll-1-top.png` });

    // Scroll in steps, one per animation frame, as a wheel or a dragged scrollbar would, and record
    // every frame's duration from requestAnimationFrame timestamps.
    const m = await page.evaluate(async () => {
      const el = document.querySelector('.pl-scroll') as HTMLElement;
      const deltas: number[] = [];
      const loaf: number[] = [];
      let obs: PerformanceObserver | null = null;
      try {
        obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) loaf.push(e.duration); });
        obs.observe({ type: 'long-animation-frame', buffered: false });
      } catch { obs = null; }
      const max = el.scrollHeight - el.clientHeight;
      const steps = 600;
      let last = await new Promise<number>((r) => requestAnimationFrame(r));
      for (let i = 1; i <= steps; i++) {
        // Mostly small wheel-like steps, with a few long jumps (dragging the thumb).
        el.scrollTop = i % 100 === 0 ? max * (i / steps) : Math.min(max, el.scrollTop + (i < steps / 2 ? 60 : max / steps));
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        deltas.push(now - last);
        last = now;
      }
      obs?.disconnect();
      return { deltas, loaf, supported: obs !== null };
    });
    const p50 = pct(m.deltas, 50), p95 = pct(m.deltas, 95), worst = Math.max(...m.deltas);
    console.log(`scroll test: ${m.deltas.length} frames, frame time p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${worst.toFixed(1)} ms (target p95 <= 16.7 ms); long-animation-frame entries: ${m.supported ? m.loaf.length : 'not supported'}`);

    // Middle: the frame at the middle of the list renders with its own number.
    await page.evaluate(() => {
      const el = document.querySelector('.pl-scroll') as HTMLElement;
      el.scrollTop = (el.scrollHeight - el.clientHeight) / 2;
    });
    await expect.poll(async () => Number(await firstNo())).toBeGreaterThan(N / 2 - 100);
    expect(Number(await firstNo())).toBeLessThan(N / 2 + 100);
    await expect.poll(firstInfo).toMatch(/ → .*\[PSH, ACK\]/);
    await page.screenshot({ path: `${SHOTS}/scroll-2-middle.png` });

    // Bottom: the last row is frame 1000000, and End/Home keys travel the whole list.
    await page.evaluate(() => {
      const el = document.querySelector('.pl-scroll') as HTMLElement;
      el.scrollTop = el.scrollHeight;
    });
    await expect.poll(lastNo).toBe(String(N));
    await page.screenshot({ path: `${SHOTS}/scroll-3-bottom.png` });
    await grid.getByRole('row').nth(3).click();
    await grid.press('Home');
    await expect.poll(firstNo).toBe('1');
    await grid.press('End');
    await expect.poll(lastNo).toBe(String(N));
    await expect.poll(() => grid.locator('.pl-row.selected .pl-no').textContent()).toBe(String(N));
  }, 120_000);
});
