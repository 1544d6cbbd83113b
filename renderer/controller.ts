// The workbench's actions: everything that talks to the API (main process) or the engine (worker)
// and then updates the store. Components call these and read the store; they never hold packets.

import i18next from 'i18next';
import type { Api, AppCommand, Result } from '../electron/api/contract.js';
import type { ApiError } from '../electron/api/errors.js';
import type { EngineClient } from './engine/client.js';
import { type LoadStatus, TIME_FORMATS } from './engine/protocol.js';
import { suggestInterface } from './state/capture-slice.js';
import type { AppStore } from './state/store.js';

export class Workbench {
  private loadToken = 0;
  private bpfToken = 0;
  /** Where "Save as…" proposes to write (app.info's saveDir). */
  saveDir = '';
  constructor(readonly api: Api, readonly engine: EngineClient, readonly store: AppStore) {
    api.on('server.access', (e) => {
      store.getState().logAccess(e);
      this.resuggest();
    });
    api.on('server.state', (s) => store.getState().setServer(s));
    api.on('server.error', (e) => store.getState().notify(e));
    api.on('capture.packets', (p) => void this.onBatch(p.id, p.batch));
    api.on('capture.stats', (s) => {
      if (store.getState().liveId === s.id) store.getState().patchCapture({ dropped: s.dropped + s.ifDropped });
    });
    api.on('capture.state', (s) => {
      if (!s.running && store.getState().liveId === s.id) store.getState().patchCapture({ capturing: false });
      if (s.error) store.getState().notify(s.error);
    });
    api.on('app.command', (c) => void this.command(c.command, c.path));
  }

  /** Menu items, shortcuts and argv (Electron) arrive here, as do the page's own shortcuts. */
  async command(c: AppCommand, path?: string): Promise<void> {
    const s = this.store.getState();
    switch (c) {
      case 'open-path': if (path) await this.openPath(path); break;
      case 'theme-toggle': s.setTheme(s.theme === 'dark' ? 'light' : 'dark'); break;
      case 'time-format': s.setTimeFormat(TIME_FORMATS[(TIME_FORMATS.indexOf(s.timeFormat) + 1) % TIME_FORMATS.length]); break;
      case 'save-as': case 'export-specified': s.openDialog('save'); break;
      case 'goto-packet': s.openDialog('goto'); break;
      case 'next-packet': await this.selectIndex(s.selectedIndex + 1); break;
      case 'prev-packet': await this.selectIndex(Math.max(0, s.selectedIndex - 1)); break;
      case 'first-packet': await this.selectIndex(0); break;
      case 'last-packet': await this.selectIndex(s.displayed - 1); break;
      case 'capture-toggle': await (s.capturing ? this.stopCapture() : this.startCapture()); break;
      case 'capture-restart': if (s.capturing) await this.stopCapture(); await this.startCapture(); break;
      case 'capture-options': document.getElementById('capture-interface')?.focus(); break;
      case 'server-toggle': await (s.server.running ? this.stopServer() : this.startServer()); break;
      default: break;
    }
  }

  private fail(error: ApiError): void {
    this.store.getState().notify(error);
  }
  private ok<T>(r: Result<T>): T | null {
    if (r.ok) return r.value;
    this.fail(r.error);
    return null;
  }

  private async begin(name: string): Promise<number> {
    const token = ++this.loadToken;
    await this.engine.reset();
    const s = this.store.getState();
    s.select(null, -1, null);
    s.patchCapture({ fileName: name, loadError: null, progress: { done: 0, total: 0 }, liveId: null });
    s.setCounts(0, 0, true);
    return token;
  }

  private async finish(st: LoadStatus): Promise<void> {
    const s = this.store.getState();
    s.patchCapture({ progress: null, loadError: st.error });
    if (st.error) s.notify(st.error);
    if (s.applied) await this.applyFilter(s.applied);
    else s.setCounts(st.count, st.displayed, true);
  }

  /** Opens a file the main process can read (sample, argv, a path typed in Electron's dialog). */
  async openPath(path: string | null): Promise<void> {
    const opened = this.ok(path === null ? await this.api.call('file.openSample') : await this.api.call('file.open', { path }));
    if (!opened) return;
    const token = await this.begin(opened.name);
    let st: LoadStatus | null = null;
    for (;;) {
      const r = this.ok(await this.api.call('file.read', { id: opened.id }));
      if (!r || token !== this.loadToken) {
        void this.api.call('file.close', { id: opened.id });
        if (!r) this.store.getState().patchCapture({ progress: null });
        return;
      }
      st = await this.engine.push(r.bytes);
      this.store.getState().patchCapture({ progress: { done: st.bytes, total: opened.size } });
      this.store.getState().setCounts(st.count, st.displayed);
      if (r.eof) break;
    }
    await this.finish(await this.engine.end());
  }

