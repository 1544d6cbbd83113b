import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';

export function StatusBar() {
  const { t } = useTranslation();
  const fileName = useApp((s) => s.fileName);
  const total = useApp((s) => s.total);
  const displayed = useApp((s) => s.displayed);
  const dropped = useApp((s) => s.dropped);
  const progress = useApp((s) => s.progress);
  const running = useApp((s) => s.server.running);
  const pct = total > 0 ? ((displayed / total) * 100).toFixed(1) : '0.0';
  return (
    <footer className="status-bar" role="status">
      <span>{fileName ?? t('status.noFile')}</span>
      {progress && <progress aria-label={t('status.loading')} value={progress.done} max={progress.total || undefined} />}
      <span>{t('status.packets', { total, displayed, pct })}</span>
      {dropped > 0 && <span>{t('status.dropped', { n: dropped })}</span>}
      <span>{t('status.server', { state: t(running ? 'status.running' : 'status.stopped') })}</span>
    </footer>
  );
}
