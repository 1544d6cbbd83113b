// The student's site folder: index.html and the logo written from the page form through the
// template in assets/site-template/, a hand-edited index.html kept unless the student says otherwise,
// and "Export site" as a zip for hand-in. The page model is kept beside the page in a dotfile, which
// the server never serves and the export leaves out.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { DEFAULT_PAGE, logoFileName, renderPage, validateLogo, validatePage, type PageModel } from '../../../core/lab/page.js';
import { defaultDataDir } from './data-dir.js';
import { LabServerError, labError } from './errors.js';

export const MODEL_FILE = '.netlab-page.json';
const MARKER = /<!-- netlab-page sha256=([0-9a-f]{64})[^>]*-->\n?$/;
const LOGO_NAMES = ['logo.png', 'logo.jpg', 'logo.gif', 'logo.svg'];

export interface SiteOptions {
  /** Data directory; the site folder is <dataDir>/site unless `root` is given. */
  dataDir?: string;
  root?: string;
  /** Folder holding index.html, style.css and logo.svg; found next to the app when absent. */
  templateDir?: string;
}

export interface SiteState {
  page: PageModel;
  root: string;
  /** index.html was changed by hand since the app last wrote it (or was not written by the app). */
  handEdited: boolean;
}

export interface SaveRequest {
  page: PageModel;
  /** A new logo as picked or dropped; its type is sniffed from the bytes, its name only shown. */
  logo?: { name: string; bytes: ArrayBuffer | Uint8Array };
  /** Replace a hand-edited index.html. */
  overwrite?: boolean;
}

/** assets/site-template, looked for upwards from this module (source tree, dist/ bundle or package). */
export function findTemplateDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'assets', 'site-template');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new LabServerError('ERR_TEMPLATE_MISSING', 'The page template (assets/site-template/index.html) was not found next to the app.', 'Reinstall NetLab Workbench, or run it from its project folder.');
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function stamp(html: string): string {
  return `${html}<!-- netlab-page sha256=${sha256(html)} (written by NetLab Workbench; edit freely, the app keeps an edited page) -->\n`;
}

/** Whether index.html differs from what the app last wrote: its marker is missing or its hash is wrong. */
export function isHandEdited(html: string): boolean {
  const m = MARKER.exec(html);
  if (m === null) return true;
  return sha256(html.slice(0, m.index)) !== m[1];
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export class SiteService {
  readonly root: string;
  private readonly dataDir: string;
  private readonly templateDirOpt: string | undefined;

  constructor(opts: SiteOptions = {}) {
    this.dataDir = opts.dataDir ?? defaultDataDir();
    this.root = opts.root ?? join(this.dataDir, 'site');
    this.templateDirOpt = opts.templateDir;
  }

  private templateDir(): string {
    return this.templateDirOpt ?? findTemplateDir();
  }

  /** Makes the site folder from the template on first use; returns its path. */
  async ensure(): Promise<string> {
    if (existsSync(join(this.root, 'index.html'))) return this.root;
    const tpl = this.templateDir();
    await mkdir(this.root, { recursive: true });
    for (const f of ['style.css', 'logo.svg']) {
      if (!existsSync(join(this.root, f))) await copyFile(join(tpl, f), join(this.root, f));
    }
    await this.writePage({ ...DEFAULT_PAGE });
    return this.root;
  }

  async get(): Promise<SiteState> {
    await this.ensure();
    let page: PageModel = { ...DEFAULT_PAGE };
    try {
      page = { ...page, ...(JSON.parse(await readFile(join(this.root, MODEL_FILE), 'utf8')) as Partial<PageModel>) };
    } catch { /* no model yet (a folder the student made): the defaults */ }
    const html = await readFile(join(this.root, 'index.html'), 'utf8');
    return { page, root: this.root, handEdited: isHandEdited(html) };
  }

  async save(req: SaveRequest): Promise<{ page: PageModel; root: string }> {
    const current = await this.get();
    const page: PageModel = { ...req.page, logoName: req.page.logoName ?? current.page.logoName };
    let logo: { name: string; bytes: Uint8Array } | undefined;
    if (req.logo !== undefined) {
      const bytes = req.logo.bytes instanceof Uint8Array ? req.logo.bytes : new Uint8Array(req.logo.bytes);
      const checked = validateLogo(bytes, req.logo.name);
      if (!checked.ok) throw labError(checked.error);
      logo = { name: logoFileName(checked.type), bytes };
      page.logoName = logo.name;
    }
    const invalid = validatePage(page);
    if (invalid !== null) throw labError(invalid);
    if (current.handEdited && req.overwrite !== true) {
      throw new LabServerError('ERR_PAGE_HAND_EDITED', 'index.html was edited by hand; saving the form would replace those edits.',
        'Choose "Overwrite" to replace it with the form\'s page, or keep editing index.html directly.');
    }
    if (logo !== undefined) {
      await writeAtomic(join(this.root, logo.name), logo.bytes);
      for (const old of LOGO_NAMES) if (old !== logo.name) await rm(join(this.root, old), { force: true });
    }
    if (!existsSync(join(this.root, 'style.css'))) await copyFile(join(this.templateDir(), 'style.css'), join(this.root, 'style.css'));
    await this.writePage(page);
    return { page, root: this.root };
  }

  /** The page as the form would write it, for a preview before saving. */
  async render(page: PageModel): Promise<string> {
    return renderPage(page, await readFile(join(this.templateDir(), 'index.html'), 'utf8'));
  }

  /** Writes the site folder (without dotfiles and symlinks) as a zip; returns where. */
  async export(path?: string): Promise<{ path: string; files: string[] }> {
    await this.ensure();
    const files: Zippable = {};
    const names: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const name of (await readdir(dir)).sort()) {
        if (name.startsWith('.')) continue;
        const full = join(dir, name);
        const s = await lstat(full);
        // A symlink could point outside the site: the hand-in holds only what is really in it.
        if (s.isSymbolicLink()) continue;
        if (s.isDirectory()) await walk(full);
        else if (s.isFile()) {
          const rel = relative(this.root, full).split('\\').join('/');
          files[rel] = [new Uint8Array(await readFile(full)), { mtime: s.mtime }];
          names.push(rel);
        }
      }
    };
    await walk(this.root);
    const { page } = await this.get();
    const id = page.studentId.replace(/[^0-9A-Za-z_-]/g, '');
    const out = path ?? join(this.dataDir, `site-${id || 'export'}.zip`);
    try {
      await mkdir(dirname(out), { recursive: true });
      await writeAtomic(out, zipSync(files, { level: 6 }));
    } catch (e) {
      throw new LabServerError('ERR_EXPORT_WRITE', `Cannot write ${out}: ${(e as Error).message}.`, 'Choose a folder you can write to.');
    }
    return { path: out, files: names };
  }

  private async writePage(page: PageModel): Promise<void> {
    const template = await readFile(join(this.templateDir(), 'index.html'), 'utf8');
    await writeAtomic(join(this.root, 'index.html'), stamp(renderPage(page, template)));
    await writeAtomic(join(this.root, MODEL_FILE), JSON.stringify(page, null, 2) + '\n');
  }
}
