// Capture toolbar: interface picker (suggesting the interface that carries the lab server's traffic),
// a BPF capture filter pre-filled from the server's port and checked by libpcap as you type,
// start/stop, and live counters (captured, displayed, dropped).
import { useTranslation } from 'react-i18next';
import { useApp, useWorkbench } from '../../context.js';

export function CaptureToolbar() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const interfaces = useApp((s) => s.interfaces);
  const iface = useApp((s) => s.iface);
  const suggested = useApp((s) => s.suggestedIface);
  const bpf = useApp((s) => s.captureFilter);
  const bpfCheck = useApp((s) => s.bpfCheck);
  const capturing = useApp((s) => s.capturing);
  const live = useApp((s) => s.liveId !== null);
  const total = useApp((s) => s.total);
  const displayed = useApp((s) => s.displayed);
  const dropped = useApp((s) => s.dropped);
  const traffic = useApp((s) => s.traffic);
  const st = wb.store.getState();
  const rate = (name: string) => traffic[name]?.[traffic[name].length - 1];
  return (
    <div className="capture-toolbar" role="toolbar" aria-label={t('capture.toolbar')}>
      <select id="capture-interface" aria-label={t('capture.interface')} value={iface} disabled={capturing}
        onFocus={() => interfaces.length === 0 && void wb.loadInterfaces()}
        onMouseDown={() => interfaces.length === 0 && void wb.loadInterfaces()}
        onChange={(e) => st.patchCapture({ iface: e.target.value, ifaceChosen: true })}>
        {iface === '' && <option value="">{t('capture.interface')}…</option>}
        {interfaces.map((i) => (
          <option key={i.name} value={i.name}>
            {i.name}{i.addresses.length ? ` (${i.addresses.join(', ')})` : ''}
            {rate(i.name) !== undefined ? ` · ${t('capture.rate', { n: rate(i.name) })}` : ''}{i.name === suggested ? ` ${t('capture.suggested')}` : ''}
          </option>
        ))}
      </select>
      {iface && traffic[iface] && <Sparkline points={traffic[iface]} label={t('capture.sparkline', { iface, n: rate(iface) ?? 0 })} />}
      <input aria-label={t('capture.filter')} placeholder="tcp port 8080" value={bpf} spellCheck={false} disabled={capturing}
        className={`bpf-input ${bpfCheck.state}`} aria-invalid={bpfCheck.state === 'invalid'} title={bpfCheck.message}
        onChange={(e) => wb.setCaptureFilter(e.target.value)} />
      <button disabled={capturing} onClick={() => void wb.startCapture()}>{t('capture.start')}</button>
      <button disabled={!capturing} onClick={() => void wb.stopCapture()}>{t('capture.stop')}</button>
      {live && (
        <span className="capture-counters" aria-label={t('capture.counters')} data-captured={total} data-displayed={displayed} data-dropped={dropped}>
          {t('capture.countersText', { captured: total, displayed, dropped })}
        </span>
      )}
      {bpfCheck.state === 'invalid' && <span className="bpf-error">{bpfCheck.message}</span>}
    </div>
  );
}

/** The interface's packets per second over the last half minute, as Wireshark's interface list draws it. */
export function Sparkline({ points, label }: { points: number[]; label: string }) {
  const w = 60, h = 16;
  const max = Math.max(1, ...points);
  const step = points.length > 1 ? w / (points.length - 1) : w;
  const d = points.map((v, i) => `${(i * step).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" role="img" aria-label={label} width={w} height={h} viewBox={`0 0 ${w} ${h}`}>
      <polyline points={d} fill="none" stroke="currentColor" strokeWidth="1" />
    </svg>
  );
}
