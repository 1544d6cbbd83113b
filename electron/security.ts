// The Electron window's security settings, kept as data in one place so that a test
// (test/unit/electron/security.test.ts) can read them and fail if any is loosened. They follow
// Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security):
// isolation and sandbox on, no Node in any renderer, no remote content, a strict CSP, no navigation,
// no new windows, no permissions, no webviews, and every IPC sender checked.

/** Our own scheme: the renderer is served from the app bundle, never from the network or file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'netlab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** webPreferences of the one window (checklist items 2-4, 6, 8, 10, 12). */
export const WINDOW_PREFERENCES = Object.freeze({
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

/**
 * The renderer's Content-Security-Policy (checklist item 7): nothing but our own bundle; workers from
 * our origin or a blob; no inline script, no eval (the filter compiler never builds JS source);
 * no network access at all (the API goes over IPC in the desktop app).
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** True for a URL of our own app (navigation and IPC senders are checked against it). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** File names the app opens from argv, the dock or drag-and-drop. */
export function isCaptureFileName(name: string): boolean {
  return /\.(pcap|pcapng|cap|dmp)(\.gz)?$/i.test(name);
}
