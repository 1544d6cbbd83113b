// @vitest-environment jsdom
// The display filter bar on the lab sample: red with the error's position as you type a wrong field,
// completion of field names from core/filter, Enter applies, history, bookmarks.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, mountApp } from '../../harness.js';

let h: Harness | null = null;
afterEach(async () => {
  cleanup();
  await h?.close();
  h = null;
  localStorage.clear();
});

describe('<FilterBar>', () => {
  it('checks, completes, applies, remembers and bookmarks filters', async () => {
    h = await mountApp();
    fireEvent.click(screen.getByRole('button', { name: 'Open sample capture' }));
    const grid = await screen.findByRole('grid', { name: 'Packet list' });
    await waitFor(() => expect(Number(grid.getAttribute('aria-rowcount'))).toBeGreaterThan(10));
    const total = h.wb.store.getState().total;
    const box = screen.getByRole('textbox', { name: 'Display filter' });

    fireEvent.change(box, { target: { value: 'tcp.prot == 1' } });
    await waitFor(() => expect(box.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByRole('alert').textContent).toBe('tcp.prot is neither a field nor a protocol name. (0–8)');

    fireEvent.change(box, { target: { value: 'tcp.fla' } });
    const list = await screen.findByRole('listbox');
    const names = within(list).getAllByRole('option').map((o) => o.querySelector('b')!.textContent);
    expect(names[0]).toBe('tcp.flags');
    expect(names).toContain('tcp.flags.syn');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Tab' });
    expect((box as HTMLInputElement).value).toBe(names[1]);

    fireEvent.change(box, { target: { value: 'http contains "1911406"' } });
    await waitFor(() => expect(box.className).toContain('valid'));
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(h!.wb.store.getState().applied).toBe('http contains "1911406"'));
    const shown = h.wb.store.getState().displayed;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(total);
    expect(grid.getAttribute('aria-rowcount')).toBe(String(shown + 1));
    expect(screen.getByRole('combobox', { name: 'Recent filters' }).textContent).toContain('http contains "1911406"');

    fireEvent.click(screen.getByRole('button', { name: /Bookmark this filter/ }));
    expect(screen.getByRole('button', { name: /Bookmark this filter/ }).getAttribute('aria-pressed')).toBe('true');
    expect(JSON.parse(localStorage.getItem('netlab.filterBookmarks')!)).toEqual(['http contains "1911406"']);
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(h!.wb.store.getState().displayed).toBe(total));
    fireEvent.change(screen.getByRole('combobox', { name: 'Bookmarked filters' }), { target: { value: 'http contains "1911406"' } });
    expect((box as HTMLInputElement).value).toBe('http contains "1911406"');
  });
});
