// The bytes pane: offset, hex and ASCII, one tab per data source (Frame, Reassembled TCP, decoded
// body). The selected tree item's bytes are highlighted; clicking a byte selects the innermost item
// that covers it (Wireshark's behaviour: the smallest range wins).
import { useTranslation } from 'react-i18next';
import type { Detail } from '../../engine/protocol.js';
import { useApp, useWorkbench } from '../../context.js';

export function innermostItem(d: Detail, source: number, offset: number): number | null {
  let best: number | null = null;
  d.items.forEach((it, i) => {
    if (it.source !== source || it.length <= 0 || offset < it.start || offset >= it.start + it.length) return;
    if (best === null || it.length <= d.items[best].length) best = i;
  });
  return best;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const ascii = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

export function HexPane() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const d = useApp((s) => s.detail);
  const item = useApp((s) => s.item);
  const tab = useApp((s) => s.sourceTab);
  const st = wb.store.getState();
  const src = d?.sources[Math.min(tab, (d?.sources.length ?? 1) - 1)];
  const hl = d && item !== null && d.items[item].source === tab ? d.items[item] : null;
  const lines: number[] = [];
  if (src) for (let o = 0; o < src.bytes.length; o += 16) lines.push(o);
  const on = (o: number) => hl !== null && o >= hl.start && o < hl.start + hl.length;
  const click = (o: number) => {
    if (!d) return;
    const i = innermostItem(d, tab, o);
    if (i !== null) st.selectItem(i);
  };

  return (
    <section role="region" aria-label={t('hex.label')} className="hex-pane">
      {d && d.sources.length > 1 && (
        <div role="tablist" className="hex-tabs">
          {d.sources.map((s, i) => (
            <button key={i} role="tab" aria-selected={i === tab} onClick={() => st.setSourceTab(i)}>{s.name}</button>
          ))}
        </div>
      )}
      <div className="hex-body">
        {src && lines.map((o) => (
          <div className="hex-line" key={o}>
            <span className="hex-off">{o.toString(16).padStart(4, '0')}</span>
            <span className="hex-bytes">
              {Array.from(src.bytes.subarray(o, o + 16), (b, k) => (
                <span key={k} data-offset={o + k} className={`hb${on(o + k) ? ' hl' : ''}`} onClick={() => click(o + k)}>{hex2(b)}</span>
              ))}
            </span>
            <span className="hex-ascii">
              {Array.from(src.bytes.subarray(o, o + 16), (b, k) => (
                <span key={k} data-offset={o + k} className={`ha${on(o + k) ? ' hl' : ''}`} onClick={() => click(o + k)}>{ascii(b)}</span>
              ))}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
