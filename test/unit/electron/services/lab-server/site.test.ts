// The site service against a real temp folder: first-run template, form save with escaping and a
// sniffed logo, hand-edit detection and overwrite, and the hand-in zip (read back with fflate).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { SiteService, isHandEdited } from '../../../../../electron/services/lab-server/index.js';
import { makePng } from '../../../../fixtures/lab-server/make-png.mjs';

const page = { title: 'Lab 2', major: '计算机科学与技术', studentId: '1911406', name: '<i>Li</i>', freeText: 'Hello & welcome' };
let dir = '';
let svc: SiteService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nlE-site-'));
  svc = new SiteService({ dataDir: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SiteService', () => {
  it('makes the site folder from the template on first use', async () => {
    const st = await svc.get();
    expect(st.root).toBe(join(dir, 'site'));
    expect(st.handEdited).toBe(false);
    for (const f of ['index.html', 'style.css', 'logo.svg', '.netlab-page.json']) expect(existsSync(join(st.root, f)), f).toBe(true);
    expect(readFileSync(join(st.root, 'index.html'), 'utf8')).toContain('<img class="logo" src="logo.svg"');
  });

  it('saves the form escaped, with the logo named by its sniffed type', async () => {
    const png = makePng(16, 16);
    const saved = await svc.save({ page, logo: { name: 'photo.gif', bytes: png } });
    expect(saved.page.logoName).toBe('logo.png');
    const html = readFileSync(join(svc.root, 'index.html'), 'utf8');
    expect(html).toContain('<dd id="name">&lt;i&gt;Li&lt;/i&gt;</dd>');
    expect(html).toContain('<p>Hello &amp; welcome</p>');
    expect(html).toContain('src="logo.png"');
    expect(readFileSync(join(svc.root, 'logo.png')).equals(png)).toBe(true);
    expect(existsSync(join(svc.root, 'logo.svg'))).toBe(false);
    expect((await svc.get()).page).toMatchObject({ ...page, logoName: 'logo.png' });
    // A later save without a new logo keeps the current one.
    await svc.save({ page: { ...page, name: 'Li' } });
    expect(readFileSync(join(svc.root, 'index.html'), 'utf8')).toContain('src="logo.png"');
  });

  it('refuses a logo that is not a picture, whatever its name, and writes nothing', async () => {
    await svc.ensure();
    const before = readFileSync(join(svc.root, 'index.html'), 'utf8');
    await expect(svc.save({ page, logo: { name: 'logo.png', bytes: new TextEncoder().encode('#!/bin/sh\necho hi\n') } }))
      .rejects.toMatchObject({ code: 'ERR_LOGO_TYPE', hint: expect.stringMatching(/PNG, JPEG, GIF or SVG/) });
    expect(readFileSync(join(svc.root, 'index.html'), 'utf8')).toBe(before);
    await expect(svc.save({ page: { ...page, studentId: 'x'.repeat(100) } })).rejects.toMatchObject({ code: 'ERR_PAGE_FIELD_TOO_LONG' });
  });

  it('keeps a hand-edited index.html unless told to overwrite it', async () => {
    await svc.save({ page });
    const file = join(svc.root, 'index.html');
    expect(isHandEdited(readFileSync(file, 'utf8'))).toBe(false);
    const edited = readFileSync(file, 'utf8').replace('<main>', '<main><marquee>mine</marquee>');
    writeFileSync(file, edited);
    expect((await svc.get()).handEdited).toBe(true);
    await expect(svc.save({ page: { ...page, name: 'New' } })).rejects.toMatchObject({ code: 'ERR_PAGE_HAND_EDITED' });
    expect(readFileSync(file, 'utf8')).toBe(edited);
    await svc.save({ page: { ...page, name: 'New' }, overwrite: true });
    expect(readFileSync(file, 'utf8')).toContain('<dd id="name">New</dd>');
    expect((await svc.get()).handEdited).toBe(false);
    // Text added after the marker, or a page without a marker, counts as edited too.
    appendFileSync(file, '<p>x</p>\n');
    expect((await svc.get()).handEdited).toBe(true);
    expect(isHandEdited('<html>hand made</html>')).toBe(true);
  });

  it('exports the site as a zip without dotfiles or symlinks', async () => {
    await svc.save({ page, logo: { name: 'l.png', bytes: makePng(8, 8) } });
    writeFileSync(join(dir, 'outside.txt'), 'outside');
    symlinkSync(join(dir, 'outside.txt'), join(svc.root, 'link.txt'));
    const { path, files } = await svc.export();
    expect(path).toBe(join(dir, 'site-1911406.zip'));
    expect(files).toEqual(['index.html', 'logo.png', 'style.css']);
    const zip = unzipSync(new Uint8Array(readFileSync(path)));
    expect(Object.keys(zip).sort()).toEqual(['index.html', 'logo.png', 'style.css']);
    expect(Buffer.from(zip['index.html']!).toString()).toBe(readFileSync(join(svc.root, 'index.html'), 'utf8'));
    const custom = join(dir, 'out', 'hand-in.zip');
    expect((await svc.export(custom)).path).toBe(custom);
    expect(existsSync(custom)).toBe(true);
  });
});
