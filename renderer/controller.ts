// The workbench's actions: everything that talks to the API (main process) or the engine (worker)
// and then updates the store. Components call these and read the store; they never hold packets.

import type { Api, Result } from '../electron/api/contract.js';
import type { ApiError } from '../electron/api/errors.js';
import type { EngineClient } from './engine/client.js';
import type { LoadStatus } from './engine/protocol.js';
import type { AppStore } from './state/store.js';

export class Workbench {
  private loadToken = 0;
  constructor(readonly api: Api, readonly engine: EngineClient, readonly store: AppStore) {
    api.on('server.access', (e) => store.getState().logAccess(e));
    api.on('server.state', (s) => store.getState().setServer(s));
    api.on('capture.packets', (p) => void this.onBatch(p.id, p.batch));
    api.on('capture.stats', (s) => store.getState().patchCapture({ dropped: s.dropped + s.ifDropped }));
    api.on('capture.state', (s) => {
      if (!s.running) store.getState().patchCapture({ capturing: false });
      if (s.error) store.getState().notify(s.error);
    });
    api.on('app.command', (c) => {
      if (c.command === 'open-path' && c.path) void this.openPath(c.path);
      if (c.command === 'theme-toggle') store.getState().setTheme(store.getState().theme === 'dark' ? 'light' : 'dark');
      if (c.command === 'save-as') void this.saveAs('pcapng', 'all');
      if (c.command === 'export-specified') void this.saveAs('pcapng', 'displayed');
    });
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
    const rows = await this.engine.rows(index, index + 1);
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

  async saveAs(format: 'pcap' | 'pcapng', which: 'all' | 'displayed'): Promise<void> {
    const s = this.store.getState();
    if (s.total === 0) return this.fail({ code: 'ERR_NOTHING_TO_SAVE', message: 'There are no packets to save.', hint: 'Open a capture or capture some traffic first.' });
    const buf = await this.engine.exportFile(format, which);
    const base = (s.fileName ?? 'capture').replace(/\.(pcapng|pcap)$/i, '');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([buf], { type: 'application/vnd.tcpdump.pcap' }));
    a.download = `${base}.${format}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  async refreshServer(): Promise<void> {
    const st = await this.api.call('server.status');
    if (st.ok) this.store.getState().setServer(st.value);
    const site = await this.api.call('site.get');
    if (site.ok) this.store.getState().patchServer({ page: site.value.page });
  }

  async startServer(): Promise<void> {
    const s = this.store.getState();
    const st = this.ok(await this.api.call('server.start', { port: s.serverPort, host: s.serverHost }));
    if (st) {
      this.store.getState().setServer(st);
      if (!this.store.getState().captureFilter) this.store.getState().patchCapture({ captureFilter: `tcp port ${s.serverPort}` });
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
    if (r) this.store.getState().patchServer({ page: r.page });
  }

  async loadInterfaces(): Promise<void> {
    const list = this.ok(await this.api.call('capture.interfaces'));
    if (!list) return;
    const s = this.store.getState();
    // The lab's browser usually runs on this machine: suggest loopback first, as issue 8 asks.
    const suggested = list.find((i) => i.loopback && i.up) ?? list.find((i) => i.up) ?? list[0];
    s.patchCapture({ interfaces: list, iface: s.iface || suggested?.name || '' });
  }

  async startCapture(): Promise<void> {
    const s = this.store.getState();
    if (!s.iface) await this.loadInterfaces();
    const now = this.store.getState();
    if (!now.iface) return;
    await this.begin(`${now.iface} (live)`);
    const r = this.ok(await this.api.call('capture.start', { iface: now.iface, filter: now.captureFilter }));
    if (r) this.store.getState().patchCapture({ liveId: r.id, capturing: true, progress: null, dropped: 0 });
    else this.store.getState().patchCapture({ progress: null });
  }

  async stopCapture(): Promise<void> {
    const r = this.ok(await this.api.call('capture.stop'));
    this.store.getState().patchCapture({ capturing: false, ...(r ? { dropped: r.dropped + r.ifDropped } : {}) });
  }

  private async onBatch(id: number, batch: ArrayBuffer): Promise<void> {
    if (this.store.getState().liveId !== id) return;
    const st = await this.engine.appendBatch(batch, 0);
    this.store.getState().setCounts(st.count, st.displayed);
  }
}
