// The Electron shell: one window, the settings of ./security.ts, menus and shortcuts, one instance,
// capture files from argv / the dock / a second launch. Everything else is plain Node behind the API
// (./api/), served here over IPC exactly as `netlab ui` serves it over a WebSocket.

import { BrowserWindow, Menu, type MenuItemConstructorOptions, app, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appRoot, createBackend } from './api/backend.js';
import { ApiHost, type Carrier, type Wire } from './api/channel.js';
import type { AppCommand } from './api/contract.js';
import { loadServices } from './api/services.js';
import { APP_CSP, APP_ENTRY, APP_HOST, APP_SCHEME, WINDOW_PREFERENCES, isAppUrl, isCaptureFileName } from './security.js';

const CHANNEL = 'netlab:api';
const root = appRoot(app.getAppPath());
const rendererDir = join(root, 'dist', 'renderer');
let win: BrowserWindow | null = null;
let host: ApiHost | null = null;
let pendingOpen: string | undefined = process.argv.slice(1).find(isCaptureFileName);

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// One instance (Wireshark users double-click several files: they go to the open window).
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', (_e, argv) => {
  const file = argv.slice(1).find(isCaptureFileName);
  if (file) command('open-path', file);
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});
app.on('open-file', (e, path) => {
  e.preventDefault();
  if (host) command('open-path', path);
  else pendingOpen = path;
});

function command(cmd: AppCommand, path?: string): void {
  host?.emit('app.command', { command: cmd, ...(path !== undefined ? { path } : {}) });
}

/** The window's IPC as an API carrier; messages from any other sender or frame are dropped. */
function ipcCarrier(w: BrowserWindow): Carrier {
  const listeners = new Set<(m: Wire) => void>();
  const wc = w.webContents;
  ipcMain.on(CHANNEL, (event, msg: unknown) => {
    if (event.sender !== wc || !event.senderFrame || !isAppUrl(event.senderFrame.url)) return;
    if (typeof msg !== 'object' || msg === null || (msg as Wire).t !== 'call') return;
    for (const l of listeners) l(msg as Wire);
  });
  return {
    send(msg) {
      if (!wc.isDestroyed()) wc.send(CHANNEL, msg);
    },
    onMessage(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onClose(l) {
      w.on('closed', l);
      return () => w.off('closed', l);
    },
  };
}

function menu(): Menu {
  const send = (cmd: AppCommand) => () => command(cmd);
  const template: MenuItemConstructorOptions[] = [
    { label: '&File', submenu: [
      { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: send('open') },
      { label: 'Open &Recent', role: 'recentDocuments', submenu: [{ label: 'Clear', role: 'clearRecentDocuments' }] },
      { label: 'Save &As…', accelerator: 'CmdOrCtrl+Shift+S', click: send('save-as') },
      { label: 'Export Specified Packets…', click: send('export-specified') },
      { type: 'separator' },
      { label: '&Quit', accelerator: 'CmdOrCtrl+Q', role: 'quit' },
    ] },
    { label: '&Capture', submenu: [
      { label: '&Options…', accelerator: 'CmdOrCtrl+K', click: send('capture-options') },
      { label: '&Start/Stop', accelerator: 'CmdOrCtrl+E', click: send('capture-toggle') },
      { label: '&Restart', accelerator: 'CmdOrCtrl+R', click: send('capture-restart') },
    ] },
    { label: '&Server', submenu: [{ label: 'Start/Stop Server', accelerator: 'CmdOrCtrl+Shift+E', click: send('server-toggle') }] },
    { label: '&View', submenu: [
      // Chromium's own page zoom: the packet list's geometry scales with it (CSS pixels do not change).
      { label: 'Zoom In', accelerator: 'CmdOrCtrl+=', role: 'zoomIn' },
      { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', role: 'zoomOut' },
      { label: 'Normal Size', accelerator: 'CmdOrCtrl+0', role: 'resetZoom' },
      { label: 'Time Display Format', click: send('time-format') },
      { label: 'Toggle Dark Theme', click: send('theme-toggle') },
    ] },
    { label: '&Go', submenu: [
      { label: 'Go to Packet…', accelerator: 'CmdOrCtrl+G', click: send('goto-packet') },
      { label: 'Next Packet', accelerator: 'CmdOrCtrl+Down', click: send('next-packet') },
      { label: 'Previous Packet', accelerator: 'CmdOrCtrl+Up', click: send('prev-packet') },
      { label: 'First Packet', accelerator: 'CmdOrCtrl+Home', click: send('first-packet') },
      { label: 'Last Packet', accelerator: 'CmdOrCtrl+End', click: send('last-packet') },
    ] },
    { label: '&Help', submenu: [
      { label: 'About NetLab Workbench', click: send('about') },
      { label: 'Wireshark Display Filter Reference', click: () => void shell.openExternal('https://www.wireshark.org/docs/dfref/') },
    ] },
  ];
  return Menu.buildFromTemplate(template);
}

async function createWindow(): Promise<void> {
  const services = await loadServices();
  host = new ApiHost(createBackend(() => host!, { mode: 'electron', root, ...services, ...(pendingOpen ? { openAtStart: pendingOpen } : {}) }));
  win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'NetLab Workbench',
    show: false,
    webPreferences: { ...WINDOW_PREFERENCES, preload: join(root, 'dist', 'electron', 'preload.cjs') },
  });
  host.connect(ipcCarrier(win));
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
    void services.dispose?.();
  });
  await win.loadURL(APP_ENTRY);
}

// Checklist 13-15: no navigation away from the app, no new windows, no webviews.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev, url) => {
    if (!isAppUrl(url)) ev.preventDefault();
  });
  contents.on('will-redirect', (ev, url) => {
    if (!isAppUrl(url)) ev.preventDefault();
  });
  contents.on('will-attach-webview', (ev) => ev.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.whenReady().then(async () => {
  // Checklist 5: every permission (camera, notifications, …) is refused; the app needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The renderer comes from our bundle only, with the CSP as a response header (checklist 7).
  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    const file = normalize(join(rendererDir, decodeURIComponent(url.pathname)));
    if (url.host !== APP_HOST || !file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', APP_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
  Menu.setApplicationMenu(menu());
  await createWindow();
}).catch((e: unknown) => {
  dialog.showErrorBox('NetLab Workbench could not start', e instanceof Error ? e.message : String(e));
  app.quit();
});

app.on('window-all-closed', () => app.quit());
