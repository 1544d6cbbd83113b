// @vitest-environment jsdom
// The server panel over the real lab server: the page form saves the site (with a PNG logo and its
// preview), Start/Stop server, the URLs, the live access log of a real request, Export site.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, mountApp } from '../../harness.js';

const PORT = 29030;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==', 'base64');
let h: Harness | null = null;
afterEach(async () => {
  cleanup();
  await h?.close();
  h = null;
});

const get = (url: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
  http.get(url, (res) => {
    let body = '';
    res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
  }).on('error', reject);
});

describe('<ServerPanel>', () => {
  it('saves the page with a logo, serves it, logs the request live, exports the site, stops', async () => {
    h = await mountApp();
    fireEvent.change(screen.getByRole('textbox', { name: 'Major' }), { target: { value: 'Network Engineering' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Student ID' }), { target: { value: '1911406' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Name' }), { target: { value: '李华' } });
    const logo = new File([PNG], 'logo.png', { type: 'image/png' });
    fireEvent.change(screen.getByLabelText('Logo', { selector: 'input' }), { target: { files: [logo] } });
    expect(screen.getByRole('img', { name: 'Logo' }).getAttribute('src')).toMatch(/^blob:/);
    fireEvent.click(screen.getByRole('button', { name: 'Save page' }));
    await screen.findByText('Page saved');
    expect(readFileSync(join(h.dir, 'site', 'index.html'), 'utf8')).toContain('1911406');

    fireEvent.change(screen.getByRole('spinbutton', { name: 'Port' }), { target: { value: String(PORT) } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Listen on' }), { target: { value: 'loopback' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start server' }));
    await screen.findByText(`http://127.0.0.1:${PORT}/`);
    expect((screen.getByRole('button', { name: 'Stop server' }) as HTMLButtonElement).disabled).toBe(false);
    expect(h.wb.store.getState().captureFilter).toBe(`tcp port ${PORT}`);

    const res = await get(`http://127.0.0.1:${PORT}/`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('李华');
    await waitFor(() => expect(screen.getByRole('log', { name: 'Access log' }).textContent).toMatch(/"GET \/ HTTP\/1\.1" 200/));

    fireEvent.click(screen.getByRole('button', { name: 'Export site' }));
    const toast = await screen.findByText(/^Site exported to /);
    const zip = toast.textContent!.replace('Site exported to ', '');
    expect(existsSync(zip)).toBe(true);
    expect(readFileSync(zip).subarray(0, 2).toString()).toBe('PK');

    fireEvent.click(screen.getByRole('button', { name: 'Stop server' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Start server' }) as HTMLButtonElement).disabled).toBe(false));
    await expect(get(`http://127.0.0.1:${PORT}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('shows a failure to start as {message, hint, code}', async () => {
    h = await mountApp();
    const blocker = http.createServer().listen(PORT + 1, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      fireEvent.change(screen.getByRole('spinbutton', { name: 'Port' }), { target: { value: String(PORT + 1) } });
      fireEvent.click(screen.getByRole('button', { name: 'Start server' }));
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toMatch(/ERR_PORT_IN_USE/);
    } finally {
      blocker.close();
    }
  });
});
