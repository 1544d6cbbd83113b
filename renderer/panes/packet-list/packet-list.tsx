// The packet list: a virtual grid that renders and fetches from the engine worker only the rows on
// screen. Past a few million pixels browsers cap an element's height, so the scroll range is scaled:
// the scrollbar maps to a row index instead of a pixel (STYLE.md §5). Rows all have one height, so
// the window is plain arithmetic; @tanstack/react-virtual (used before) clamps its offset to the
// element's own scroll range, which left the last 60% of a million rows unreachable when scaled.
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLOR_RULES } from '../../engine/color-rules.js';
import type { Row } from '../../engine/protocol.js';
import { useApp, useWorkbench } from '../../context.js';

export const ROW_HEIGHT = 20;
/** Wireshark's related-packet marks in the No. column: request →, response ←, ACKed frame ✓. */
const REL_MARK: Record<string, string> = { request: '→', response: '←', acked: '✓', ack: '✓', 'same-stream': '┆' };
/** Tallest scroll area we ask of the browser (Chromium's limit is ~33.5 M px; stay well below). */
export const MAX_SCROLL_PX = 8_000_000;
const OVERSCAN = 8;

/** Maps a scroll position to the first visible row and back, for `count` rows in a `viewH` window. */
export function scrollGeometry(count: number, viewH: number) {
  const total = count * ROW_HEIGHT;
  const scrollH = Math.min(total, MAX_SCROLL_PX);
  const scale = total > scrollH && scrollH > viewH ? (total - viewH) / (scrollH - viewH) : 1;
  return {
    scrollH,
    /** Virtual pixel offset (as if every row were laid out) of a scrollTop. */
    offsetOf: (scrollTop: number) => Math.min(scrollTop * scale, Math.max(0, total - viewH)),
    /** scrollTop that shows virtual offset `off` at the top. */
    topFor: (off: number) => off / scale,
  };
}

export function PacketList() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const storeCount = useApp((s) => s.displayed);
  const generation = useApp((s) => s.generation);
  const selectedIndex = useApp((s) => s.selectedIndex);
  const capturing = useApp((s) => s.capturing);
  const related = useApp((s) => s.related);
  const timeFormat = useApp((s) => s.timeFormat);
  const ref = useRef<HTMLDivElement>(null);
  const [rows, setRows] = useState<Map<number, Row>>(new Map());
  const [viewH, setViewH] = useState(400);
  const [scrollTop, setScrollTop] = useState(0);
  const follow = useRef(true);
  const lastTop = useRef(0);
  // While a live capture is followed, new rows are shown only once their content has arrived from the
  // worker: a batch of 500 packets moves the view past every cached row, and showing the new count
  // first would paint a frame of empty rows at each batch.
  const [count, setCount] = useState(storeCount);
  const countRef = useRef(count);
  countRef.current = count;
  const genRef = useRef(generation);
  genRef.current = generation;
  useEffect(() => {
    if (!(capturing && follow.current) || storeCount < count) {
      setCount(storeCount);
      return;
    }
    if (storeCount === count) return;
    const target = storeCount;
    const gen = genRef.current;
    const from = Math.max(0, target - Math.ceil(viewH / ROW_HEIGHT) - OVERSCAN);
    void wb.engine.rows(from, target, timeFormat).then((got) => {
      if (gen !== genRef.current) return;
      setRows((old) => {
        const m = new Map(old.size > 2000 ? [] : old);
        got.forEach((r, k) => m.set(from + k, r));
        return m;
      });
      setCount((c) => Math.max(c, target));
    });
  }, [storeCount, capturing]);

  const geo = scrollGeometry(count, viewH);
  const scrollH = geo.scrollH;
  const offset = geo.offsetOf(scrollTop);
  const first = Math.max(0, Math.floor(offset / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((offset + viewH) / ROW_HEIGHT) + OVERSCAN);
  const items: { index: number; key: number; start: number }[] = [];
  for (let i = first; i < last; i++) items.push({ index: i, key: i, start: i * ROW_HEIGHT });
  const realTop = scrollTop;
  const geoRef = useRef(geo);
  geoRef.current = geo;

  /** Scrolls so row `i` is visible ('auto': only if it is not; 'center'; 'end': at the bottom). */
  const scrollToIndex = useCallback((i: number, align: 'auto' | 'center' | 'end') => {
    const el = ref.current;
    if (!el) return;
    const g = geoRef.current;
    const h = el.clientHeight || 400;
    const cur = g.offsetOf(el.scrollTop);
    const top = i * ROW_HEIGHT;
    let want = cur;
    if (align === 'center') want = top - h / 2 + ROW_HEIGHT / 2;
    else if (align === 'end') want = top + ROW_HEIGHT - h;
    else if (top < cur) want = top;
    else if (top + ROW_HEIGHT > cur + h) want = top + ROW_HEIGHT - h;
    if (want !== cur) el.scrollTop = g.topFor(Math.max(0, want));
  }, []);

  useEffect(() => setRows(new Map()), [generation, timeFormat]);
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
    void wb.engine.rows(missing[0], missing[missing.length - 1] + 1, timeFormat).then((got) => {
      if (!live) return;
      setRows((old) => {
        // Bound the cache, but never drop the rows on screen (a blank frame while they are refetched).
        // The window is this effect's; the list may have moved on since (a followed capture), so the
        // rows at the current end are kept too.
        const tail = countRef.current - 300;
        const m = old.size > 2000 ? new Map([...old].filter(([i]) => (i >= first - 200 && i < last + 200) || i >= tail)) : new Map(old);
        got.forEach((r, k) => m.set(missing[0] + k, r));
        return m;
      });
    });
    return () => {
      live = false;
    };
  }, [first, last, generation, count, rows, wb, timeFormat]);
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
    if (selectedIndex >= 0) scrollToIndex(selectedIndex, 'auto');
  }, [selectedIndex, scrollToIndex]);

  const move = (to: number) => {
    const i = Math.max(0, Math.min(count - 1, to));
    void wb.selectIndex(i);
    scrollToIndex(i, 'auto');
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
            setScrollTop(el.scrollTop);
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
