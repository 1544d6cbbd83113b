// @vitest-environment jsdom
// The window's structure for keyboards and screen readers (issue 8): one control per accessible
// name, the panes' roles and names, and the Go to packet dialog (Ctrl+G) on the lab sample.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, mountApp } from './harness.js';

let h: Harness | null = null;
afterEach(async () => {
  cleanup();
  await h?.close();
  h = null;
});

describe('<App>', () => {
  it('names each main control once, and the welcome actions lead to the panels', async () => {
    h = await mountApp();
    for (const name of ['Start server', 'Stop server', 'Start capture', 'Stop capture', 'Save as…', 'Open sample capture']) {
      expect(screen.getAllByRole('button', { name })).toHaveLength(1);
    }
    expect(screen.getAllByRole('combobox', { name: 'Interface' })).toHaveLength(1);
    expect(screen.getAllByRole('textbox', { name: 'Display filter' })).toHaveLength(1);
    for (const name of ['Major', 'Student ID', 'Name']) expect(screen.getAllByRole('textbox', { name })).toHaveLength(1);
    expect(screen.getByRole('tree', { name: 'Packet details' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Packet bytes' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Set up the lab web server' }));
    expect(document.activeElement).toBe(screen.getByRole('spinbutton', { name: 'Port' }));
  });

  it('opens the sample, moves with the keyboard, and goes to a packet with Ctrl+G', async () => {
    h = await mountApp();
    fireEvent.click(screen.getByRole('button', { name: 'Open sample capture' }));
    const grid = await screen.findByRole('grid', { name: 'Packet list' });
    await waitFor(() => expect(Number(grid.getAttribute('aria-rowcount'))).toBeGreaterThan(10));
    await waitFor(() => expect(within(grid).getAllByRole('row')[1].textContent).toMatch(/^1/));
    fireEvent.click(within(grid).getAllByRole('row')[1]);
    await waitFor(() => expect(h!.wb.store.getState().selected).toBe(1));
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await waitFor(() => expect(h!.wb.store.getState().selected).toBe(2));
    await waitFor(() => expect(screen.getByRole('tree', { name: 'Packet details' }).textContent).toMatch(/Frame 2: /));

    act(() => { fireEvent.keyDown(window, { key: 'g', ctrlKey: true }); });
    const dialog = await screen.findByRole('dialog', { name: 'Go to packet' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Packet number' }), { target: { value: '7' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Go' }));
    await waitFor(() => expect(h!.wb.store.getState().selected).toBe(7));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(grid.querySelector('[aria-selected="true"] .pl-no')?.textContent).toMatch(/7$/));

    // A frame that does not exist is refused with a message saying which numbers exist.
    act(() => { fireEvent.keyDown(window, { key: 'g', ctrlKey: true }); });
    const again = await screen.findByRole('dialog', { name: 'Go to packet' });
    fireEvent.change(within(again).getByRole('textbox', { name: 'Packet number' }), { target: { value: '999999' } });
    fireEvent.click(within(again).getByRole('button', { name: 'Go' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/There is no frame 999999\..*Type a number from 1 to \d+/));
  });
});
