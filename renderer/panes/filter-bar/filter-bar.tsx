// The display filter bar: Wireshark's language, checked as you type (green valid, red invalid with
// the error's position, yellow deprecated), field-name completion, history; Enter or Apply filters.
import { type KeyboardEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useWorkbench } from '../../context.js';

export function FilterBar() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const text = useApp((s) => s.filterText);
  const check = useApp((s) => s.check);
  const history = useApp((s) => s.history);
  const bookmarks = useApp((s) => s.bookmarks);
  const filtering = useApp((s) => s.filtering);
  const [completions, setCompletions] = useState<{ name: string; label: string }[]>([]);
  const [active, setActive] = useState(0);
  const st = wb.store.getState();

  useEffect(() => {
    let live = true;
    const word = /[A-Za-z_][\w.-]*$/.exec(text)?.[0] ?? '';
    void Promise.all([wb.engine.checkFilter(text), word.includes('.') || word.length >= 2 ? wb.engine.completeField(word) : Promise.resolve([])]).then(([c, comp]) => {
      if (!live) return;
      wb.store.getState().setCheck(c);
      setCompletions(comp.filter((x) => x.name !== word).slice(0, 12));
      setActive(0);
    });
    return () => {
      live = false;
    };
  }, [text, wb]);

  const apply = () => {
    setCompletions([]);
    void wb.applyFilter(text);
  };
  const complete = (name: string) => {
    st.setFilterText(text.replace(/[A-Za-z_][\w.-]*$/, name));
    setCompletions([]);
  };
  const onKey = (e: KeyboardEvent) => {
    if (completions.length > 0 && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : completions.length - 1)) % completions.length);
    } else if (completions.length > 0 && e.key === 'Tab') {
      e.preventDefault();
      complete(completions[active].name);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      apply();
    } else if (e.key === 'Escape') setCompletions([]);
  };

  return (
    <div className="filter-bar" data-state={check.state}>
      <input
        type="text"
        aria-label={t('filter.label')}
        placeholder={t('filter.placeholder')}
        value={text}
        spellCheck={false}
        aria-invalid={check.state === 'invalid'}
        aria-autocomplete="list"
        aria-controls="filter-completions"
        className={`filter-input ${check.state}`}
        onChange={(e) => st.setFilterText(e.target.value)}
        onKeyDown={onKey}
      />
      {history.length > 0 && (
        <select aria-label={t('filter.history')} value="" onChange={(e) => e.target.value && st.setFilterText(e.target.value)}>
          <option value="">{t('filter.history')}</option>
          {history.map((h) => <option key={h} value={h}>{h}</option>)}
        </select>
      )}
      <button aria-pressed={bookmarks.includes(text.trim())} disabled={text.trim() === ''} onClick={() => st.toggleBookmark(text)}
        title={t('filter.bookmark')}>{bookmarks.includes(text.trim()) ? '★' : '☆'}<span className="sr-only">{t('filter.bookmark')}</span></button>
      {bookmarks.length > 0 && (
        <select aria-label={t('filter.bookmarks')} value="" onChange={(e) => e.target.value && st.setFilterText(e.target.value)}>
          <option value="">{t('filter.bookmarks')}</option>
          {bookmarks.map((h) => <option key={h} value={h}>{h}</option>)}
        </select>
      )}
      <button onClick={apply} disabled={filtering || check.state === 'invalid'}>{t('filter.apply')}</button>
      <button onClick={() => { st.setFilterText(''); void wb.applyFilter(''); }}>{t('filter.clear')}</button>
      {filtering && <progress aria-label="Filtering" />}
      {check.state === 'invalid' && check.message && (
        <div role="alert" className="filter-error">{check.message}{check.start !== undefined ? ` (${check.start}–${check.end})` : ''}</div>
      )}
      {completions.length > 0 && (
        <ul id="filter-completions" role="listbox" className="completions">
          {completions.map((c, i) => (
            <li key={c.name} role="option" aria-selected={i === active} onMouseDown={(e) => { e.preventDefault(); complete(c.name); }}>
              <b>{c.name}</b> <span>{c.label}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
