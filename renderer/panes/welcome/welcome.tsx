// The first window's offers (issue 8): the lab sample, a file of one's own, the server, a capture.
// The last two move the focus to the server panel and the capture toolbar, whose buttons carry the
// names "Start server" and "Start capture" (one control per accessible name).
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useWorkbench } from '../../context.js';

export function Welcome() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="welcome">
      <h2>{t('welcome.heading')}</h2>
      <button onClick={() => void wb.openPath(null)}>{t('welcome.sample')}</button>
      <button onClick={() => input.current?.click()}>{t('welcome.open')}</button>
      <input ref={input} type="file" hidden accept=".pcap,.pcapng,.cap" aria-label={t('welcome.open')}
        onChange={(e) => { const f = e.target.files?.[0]; if (f) void wb.openLocalFile(f); }} />
      <button onClick={() => document.getElementById('server-port')?.focus()}>{t('welcome.server')}</button>
      <button onClick={() => { void wb.loadInterfaces(); document.getElementById('capture-interface')?.focus(); }}>{t('welcome.capture')}</button>
    </div>
  );
}
