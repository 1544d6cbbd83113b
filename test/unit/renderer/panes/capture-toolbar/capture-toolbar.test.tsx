// @vitest-environment jsdom
// The capture toolbar over the real capture service (libpcap's interface list and filter compiler,
// the capture helper): it suggests loopback, libpcap judges the capture filter as it is typed, and a
// capture on lo lists the packets of a real request with live counters.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, mountApp } from '../../harness.js';

const PORT = 29040;
let h: Harness | null = null;
let server: http.Server | null = null;
afterEach(async () => {
  cleanup();
  await h?.close();
  h = null;
  server?.close();
  server = null;
});

describe('<CaptureToolbar>', () => {
  it('suggests lo, checks the capture filter with libpcap, captures a request live', async () => {
    h = await mountApp();
    const iface = screen.getByRole('combobox', { name: 'Interface' }) as HTMLSelectElement;
    fireEvent.focus(iface);
    await waitFor(() => expect(iface.value).toBe('lo'));
    expect(iface.selectedOptions[0].textContent).toMatch(/^lo \(127\.0\.0\.1.*— suggested$/);

    const bpf = screen.getByRole('textbox', { name: 'Capture filter' });
    fireEvent.change(bpf, { target: { value: 'tcp prot 80' } });
    await waitFor(() => expect(bpf.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText(/syntax error/)).toBeTruthy();
    // Starting with a filter libpcap refused says so and starts nothing.
    fireEvent.click(screen.getByRole('button', { name: 'Start capture' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/ERR_CAPTURE_FILTER/));
    fireEvent.change(bpf, { target: { value: `tcp port ${PORT}` } });
    await waitFor(() => expect(bpf.className).toContain('valid'));
    expect(bpf.getAttribute('aria-invalid')).toBe('false');

    server = http.createServer((_q, r) => r.end('hello 1911406')).listen(PORT, '127.0.0.1');
    fireEvent.click(screen.getByRole('button', { name: 'Start capture' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Stop capture' }) as HTMLButtonElement).disabled).toBe(false));
    const body = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: PORT, agent: false }, (res) => {
        let s = '';
        res.setEncoding('utf8').on('data', (d: string) => { s += d; }).on('end', () => resolve(s));
      }).on('error', reject);
    });
    expect(body).toBe('hello 1911406');
    const counters = screen.getByLabelText('Capture counters');
    await waitFor(() => expect(Number(counters.getAttribute('data-captured'))).toBeGreaterThanOrEqual(8), { timeout: 5000 });
    const grid = screen.getByRole('grid', { name: 'Packet list' });
    await waitFor(() => expect(within(grid).getAllByText(/\[SYN\] Seq=0/).length).toBe(1));
    fireEvent.click(screen.getByRole('button', { name: 'Stop capture' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Start capture' }) as HTMLButtonElement).disabled).toBe(false));
    expect(counters.getAttribute('data-dropped')).toBe('0');
    expect(grid.getAttribute('aria-rowcount')).toBe(String(Number(counters.getAttribute('data-captured')) + 1));
    // The picker's sparkline: lo's packets per second from the kernel's counters, one point a second.
    const spark = await screen.findByRole('img', { name: /^Traffic on lo: \d+ packets\/s$/ });
    await waitFor(() => expect(h!.wb.store.getState().traffic.lo?.length).toBeGreaterThanOrEqual(2), { timeout: 3000 });
    expect(spark.querySelector('polyline')!.getAttribute('points')).toMatch(/^[\d.]+,[\d.]+ [\d.]+,[\d.]+/);
  });
});
