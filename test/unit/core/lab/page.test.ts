import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makePng } from '../../../fixtures/lab-server/make-png.mjs';
import {
  DEFAULT_PAGE, LOGO_MAX_BYTES, escapeHtml, freeTextToHtml, logoFileName, renderPage, sniffLogo, validateLogo, validatePage, type PageModel,
} from '../../../../core/lab/page.js';

const template = readFileSync(new URL('../../../../assets/site-template/index.html', import.meta.url), 'utf8');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const page = (p: Partial<PageModel>): PageModel => ({ ...DEFAULT_PAGE, major: 'CS', studentId: '1911406', name: 'Li', ...p });

describe('escapeHtml', () => {
  it('escapes the five HTML metacharacters and nothing else', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a> 计算机`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; 计算机');
  });
});

describe('renderPage', () => {
  it('puts every typed field into the template, escaped', () => {
    const html = renderPage(page({ title: 'Lab <2>', major: '计算机科学与技术', name: '<script>alert(1)</script>', studentId: '"1911406"' }), template);
    expect(html).toContain('<title>Lab &lt;2&gt;</title>');
    expect(html).toContain('<dd id="major">计算机科学与技术</dd>');
    expect(html).toContain('<dd id="student-id">&quot;1911406&quot;</dd>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/\{\{[a-zA-Z]+\}\}/);
  });

  it('never expands placeholders the student typed (one pass)', () => {
    const html = renderPage(page({ name: '{{major}}', freeText: '{{logo}} and {{title}}' }), template);
    expect(html).toContain('<dd id="name">{{major}}</dd>');
    expect(html).toContain('<p>{{logo}} and {{title}}</p>');
  });

  it('escapes the logo attribute and alt text', () => {
    const html = renderPage(page({ logoName: 'logo.png', name: 'A"B' }), template);
    expect(html).toContain('<img class="logo" src="logo.png" alt="Logo of A&quot;B">');
    expect(renderPage(page({ logoName: undefined }), template)).not.toContain('<img');
  });

  it('falls back to the default title when the title is blank', () => {
    expect(renderPage(page({ title: '  ' }), template)).toContain(`<title>${escapeHtml(DEFAULT_PAGE.title)}</title>`);
  });
});

describe('freeTextToHtml', () => {
  it('makes paragraphs of blank-line-separated text and <br> of single newlines', () => {
    expect(freeTextToHtml('a\r\nb\n\n\nc <d>')).toBe('<p>a<br>\nb</p>\n<p>c &lt;d&gt;</p>');
    expect(freeTextToHtml('  \n\n ')).toBe('');
  });
});

describe('validatePage', () => {
  it('accepts a normal page and reports the first bad field', () => {
    expect(validatePage(page({}))).toBeNull();
    expect(validatePage(page({ studentId: 'x'.repeat(65) }))).toMatchObject({ code: 'ERR_PAGE_FIELD_TOO_LONG', field: 'studentId' });
    expect(validatePage(page({ name: 'a\u0000b' }))).toMatchObject({ code: 'ERR_PAGE_FIELD_CONTROL', field: 'name' });
    expect(validatePage(page({ logoName: '../../etc/passwd' }))).toMatchObject({ code: 'ERR_PAGE_LOGO_NAME' });
  });
});

describe('sniffLogo', () => {
  it('recognises PNG, JPEG, GIF and SVG by content, not by name', () => {
    expect(sniffLogo(makePng(8, 8))?.kind).toBe('png');
    expect(sniffLogo(bytes('\xff\xd8\xff\xe0\x00\x10JFIF\x00'))?.kind).toBe('jpeg');
    expect(sniffLogo(bytes('GIF89a\x01\x00\x01\x00'))?.kind).toBe('gif');
    expect(sniffLogo(bytes('GIF87a\x01\x00'))?.kind).toBe('gif');
    expect(sniffLogo(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))?.kind).toBe('svg');
    expect(sniffLogo(bytes('\xef\xbb\xbf<?xml version="1.0"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg>')))
      .toMatchObject({ kind: 'svg', mime: 'image/svg+xml', ext: 'svg' });
  });

  it('refuses other files, even with an image-like start', () => {
    expect(sniffLogo(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffLogo(bytes('\x89PNG\r\n'))).toBeNull(); // truncated signature
    expect(sniffLogo(bytes('GIF90a'))).toBeNull();
    expect(sniffLogo(bytes('<html><svg></svg></html>'))).toBeNull();
    expect(sniffLogo(bytes('<svgx>'))).toBeNull();
    expect(sniffLogo(new Uint8Array(0))).toBeNull();
  });
});

describe('validateLogo', () => {
  it('gives the file name for the logo of each type', () => {
    const ok = validateLogo(makePng(4, 4), 'me.jpg');
    expect(ok.ok && logoFileName(ok.type)).toBe('logo.png');
  });

  it('refuses empty, oversized, unknown and scripted logos with a hint', () => {
    expect(validateLogo(new Uint8Array(0), 'a.png')).toMatchObject({ ok: false, error: { code: 'ERR_LOGO_EMPTY' } });
    const big = new Uint8Array(LOGO_MAX_BYTES + 1);
    big.set(makePng(2, 2));
    const tooBig = validateLogo(big, 'big.png');
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'ERR_LOGO_TOO_LARGE' } });
    const notImage = validateLogo(bytes('MZ\x90\x00'), 'logo.png');
    expect(notImage).toMatchObject({ ok: false, error: { code: 'ERR_LOGO_TYPE', field: 'logo' } });
    if (!notImage.ok) expect(notImage.error.hint).toMatch(/PNG/);
    expect(validateLogo(bytes('<svg onload="alert(1)"></svg>'))).toMatchObject({ ok: false, error: { code: 'ERR_LOGO_SVG_SCRIPT' } });
    expect(validateLogo(bytes('<svg><script>alert(1)</script></svg>'))).toMatchObject({ ok: false, error: { code: 'ERR_LOGO_SVG_SCRIPT' } });
    expect(validateLogo(readFileSyncBytes('../../../../assets/site-template/logo.svg')).ok).toBe(true);
  });
});

function readFileSyncBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(rel, import.meta.url)));
}
