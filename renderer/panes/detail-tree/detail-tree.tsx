// The detail tree of the selected frame: a WAI-ARIA tree (arrow keys move, Right/Left open and
// close, Enter follows a frame link), "apply/prepare as filter", expand/collapse all, copy value.
import { type KeyboardEvent, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Detail } from '../../engine/protocol.js';
import { useApp, useWorkbench } from '../../context.js';
import { treeKey } from '../../state/tree-keys.js';

/** The filter text for an item, as Wireshark's "Apply as Filter › Selected". */
export function filterFor(d: Detail, i: number): string {
  const it = d.items[i];
  if (it.value === '' || it.abbrev === it.value || /^[a-z0-9_]+$/i.test(it.abbrev) && !it.abbrev.includes('.')) return it.abbrev;
  const numeric = /^-?\d+(\.\d+)?$|^0x[0-9a-f]+$/i.test(it.value) || /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(it.value) || /^\d+\.\d+\.\d+\.\d+$/.test(it.value);
  return `${it.abbrev} == ${numeric ? it.value : JSON.stringify(it.value)}`;
}

export function DetailTree() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const d = useApp((s) => s.detail);
  const sel = useApp((s) => s.item);
  const expanded = useApp((s) => s.expanded);
  const st = wb.store.getState();

  const model = useMemo(() => {
    if (!d) return null;
    const children: number[][] = d.items.map(() => []);
    const roots: number[] = [];
    d.items.forEach((it, i) => (it.parent >= 0 ? children[it.parent].push(i) : roots.push(i)));
    const keys = d.items.map((_, i) => treeKey(d, i));
    return { children, roots, keys };
  }, [d]);

  const visible: { i: number; level: number }[] = [];
  if (d && model) {
    const walk = (ids: number[], level: number) => {
      for (const i of ids) {
        visible.push({ i, level });
        if (model.children[i].length > 0 && expanded.has(model.keys[i])) walk(model.children[i], level + 1);
      }
    };
    walk(model.roots, 1);
  }

  if (!d || !model) return <div role="tree" aria-label={t('tree.label')} className="detail-tree empty" />;

  const pos = visible.findIndex((v) => v.i === sel);
  const onKey = (e: KeyboardEvent) => {
    const cur = pos < 0 ? 0 : pos;
    const i = visible[cur]?.i;
    if (i === undefined) return;
    const hasKids = model.children[i].length > 0;
    const open = expanded.has(model.keys[i]);
    let handled = true;
    if (e.key === 'ArrowDown') st.selectItem(visible[Math.min(visible.length - 1, pos + 1)].i);
    else if (e.key === 'ArrowUp') st.selectItem(visible[Math.max(0, pos - 1)].i);
    else if (e.key === 'ArrowRight') {
      if (hasKids && !open) st.toggle(model.keys[i], true);
      else if (hasKids) st.selectItem(model.children[i][0]);
    } else if (e.key === 'ArrowLeft') {
      if (hasKids && open) st.toggle(model.keys[i], false);
      else if (d.items[i].parent >= 0) st.selectItem(d.items[i].parent);
    } else if (e.key === 'Enter') {
      const link = d.items[i].link;
      if (link !== undefined) void wb.goToFrame(link);
      else if (hasKids) st.toggle(model.keys[i]);
    } else handled = false;
    if (handled) e.preventDefault();
  };
  const selected = sel !== null ? d.items[sel] : null;

  return (
    <div className="detail-pane">
      <div className="tree-tools" role="toolbar" aria-label="Tree actions">
        <button disabled={sel === null} onClick={() => sel !== null && void applyNow(filterFor(d, sel))}>{t('tree.apply')}</button>
        <button disabled={sel === null} onClick={() => sel !== null && st.setFilterText(filterFor(d, sel))}>{t('tree.prepare')}</button>
        <button onClick={() => st.setExpanded(new Set(model.keys.filter((_, i) => model.children[i].length > 0)))}>{t('tree.expandAll')}</button>
        <button onClick={() => st.setExpanded(new Set())}>{t('tree.collapseAll')}</button>
        <button disabled={!selected} onClick={() => selected && void navigator.clipboard?.writeText(selected.value)}>{t('tree.copy')}</button>
        {selected?.link !== undefined && <button onClick={() => void wb.goToFrame(selected.link!)}>{t('tree.goto', { num: selected.link })}</button>}
      </div>
      <div role="tree" aria-label={t('tree.label')} tabIndex={0} className="detail-tree" onKeyDown={onKey}
        aria-activedescendant={sel !== null ? `ti-${sel}` : undefined}>
        {visible.map(({ i, level }) => {
          const it = d.items[i];
          const hasKids = model.children[i].length > 0;
          const open = expanded.has(model.keys[i]);
          return (
            <div
              key={i}
              id={`ti-${i}`}
              role="treeitem"
              aria-level={level}
              aria-selected={i === sel}
              aria-expanded={hasKids ? open : undefined}
              data-field={it.abbrev}
              className={`ti${i === sel ? ' selected' : ''}${it.expert ? ' expert' : ''}${it.link !== undefined ? ' link' : ''}`}
              style={{ paddingLeft: (level - 1) * 16 + 4 }}
              onClick={() => st.selectItem(i)}
              onDoubleClick={() => (it.link !== undefined ? void wb.goToFrame(it.link) : hasKids && st.toggle(model.keys[i]))}
            >
              <span className="twisty" aria-hidden="true" onClick={(e) => { e.stopPropagation(); if (hasKids) st.toggle(model.keys[i]); }}>
                {hasKids ? (open ? '▾' : '▸') : ''}
              </span>
              {it.label}
            </div>
          );
        })}
      </div>
    </div>
  );

  async function applyNow(text: string) {
    st.setFilterText(text);
    await wb.applyFilter(text);
  }
}
