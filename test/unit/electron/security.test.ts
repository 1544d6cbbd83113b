// Fails if any of the Electron window's security settings is loosened (issue 8; Electron's security
// checklist). Reads the settings module, the CSP and the shell's source as they are.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserCsp } from '../../../electron/api/ws-bridge.js';
import { APP_CSP, WINDOW_PREFERENCES, isAppUrl } from '../../../electron/security.js';

const mainSrc = readFileSync('electron/main.ts', 'utf8');
const preloadSrc = readFileSync('electron/preload.ts', 'utf8');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
}

describe('Electron window security', () => {
  it('keeps isolation, sandbox and every Node door shut', () => {
    expect(WINDOW_PREFERENCES).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    });
    expect(Object.isFrozen(WINDOW_PREFERENCES)).toBe(true);
  });

  it('uses those preferences unmodified for the one window', () => {
    const windows = mainSrc.match(/new BrowserWindow\(/g) ?? [];
    expect(windows.length).toBe(1);
    expect(mainSrc).toMatch(/webPreferences: \{ \.\.\.WINDOW_PREFERENCES, preload: join\([^)]*\) \}/);
    for (const loosen of ['nodeIntegration: true', 'contextIsolation: false', 'sandbox: false', 'webSecurity: false', 'enableRemoteModule', 'allowRunningInsecureContent: true']) {
      expect(mainSrc).not.toContain(loosen);
    }
  });

  for (const [name, csp] of [['app', APP_CSP], ['browser mode', browserCsp(27000)]] as const) {
    it(`has a strict Content-Security-Policy (${name})`, () => {
      const d = directives(csp);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('style-src')).toEqual(["'self'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp).not.toMatch(/unsafe-|https?:|\*|wasm-eval/);
      for (const src of d.get('connect-src') ?? []) expect(src).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):\d+)$/);
    });
  }

  it('refuses navigation, new windows, webviews and permission requests, and serves only its own scheme', () => {
    expect(mainSrc).toMatch(/'will-navigate', \(ev, url\) => \{\s*if \(!isAppUrl\(url\)\) ev\.preventDefault\(\);/);
    expect(mainSrc).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(mainSrc).toMatch(/'will-attach-webview', \(ev\) => ev\.preventDefault\(\)/);
    expect(mainSrc).toMatch(/setPermissionRequestHandler\(\(_wc, _perm, callback\) => callback\(false\)\)/);
    expect(mainSrc).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
    expect(mainSrc).toMatch(/headers\.set\('Content-Security-Policy', APP_CSP\)/);
    expect(mainSrc).toContain('requestSingleInstanceLock()');
    expect(mainSrc).not.toMatch(/loadURL\((?!APP_ENTRY)/);
    expect(isAppUrl('app://netlab/index.html')).toBe(true);
    for (const u of ['https://netlab/', 'app://evil/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) expect(isAppUrl(u)).toBe(false);
  });

  it('checks every IPC sender and exposes only a message pipe to the page', () => {
    expect(mainSrc).toMatch(/if \(event\.sender !== wc \|\| !event\.senderFrame \|\| !isAppUrl\(event\.senderFrame\.url\)\) return;/);
    expect(mainSrc).not.toMatch(/ipcMain\.handle\(/);
    expect(preloadSrc.match(/exposeInMainWorld/g)?.length).toBe(1);
    expect(preloadSrc).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(preloadSrc).not.toMatch(/require\(|process\.|node:/);
  });
});
