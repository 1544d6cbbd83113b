// File › Save As… / Export Specified Packets: format (pcapng or pcap), all or displayed frames, and
// for a live capture the file to write (the main process rewrites its spool there, atomically).
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useWorkbench } from '../../context.js';

export function SaveDialog() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const live = useApp((s) => s.liveId !== null);
  const filtered = useApp((s) => s.applied.trim() !== '');
  const [format, setFormat] = useState<'pcapng' | 'pcap'>('pcapng');
  const [which, setWhich] = useState<'all' | 'displayed'>('all');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const [path, setPath] = useState(`${wb.saveDir ? `${wb.saveDir.replace(/[\\/]$/, '')}/` : ''}netlab-${stamp}.pcapng`);
  const close = () => wb.store.getState().openDialog(null);
  const pick = (f: 'pcapng' | 'pcap') => {
    setFormat(f);
    setPath((p) => p.replace(/\.(pcapng|pcap)$/i, '') + `.${f}`);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await wb.saveAs(format, which, live ? path : undefined)) close();
  };
  return (
    <div role="dialog" aria-modal="true" aria-label={t('save.title')} className="dialog" onKeyDown={(e) => e.key === 'Escape' && close()}>
      <form onSubmit={(e) => void submit(e)}>
        <h3>{t('save.title')}</h3>
        {live && (
          <label>{t('save.path')}
            <input aria-label={t('save.path')} value={path} spellCheck={false} onChange={(e) => setPath(e.target.value)} autoFocus />
          </label>
        )}
        <fieldset>
          <legend>{t('save.format')}</legend>
          <label><input type="radio" name="fmt" checked={format === 'pcapng'} onChange={() => pick('pcapng')} /> pcapng</label>
          <label><input type="radio" name="fmt" checked={format === 'pcap'} onChange={() => pick('pcap')} /> pcap</label>
        </fieldset>
        <fieldset>
          <legend>{t('save.which')}</legend>
          <label><input type="radio" name="which" checked={which === 'all'} onChange={() => setWhich('all')} /> {t('save.all')}</label>
          <label><input type="radio" name="which" checked={which === 'displayed'} disabled={!filtered} onChange={() => setWhich('displayed')} /> {t('save.displayed')}</label>
        </fieldset>
        <div className="dialog-buttons">
          <button type="submit">{t('save.save')}</button>
          <button type="button" onClick={close}>{t('dialog.cancel')}</button>
        </div>
      </form>
    </div>
  );
}
