// The packet list: a virtualized grid (@tanstack/react-virtual) that fetches only the rows on screen
// from the engine worker. Past a few million pixels browsers cap an element's height, so the scroll
// range is scaled: the scrollbar maps to a row index instead of a pixel (STYLE.md §5).
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLOR_RULES } from '../../engine/color-rules.js';
import type { Row } from '../../engine/protocol.js';
import { useApp, useWorkbench } from '../../context.js';

export const ROW_HEIGHT = 20;
/** Wireshark's related-packet marks in the No. column: request →, response ←, ACKed frame ✓. */
const REL_MARK: Record<string, string> = { request: '→', response: '←', acked: '✓', ack: '✓', 'same-stream': '┆' };
/** Tallest scroll area we ask of the browser (Chromium's limit is ~33.5 M px; stay well below). */
export const MAX_SCROLL_PX = 8_000_000;

export function PacketList() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const count = useApp((s) => s.displayed);
  const generation = useApp((s) => s.generation);
  const selectedIndex = useApp((s) => s.selectedIndex);
  const capturing = useApp((s) => s.capturing);
  const related = useApp((s) => s.related);
  const ref = useRef<HTMLDivElement>(null);
  const [rows, setRows] = useState<Map<number, Row>>(new Map());
  const [viewH, setViewH] = useState(400);
  const follow = useRef(true);
  const lastTop = useRef(0);

  const total = count * ROW_HEIGHT;
  const scrollH = Math.min(total, MAX_SCROLL_PX);
  const scale = total > scrollH && scrollH > viewH ? (total - viewH) / (scrollH - viewH) : 1;
  const scaleRef = useRef(scale);
  scaleRef.current = scale;

  const virt = useVirtualizer({
    count,
    getScrollElement: () => ref.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    observeElementOffset: (instance, cb) => {
      const el = instance.scrollElement;
      if (!el) return;
      const h = () => cb(el.scrollTop * scaleRef.current, false);
      h();
      el.addEventListener('scroll', h, { passive: true });
      return () => el.removeEventListener('scroll', h);
    },
    scrollToFn: (offset, opts, instance) => {
      instance.scrollElement?.scrollTo({ top: offset / scaleRef.current, behavior: opts.behavior });
    },
  });
  const items = virt.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.length ? items[items.length - 1].index + 1 : 0;

  useEffect(() => setRows(new Map()), [generation]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewH(el.clientHeight || 400));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    let live = true;
    const missing: number[] = [];
    for (let i = first; i < last; i++) if (!rows.has(i)) missing.push(i);
    if (missing.length === 0) return;
    void wb.engine.rows(missing[0], missing[missing.length - 1] + 1).then((got) => {
      if (!live) return;
      setRows((old) => {
        const m = new Map(old.size > 2000 ? [] : old);
        got.forEach((r, k) => m.set(missing[0] + k, r));
        return m;
      });
    });
    return () => {
      live = false;
    };
  }, [first, last, generation, count, rows, wb]);
  // Autoscroll while capturing, until the user scrolls up (as Wireshark's "auto scroll in live capture");
  // scrolling back to the bottom turns it on again.
  useEffect(() => {
    if (capturing) follow.current = true;
  }, [capturing]);
  useEffect(() => {
    if (capturing && follow.current && count > 0) {
      const el = ref.current;
      if (el) {
        el.scrollTop = el.scrollHeight;
        lastTop.current = el.scrollTop;
      }
    }
  }, [count, capturing]);
  // A selection made elsewhere (Go to packet, a frame link, the Go menu) is scrolled into view.
  useEffect(() => {
    if (selectedIndex < 0) return;
    const vis = virt.getVirtualItems();
    if (vis.length === 0 || selectedIndex <= vis[0].index || selectedIndex >= vis[vis.length - 1].index) virt.scrollToIndex(selectedIndex, { align: 'center' });
  }, [selectedIndex, virt]);

  const move = (to: number) => {
    const i = Math.max(0, Math.min(count - 1, to));
    void wb.selectIndex(i);
    virt.scrollToIndex(i, { align: 'auto' });
  };
  const onKey = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(viewH / ROW_HEIGHT) - 1);
    const cur = selectedIndex < 0 ? -1 : selectedIndex;
    const keys: Record<string, number> = { ArrowDown: cur + 1, ArrowUp: cur - 1, PageDown: cur + page, PageUp: cur - page, Home: 0, End: count - 1 };
    if (e.key in keys && count > 0) {
      e.preventDefault();
      move(keys[e.key]);
    }
  };
  const offset = virt.scrollOffset ?? 0;
  const realTop = offset / scale;

  return (
    <div className="packet-list">
      <div role="grid" aria-label={t('list.label')} aria-rowcount={count + 1} aria-colcount={7} tabIndex={0} onKeyDown={onKey}>
        <div role="row" aria-rowindex={1} className="pl-row pl-head">
          {(['no', 'time', 'src', 'dst', 'proto', 'len', 'info'] as const).map((c) => (
            <span key={c} role="columnheader" className={`pl-c pl-${c}`}>{t(`col.${c}`)}</span>
          ))}
        </div>
        <div
          ref={ref}
          className="pl-scroll"
          onScroll={(e) => {
            const el = e.currentTarget;
            const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2;
            // Only a move up stops following: rows arriving grow the list under a still scrollbar.
            if (el.scrollTop < lastTop.current - 1 && !atBottom) follow.current = false;
            else if (atBottom) follow.current = true;
            lastTop.current = el.scrollTop;
          }}
        >
          <div style={{ height: scrollH, position: 'relative' }}>
            {items.map((it) => {
              const r = rows.get(it.index);
              const rule = r && r.color >= 0 ? COLOR_RULES[r.color] : undefined;
              const sel = it.index === selectedIndex;
              const rel = r ? related.get(r.num) : undefined;
              return (
                <div
                  key={it.key}
                  role="row"
                  aria-rowindex={it.index + 2}
                  aria-selected={sel}
                  className={`pl-row${sel ? ' selected' : ''}${rel ? ' related' : ''}`}
                  data-related={rel}
                  style={{ position: 'absolute', top: realTop + (it.start - offset), height: ROW_HEIGHT, ...(rule && !sel ? { background: rule.bg, color: rule.fg } : {}) }}
                  onClick={() => void wb.selectIndex(it.index)}
                >
                  <span role="gridcell" className="pl-c pl-no">
                    {rel && <span className="rel-mark" title={t(`related.${rel}`)} aria-label={t(`related.${rel}`)}>{REL_MARK[rel]}</span>}
                    {r?.num ?? ''}
                  </span>
                  <span role="gridcell" className="pl-c pl-time">{r?.time ?? ''}</span>
                  <span role="gridcell" className="pl-c pl-src">{r?.src ?? ''}</span>
                  <span role="gridcell" className="pl-c pl-dst">{r?.dst ?? ''}</span>
                  <span role="gridcell" className="pl-c pl-proto">{r?.protocol ?? ''}</span>
                  <span role="gridcell" className="pl-c pl-len">{r?.length ?? ''}</span>
                  <span role="gridcell" className="pl-c pl-info">{r?.info ?? ''}</span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