  /** Opens a file picked in the page or dropped on it (read here: no path needs to leave the page). */
  async openLocalFile(file: File): Promise<void> {
    const token = await this.begin(file.name);
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done || token !== this.loadToken) break;
      const st = await this.engine.push(value.slice().buffer);
      this.store.getState().patchCapture({ progress: { done: st.bytes, total: file.size } });
      this.store.getState().setCounts(st.count, st.displayed);
    }
    if (token === this.loadToken) await this.finish(await this.engine.end());
  }

  async applyFilter(text: string): Promise<boolean> {
    const s = this.store.getState();
    s.setFiltering(true);
    const r = await this.engine.applyFilter(text);
    this.store.getState().setFiltering(false);
    if (!r.ok) {
      this.store.getState().setCheck({ state: 'invalid', message: r.message, start: r.start, end: r.end });
      return false;
    }
    const now = this.store.getState();
    now.filterApplied(text);
    now.setCounts(r.total, r.displayed, true);
    // Keep the selected packet selected if it is still displayed (Wireshark does).
    const sel = now.selected;
    const idx = sel !== null ? await this.engine.indexOf(sel) : -1;
    if (sel !== null && idx >= 0) now.select(sel, idx, now.detail);
    else now.select(null, -1, null);
    return true;
  }

  async selectIndex(index: number): Promise<void> {
    const s = this.store.getState();
    if (index < 0 || index >= s.displayed) return;
    const rows = await this.engine.rows(index, index + 1, s.timeFormat);
    const row = rows[0];
    if (!row) return;
    const detail = await this.engine.detail(row.num);
    this.store.getState().select(row.num, index, detail);
  }

  async goToFrame(num: number): Promise<void> {
    const idx = await this.engine.indexOf(num);
    if (idx >= 0) await this.selectIndex(idx);
    else this.fail({ code: 'ERR_NOT_DISPLAYED', message: `Frame ${num} is not displayed.`, hint: 'Clear the display filter to see every frame.' });
  }

  /**
   * Save as… / Export Specified Packets: a live capture is rewritten from the main process's spool
   * (every record as captured, written atomically to `path`); an opened file is written by the
   * engine from its packet store and handed to the browser as a download.
   */
  async saveAs(format: 'pcap' | 'pcapng', which: 'all' | 'displayed', path?: string): Promise<boolean> {
    const s = this.store.getState();
    if (s.total === 0) {
      this.fail({ code: 'ERR_NOTHING_TO_SAVE', message: 'There are no packets to save.', hint: 'Open a capture or capture some traffic first.' });
      return false;
    }
    if (s.liveId !== null) {
      if (!path) {
        this.fail({ code: 'ERR_BAD_PATH', message: 'No file name was given.', hint: 'Type where to save the capture, e.g. /home/you/lab.pcapng.' });
        return false;
      }
      const frames = which === 'displayed' && s.applied.trim() !== '' ? await this.engine.displayedFrames() : undefined;
      const r = this.ok(await this.api.call('capture.save', { path, format, ...(frames ? { frames } : {}) }));
      if (r) this.store.getState().setToast(i18next.t('toast.saved', { count: r.count, path: r.path }));
      return r !== null;
    }
    const buf = await this.engine.exportFile(format, which);
    const base = (s.fileName ?? 'capture').replace(/\.(pcapng|pcap)$/i, '');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([buf], { type: 'application/vnd.tcpdump.pcap' }));
    a.download = `${base}.${format}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    return true;
  }

  async refreshServer(): Promise<void> {
    const asked = this.store.getState().page;
    const st = await this.api.call('server.status');
    if (st.ok) this.store.getState().setServer(st.value);
    const site = await this.api.call('site.get');
    if (!site.ok) return;
    // The form is on screen before the saved page arrives (on a first run the site folder is written
    // from the template first, which can take seconds on a loaded machine): what was typed meanwhile
    // wins field by field, or "Save page" would write the template's page over the student's input.
    const typed = Object.entries(this.store.getState().page).filter(([k, v]) => v !== asked[k as keyof typeof asked]);
    this.store.getState().patchServer({ page: { ...site.value.page, ...Object.fromEntries(typed) } });
  }

  async startServer(): Promise<void> {
    const s = this.store.getState();
    if (!Number.isInteger(s.serverPort) || s.serverPort < 1 || s.serverPort > 65535) {
      this.fail({ code: 'ERR_BAD_PORT', message: 'The port must be a whole number from 1 to 65535.', hint: 'The lab used 85; 8080 needs no administrator rights.' });
      return;
    }
    const st = this.ok(await this.api.call('server.start', { port: s.serverPort, host: s.serverHost }));
    if (st) {
      this.store.getState().setServer(st);
      // Pre-fill the capture filter from the server's port (issue 8): the lab's exchange, nothing else.
      const cf = this.store.getState().captureFilter;
      if (!cf || /^tcp port \d+$/.test(cf)) this.setCaptureFilter(`tcp port ${st.port ?? s.serverPort}`);
    }
  }

  async stopServer(): Promise<void> {
    const st = this.ok(await this.api.call('server.stop'));
    if (st) this.store.getState().setServer(st);
  }

  async savePage(logo: File | null): Promise<void> {
    const s = this.store.getState();
    const req = logo ? { page: s.page, logo: { name: logo.name, bytes: await logo.arrayBuffer() } } : { page: s.page };
    const r = this.ok(await this.api.call('site.save', req));
    if (r) {
      this.store.getState().patchServer({ page: r.page });
      this.store.getState().setToast(i18next.t('toast.pageSaved'));
    }
  }

  private trafficTimer: ReturnType<typeof setInterval> | null = null;

  /** Polls the interfaces' packet counters once a second for the picker's sparkline. */
  private watchTraffic(): void {
    if (this.trafficTimer !== null) return;
    const tick = async () => {
      const r = await this.api.call('capture.traffic');
      if (r.ok && r.value.length > 0) this.store.getState().pushTraffic(r.value);
    };
    void tick();
    this.trafficTimer = setInterval(() => void tick(), 1000);
  }

  /** Stops the timers (tests, and a window being closed). */
  dispose(): void {
    if (this.trafficTimer !== null) clearInterval(this.trafficTimer);
    this.trafficTimer = null;
  }

  async loadInterfaces(): Promise<void> {
    const list = this.ok(await this.api.call('capture.interfaces'));
    if (!list) return;
    this.watchTraffic();
    const s = this.store.getState();
    const log = s.accessLog;
    const suggested = suggestInterface(list, log.length > 0 ? log[log.length - 1].remote : null);
    s.patchCapture({ interfaces: list, suggestedIface: suggested?.name ?? '', iface: s.iface || suggested?.name || '' });
    if (!s.captureFilter && s.server.running && s.server.port) this.setCaptureFilter(`tcp port ${s.server.port}`);
  }

  /**
   * A request from another machine tells which interface carries the lab's traffic: follow it in the
   * picker until the user picks one themselves (and never in the middle of a capture).
   */
  private resuggest(): void {
    const s = this.store.getState();
    if (s.interfaces.length === 0 || s.capturing) return;
    const log = s.accessLog;
    const best = suggestInterface(s.interfaces, log.length > 0 ? log[log.length - 1].remote : null)?.name ?? '';
    if (best === s.suggestedIface) return;
    s.patchCapture({ suggestedIface: best, ...(s.ifaceChosen ? {} : { iface: best }) });
  }

  /** Sets the capture filter and has libpcap check it (the box turns red with libpcap's message). */
  setCaptureFilter(text: string): void {
    this.store.getState().patchCapture({ captureFilter: text });
    const token = ++this.bpfToken;
    if (text.trim() === '') {
      this.store.getState().patchCapture({ bpfCheck: { state: 'empty' } });
      return;
    }
    void this.api.call('capture.checkFilter', { filter: text }).then((r) => {
      if (token !== this.bpfToken) return;
      if (!r.ok) return; // capture unavailable: starting will say why
      this.store.getState().patchCapture({ bpfCheck: r.value.ok ? { state: 'valid' } : { state: 'invalid', message: r.value.message } });
    });
  }

  async startCapture(): Promise<void> {
    const s = this.store.getState();
    if (s.capturing) return;
    if (!s.iface) await this.loadInterfaces();
    const now = this.store.getState();
    if (!now.iface) return;
    if (now.bpfCheck.state === 'invalid') {
      this.fail({ code: 'ERR_CAPTURE_FILTER', message: `The capture filter is not valid: ${now.bpfCheck.message ?? ''}`, hint: 'Fix it (tcpdump syntax, e.g. "tcp port 8080") or clear it.' });
      return;
    }
    await this.begin(`${now.iface} (live)`);
    const r = this.ok(await this.api.call('capture.start', { iface: now.iface, filter: now.captureFilter }));
    if (r) this.store.getState().patchCapture({ liveId: r.id, capturing: true, progress: null, dropped: 0 });
    else this.store.getState().patchCapture({ progress: null, fileName: null });
  }

  async stopCapture(): Promise<void> {
    const r = this.ok(await this.api.call('capture.stop'));
    this.store.getState().patchCapture({ capturing: false, ...(r ? { dropped: r.dropped + r.ifDropped } : {}) });
  }

  async exportSite(): Promise<void> {
    const r = this.ok(await this.api.call('site.export', {}));
    if (r) this.store.getState().setToast(i18next.t('toast.exported', { path: r.path }));
  }

  private async onBatch(id: number, batch: ArrayBuffer): Promise<void> {
    if (this.store.getState().liveId !== id) return;
    const st = await this.engine.appendBatch(batch, 0);
    this.store.getState().setCounts(st.count, st.displayed);
  }
}
