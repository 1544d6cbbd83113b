// @vitest-environment jsdom
// The workbench controller over the real backend (harness.tsx): the saved page arriving after the
// student has started typing must not wipe what they typed. This was the e2e lab-flow flake: on a
// loaded machine `netlab ui` answered site.get (which first writes the site folder from the
// template) after Playwright had filled the form, the form went back to the template's page, and
// "Save page" served a page without the student ID.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PAGE } from '../../../core/lab/page.js';
import { type Harness, mountApp } from './harness.js';

let h: Harness | null = null;
afterEach(async () => {
  cleanup();
  await h?.close();
  h = null;
});

describe('Workbench.refreshServer', () => {
  it('keeps the fields typed while the saved page was loading, and fills in the rest', async () => {
    h = await mountApp();
    // The request leaves now; its answer needs the backend's file I/O, so it cannot arrive before the
    // synchronous typing below: the order is the one the flake had, every time.
    const loading = h.wb.refreshServer();
    fireEvent.change(screen.getByRole('textbox', { name: 'Student ID' }), { target: { value: '1911406' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'Li Hua' } });
    await loading;
    const page = h.wb.store.getState().page;
    expect(page.studentId).toBe('1911406');
    expect(page.name).toBe('Li Hua');
    // Untouched fields come from the saved page (here the template's, on a first run).
    expect(page.title).toBe(DEFAULT_PAGE.title);
    expect((screen.getByRole('textbox', { name: 'Student ID' }) as HTMLInputElement).value).toBe('1911406');

    fireEvent.click(screen.getByRole('button', { name: 'Save page' }));
    await screen.findByText('Page saved');
    const html = readFileSync(join(h.dir, 'site', 'index.html'), 'utf8');
    expect(html).toContain('1911406');
    expect(html).toContain('Li Hua');
  });

  it('shows the saved page when nothing was typed', async () => {
    h = await mountApp();
    await h.wb.refreshServer();
    expect(h.wb.store.getState().page).toMatchObject({ title: DEFAULT_PAGE.title, studentId: DEFAULT_PAGE.studentId });
  });
});
