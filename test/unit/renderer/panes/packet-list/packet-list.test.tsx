// @vitest-environment jsdom
// The packet list on the lab sample: Wireshark's colours by rule, Home/End, and the related-packet
// marks of a selected HTTP response (its request, the frame it ACKs), as tshark links them.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { scrollGeometry } from '../../../../../renderer/panes/packet-list/packet-list.js';
import { type Harness, mountApp } from '../../harness.js';

const SAMPLE = 'assets/sample/lab-exchange.pcapng';
let h: Harness | null = null;
afterEach(async () => {
  cleanup();
  await h?.close();
  h = null;
});

describe('scrollGeometry', () => {
  it('maps the whole of a million rows onto a scroll range browsers can hold', () => {
    const g = scrollGeometry(1_000_000, 400);
    expect(g.scrollH).toBe(8_000_000);
    expect(g.offsetOf(0)).toBe(0);
    expect(g.offsetOf(g.scrollH - 400)).toBeCloseTo(1_000_000 * 20 - 400, 3);
    expect(g.topFor(g.offsetOf(123_456))).toBeCloseTo(123_456, 3);
    expect(scrollGeometry(100, 400).offsetOf(50)).toBe(50);
  });
});

describe('<PacketList>', () => {
  it('marks the request of the selected response and the frame it ACKs', async () => {
    const [resp, req] = execFileSync('tshark', ['-n', '-r', SAMPLE, '-Y', 'http.response && http.request_in', '-T', 'fields', '-e', 'frame.number', '-e', 'http.request_in'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].split('\t').map(Number);
    h = await mountApp();
    fireEvent.click(screen.getByRole('button', { name: 'Open sample capture' }));
    const grid = await screen.findByRole('grid', { name: 'Packet list' });
    await waitFor(() => expect(Number(grid.getAttribute('aria-rowcount'))).toBeGreaterThan(resp));
    await h.wb.goToFrame(resp);
    await waitFor(() => expect(grid.querySelector(`[data-related="request"] .pl-no`)?.textContent).toBe(`→${req}`));
    expect(grid.querySelector('[data-related="request"] .rel-mark')!.getAttribute('aria-label')).toBe('Request for the selected response');
    // Colours: the row of an HTTP frame has Wireshark's HTTP rule colours.
    const rowOf = (n: number) => [...grid.querySelectorAll('.pl-row')].find((r) => r.querySelector('.pl-no')?.textContent?.replace(/\D/g, '') === String(n)) as HTMLElement;
    expect(rowOf(req).style.background).toBe('rgb(228, 255, 199)');
    // An ACK marks the frame it acknowledges (tcp.analysis.acks_frame).
    const [ack, acked] = execFileSync('tshark', ['-n', '-r', SAMPLE, '-Y', 'tcp.analysis.acks_frame && !http', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.analysis.acks_frame'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].split('\t').map(Number);
    await h.wb.goToFrame(ack);
    await waitFor(() => expect(grid.querySelector('[data-related="acked"] .pl-no')?.textContent).toBe(`✓${acked}`));
    fireEvent.keyDown(grid, { key: 'End' });
    await waitFor(() => expect(h!.wb.store.getState().selectedIndex).toBe(h!.wb.store.getState().displayed - 1));
    fireEvent.keyDown(grid, { key: 'Home' });
    await waitFor(() => expect(h!.wb.store.getState().selected).toBe(1));
  });
});
