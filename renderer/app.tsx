// The workbench window: toolbar, filter bar, the three Wireshark panes, the server panel, status bar.
import { type DragEvent, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Lang } from './i18n.js';
import { TIME_FORMATS, type TimeFormat } from './engine/protocol.js';
import { useApp, useWorkbench } from './context.js';
import { CaptureToolbar } from './panes/capture-toolbar/capture-toolbar.js';
import { DetailTree } from './panes/detail-tree/detail-tree.js';
import { FilterBar } from './panes/filter-bar/filter-bar.js';
import { HexPane } from './panes/hex/hex-pane.js';
import { PacketList } from './panes/packet-list/packet-list.js';
import { ServerPanel } from './panes/server-panel/server-panel.js';
import { StatusBar } from './panes/status-bar/status-bar.js';
import { Welcome } from './panes/welcome/welcome.js';
import { GotoDialog } from './panes/dialogs/goto-dialog.js';
import { SaveDialog } from './panes/dialogs/save-dialog.js';

export function App() {
  const wb = useWorkbench();
  const { t, i18n } = useTranslation();
  const theme = useApp((s) => s.theme);
  const notice = useApp((s) => s.notice);
  const hasFile = useApp((s) => s.fileName !== null);
  const total = useApp((s) => s.total);
  const capturing = useApp((s) => s.capturing);
  const dialog = useApp((s) => s.dialog);
  const toast = useApp((s) => s.toast);
  const timeFormat = useApp((s) => s.timeFormat);
  // Wireshark's shortcuts that work in the page too (in Electron the menu sends the same commands).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      const cmd = k === 'g' ? 'goto-packet' : k === 'e' ? 'capture-toggle' : k === 'k' ? 'capture-options' : k === 's' && e.shiftKey ? 'save-as' : null;
      if (cmd) {
        e.preventDefault();
        void wb.command(cmd);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [wb]);
  useEffect(() => {
    if (!toast) return;
    const id = setTimeout(() => wb.store.getState().setToast(null), 6000);
    return () => clearTimeout(id);
  }, [toast, wb]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = i18n.language;
  }, [theme, i18n.language]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (f) void wb.openLocalFile(f);
  };

  return (
    <div className="app" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <header className="toolbar">
        <strong>{t('app.title')}</strong>
        <CaptureToolbar />
        <button disabled={total === 0 || capturing} onClick={() => wb.store.getState().openDialog('save')}>{t('action.saveAs')}</button>
        <select aria-label={t('time.label')} value={timeFormat} onChange={(e) => wb.store.getState().setTimeFormat(e.target.value as TimeFormat)}>
          {TIME_FORMATS.map((f) => <option key={f} value={f}>{t(`time.${f}`)}</option>)}
        </select>
        <label className="theme">
          <input type="checkbox" checked={theme === 'dark'} onChange={(e) => wb.store.getState().setTheme(e.target.checked ? 'dark' : 'light')} />
          {t('theme.toggle')}
        </label>
        <select aria-label={t('lang.label')} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value as Lang)}>
          {Object.entries(LANGUAGES).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
      </header>
      <FilterBar />
      {notice && (
        <div role="alert" className="notice">
          <b>{notice.message}</b> {notice.hint} <code>{notice.code}</code>
          <button onClick={() => wb.store.getState().notify(null)}>{t('notice.dismiss')}</button>
        </div>
      )}
      {toast && <div className="toast" aria-live="polite">{toast}</div>}
      {dialog === 'save' && <SaveDialog />}
      {dialog === 'goto' && <GotoDialog />}
      <main className="panes">
        <div className="left">
          {hasFile ? <PacketList /> : <Welcome />}
          <DetailTree />
          <HexPane />
        </div>
        <aside className="right">
          <ServerPanel />
        </aside>
      </main>
      <StatusBar />
    </div>
  );
}
