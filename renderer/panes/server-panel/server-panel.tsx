// The lab web server: port and bind address, Start/Stop, the URLs to type on the other machine, the
// live access log, and the page form (major, student ID, name, logo) with a preview.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useWorkbench } from '../../context.js';

export function ServerPanel() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const server = useApp((s) => s.server);
  const port = useApp((s) => s.serverPort);
  const host = useApp((s) => s.serverHost);
  const log = useApp((s) => s.accessLog);
  const page = useApp((s) => s.page);
  const [logo, setLogo] = useState<File | null>(null);
  const [logoUrl, setLogoUrl] = useState<string | null>(null);
  const st = wb.store.getState();
  const field = (key: 'major' | 'studentId' | 'name', label: string) => (
    <label>
      {label}
      <input aria-label={label} value={page[key]} onChange={(e) => st.patchServer({ page: { ...page, [key]: e.target.value } })} />
    </label>
  );
  return (
    <section className="server-panel" aria-label={t('server.panel')}>
      <div className="server-controls">
        <label>{t('server.port')}
          <input id="server-port" type="number" min={1} max={65535} aria-label={t('server.port')} value={Number.isFinite(port) ? port : ''} disabled={server.running}
            onChange={(e) => st.patchServer({ serverPort: Number(e.target.value) })} />
        </label>
        <label>{t('server.host')}
          <select aria-label={t('server.host')} value={host} disabled={server.running}
            onChange={(e) => st.patchServer({ serverHost: e.target.value as 'all' | 'loopback' })}>
            <option value="all">{t('server.hostAll')}</option>
            <option value="loopback">{t('server.hostLoopback')}</option>
          </select>
        </label>
        <button disabled={server.running} onClick={() => void wb.startServer()}>{t('server.start')}</button>
        <button disabled={!server.running} onClick={() => void wb.stopServer()}>{t('server.stop')}</button>
      </div>
      {server.running && (
        <div className="server-urls" aria-label={t('server.urls')}>
          {server.urls.map((u) => <code key={u}>{u}</code>)}
        </div>
      )}
      <form className="page-form" onSubmit={(e) => { e.preventDefault(); void wb.savePage(logo); }}>
        {field('major', t('page.major'))}
        {field('studentId', t('page.studentId'))}
        {field('name', t('page.name'))}
        <label>{t('page.logo')}
          <input type="file" aria-label={t('page.logo')} accept="image/png,image/jpeg,image/gif,image/svg+xml"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setLogo(f);
              if (logoUrl) URL.revokeObjectURL(logoUrl);
              setLogoUrl(f ? URL.createObjectURL(f) : null);
            }} />
        </label>
        <div className="page-buttons">
          <button type="submit">{t('page.save')}</button>
          <button type="button" onClick={() => void wb.exportSite()}>{t('page.export')}</button>
        </div>
      </form>
      <figure className="page-preview" aria-label={t('page.preview')}>
        {logoUrl && <img src={logoUrl} alt={t('page.logo')} height={48} />}
        <div>{page.major}</div>
        <div>{page.studentId}</div>
        <div>{page.name}</div>
      </figure>
      <div className="access-log" role="log" aria-label={t('server.log')}>
        {log.slice(-200).map((e, i) => <div key={log.length - Math.min(200, log.length) + i}>{e.line}</div>)}
      </div>
    </section>
  );
}
