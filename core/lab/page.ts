// The student's page (the lab's deliverable: "a simple page with your major, student ID, name and your
// own logo"): the model the form edits, its validation, and its rendering into the site template.
// Pure: the site service (electron/services/lab-server/site.ts) does the file work.

export interface PageModel {
  title: string;
  major: string;
  studentId: string;
  name: string;
  freeText: string;
  /** File name of the logo inside the site folder (e.g. "logo.png"); none shows no image. */
  logoName?: string;
}

export interface PageError {
  code: string;
  message: string;
  hint: string;
  /** The form field the error is about, for the UI to underline. */
  field?: keyof PageModel | 'logo';
}

/** The limits of the API contract's PageModelSchema, repeated here so the core checks hold alone. */
export const PAGE_LIMITS = { title: 200, major: 200, studentId: 64, name: 200, freeText: 10_000 } as const;

/** A logo is a small picture; 2 MiB keeps the page quick to load (and its capture small to read). */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

export type LogoKind = 'png' | 'jpeg' | 'gif' | 'svg';

export interface LogoType {
  kind: LogoKind;
  mime: string;
  ext: string;
}

const LOGO_TYPES: Record<LogoKind, LogoType> = {
  png: { kind: 'png', mime: 'image/png', ext: 'png' },
  jpeg: { kind: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  gif: { kind: 'gif', mime: 'image/gif', ext: 'gif' },
  svg: { kind: 'svg', mime: 'image/svg+xml', ext: 'svg' },
};

export const DEFAULT_PAGE: PageModel = {
  title: 'Computer Networks Lab: my web server',
  major: '',
  studentId: '',
  name: '',
  freeText: '',
  logoName: 'logo.svg',
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values (the five characters OWASP lists). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Free text: escaped, blank lines start paragraphs, single newlines become <br>. */
export function freeTextToHtml(text: string): string {
  const paras = text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n+/).map((p) => p.trim()).filter((p) => p !== '');
  return paras.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`).join('\n');
}

// C0 controls other than tab/newline are never typed on purpose and would make invalid HTML.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Checks the typed fields; the first problem found, or null. */
export function validatePage(page: PageModel): PageError | null {
  for (const key of ['title', 'major', 'studentId', 'name', 'freeText'] as const) {
    const v = page[key];
    if (typeof v !== 'string') {
      return { code: 'ERR_PAGE_FIELD', field: key, message: `The field "${key}" is missing.`, hint: 'Fill in every field of the page form.' };
    }
    if (v.length > PAGE_LIMITS[key]) {
      return { code: 'ERR_PAGE_FIELD_TOO_LONG', field: key, message: `The field "${key}" has ${v.length} characters; at most ${PAGE_LIMITS[key]} are allowed.`, hint: 'Shorten the text.' };
    }
    if (CONTROL.test(v)) {
      return { code: 'ERR_PAGE_FIELD_CONTROL', field: key, message: `The field "${key}" contains control characters.`, hint: 'Retype the text instead of pasting it from a binary file.' };
    }
  }
  if (page.logoName !== undefined && !/^logo\.(png|jpg|gif|svg)$/.test(page.logoName)) {
    return { code: 'ERR_PAGE_LOGO_NAME', field: 'logo', message: `"${page.logoName}" is not a logo file name this app writes.`, hint: 'Pick the logo again in the form.' };
  }
  return null;
}

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  if (b.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}

function asciiPrefix(b: Uint8Array, n: number): string {
  let s = '';
  const end = Math.min(b.length, n);
  for (let i = 0; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/**
 * The picture type from its first bytes (magic numbers), never from the file name: PNG (RFC 2083
 * signature), JPEG (SOI + marker), GIF87a/89a, or SVG (XML text whose first element is <svg>).
 */
export function sniffLogo(bytes: Uint8Array): LogoType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return LOGO_TYPES.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return LOGO_TYPES.jpeg;
  const head6 = asciiPrefix(bytes, 6);
  if (head6 === 'GIF87a' || head6 === 'GIF89a') return LOGO_TYPES.gif;
  let text = asciiPrefix(bytes, 4096);
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  // Skip the XML declaration, comments, processing instructions and a DOCTYPE before the root element.
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*/i;
  const rest = text.replace(prolog, '');
  if (/^<svg[\s>/]/i.test(rest)) return LOGO_TYPES.svg;
  return null;
}

/** Size and type check of a picked or dropped logo; `fileName` only makes the messages clearer. */
export function validateLogo(bytes: Uint8Array, fileName = 'the file'): { ok: true; type: LogoType } | { ok: false; error: PageError } {
  if (bytes.length === 0) {
    return { ok: false, error: { code: 'ERR_LOGO_EMPTY', field: 'logo', message: `${fileName} is empty.`, hint: 'Pick a PNG, JPEG, GIF or SVG picture.' } };
  }
  if (bytes.length > LOGO_MAX_BYTES) {
    const mib = (bytes.length / 1048576).toFixed(1);
    return { ok: false, error: { code: 'ERR_LOGO_TOO_LARGE', field: 'logo', message: `${fileName} is ${mib} MiB; a logo may be at most ${LOGO_MAX_BYTES / 1048576} MiB.`, hint: 'Scale the picture down (a few hundred pixels wide is plenty) or save it as a compressed PNG or JPEG.' } };
  }
  const type = sniffLogo(bytes);
  if (type === null) {
    return { ok: false, error: { code: 'ERR_LOGO_TYPE', field: 'logo', message: `${fileName} is not a PNG, JPEG, GIF or SVG picture (its content was checked, not its name).`, hint: 'Export the logo as PNG, JPEG, GIF or SVG from your image editor; renaming a file does not change its type.' } };
  }
  if (type.kind === 'svg') {
    const text = asciiPrefix(bytes, bytes.length);
    // Opened directly (not through <img>), an SVG runs its scripts in the server's origin.
    if (/<script[\s>]|\son[a-z]+\s*=|javascript:/i.test(text)) {
      return { ok: false, error: { code: 'ERR_LOGO_SVG_SCRIPT', field: 'logo', message: `${fileName} is an SVG with scripts or event handlers.`, hint: 'Remove the <script> elements and on…= attributes, or export the logo as PNG.' } };
    }
  }
  return { ok: true, type };
}

/** The logo file name written into the site folder for a sniffed type. */
export function logoFileName(type: LogoType): string {
  return `logo.${type.ext}`;
}

/**
 * Fills the template's {{placeholders}} in one pass, so text the student typed that itself looks
 * like a placeholder is never expanded. Unknown placeholders are left as they are.
 */
export function renderPage(page: PageModel, template: string): string {
  const title = page.title.trim() !== '' ? page.title : DEFAULT_PAGE.title;
  const logo = page.logoName !== undefined && page.logoName !== ''
    ? `<img class="logo" src="${escapeHtml(encodeURI(page.logoName))}" alt="${escapeHtml(`Logo of ${page.name}`.trim())}">`
    : '';
  const values: Record<string, string> = {
    title: escapeHtml(title),
    major: escapeHtml(page.major),
    studentId: escapeHtml(page.studentId),
    name: escapeHtml(page.name),
    freeText: freeTextToHtml(page.freeText),
    logo,
  };
  return template.replace(/\{\{([a-zA-Z]+)\}\}/g, (m, key: string) => values[key] ?? m);
}
