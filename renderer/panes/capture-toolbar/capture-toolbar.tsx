// Capture toolbar: interface picker (suggesting loopback for a browser on this machine), a BPF
// capture filter pre-filled from the lab server's port, start/stop, live counters.
import { useTranslation } from 'react-i18next';
import { useApp, useWorkbench } from '../../context.js';

export function CaptureToolbar() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const interfaces = useApp((s) => s.interfaces);
  const iface = useApp((s) => s.iface);
  const bpf = useApp((s) => s.captureFilter);
  const capturing = useApp((s) => s.capturing);
  const st = wb.store.getState();
  return (
    <div className="capture-toolbar" role="toolbar" aria-label="Capture">
      <select aria-label={t('capture.interface')} value={iface} onFocus={() => interfaces.length === 0 && void wb.loadInterfaces()}
        onChange={(e) => st.patchCapture({ iface: e.target.value })}>
        {iface === '' && <option value="">{t('capture.interface')}…</option>}
        {interfaces.map((i) => (
          <option key={i.name} value={i.name}>{i.name}{i.addresses.length ? ` (${i.addresses.join(', ')})` : ''}</option>
        ))}
      </select>
      <input aria-label={t('capture.filter')} placeholder="tcp port 8080" value={bpf} spellCheck={false}
        onChange={(e) => st.patchCapture({ captureFilter: e.target.value })} />
      <button disabled={capturing} onClick={() => void wb.startCapture()}>{t('capture.start')}</button>
      <button disabled={!capturing} onClick={() => void wb.stopCapture()}>{t('capture.stop')}</button>
    </div>
  );
}
