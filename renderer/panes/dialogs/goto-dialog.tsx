// Go › Go to Packet… (Ctrl+G): a frame number; Enter selects it and scrolls it into view.
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useWorkbench } from '../../context.js';

export function GotoDialog() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const total = useApp((s) => s.total);
  const [text, setText] = useState('');
  const close = () => wb.store.getState().openDialog(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > total) {
      wb.store.getState().notify({ code: 'ERR_NO_SUCH_FRAME', message: `There is no frame ${text || '(empty)'}.`, hint: `Type a number from 1 to ${total}.` });
      return;
    }
    close();
    await wb.goToFrame(n);
  };
  return (
    <div role="dialog" aria-modal="true" aria-label={t('goto.title')} className="dialog" onKeyDown={(e) => e.key === 'Escape' && close()}>
      <form onSubmit={(e) => void submit(e)}>
        <label>{t('goto.number')}
          <input aria-label={t('goto.number')} inputMode="numeric" value={text} autoFocus onChange={(e) => setText(e.target.value.replace(/\D/g, ''))} />
        </label>
        <div className="dialog-buttons">
          <button type="submit">{t('goto.go')}</button>
          <button type="button" onClick={close}>{t('dialog.cancel')}</button>
        </div>
      </form>
    </div>
  );
}
