import { useLiveQuery } from 'dexie-react-hooks';
import { useUi } from '../../app/store.ts';
import { useIsLeader, useStation } from '../../app/runtime-context.tsx';
import { chinaTime, t } from '../../i18n/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';

/**
 * After a crash, the labels that were being printed are in doubt: the worker looks at the printer and
 * says, label by label, whether it printed. "It printed" returns its number; "it did not" puts it back
 * in the queue. Nothing is reprinted until then (DESIGN.md §7).
 */
export function InDoubtDialog() {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const leader = useIsLeader();
  const items = useLiveQuery(() => runtime.db.jobItems.where('state').equals('in_doubt').toArray(), [runtime], []);
  return (
    <Dialog title={t('inDoubtTitle', lang)} open={leader && items.length > 0} onClose={() => undefined}>
      <p>{t('inDoubtText', lang)}</p>
      <ul className="in-doubt">
        {items.map((i) => (
          <li key={i.id}>
            <span>
              {t('orderSn', lang)} <b>{i.orderSn}</b> · {t('waybillNo', lang)} <b>{i.waybillNo}</b> ·{' '}
              {chinaTime(i.updatedAt)}
            </span>
            <button type="button" onClick={() => void runtime.runner.resolveInDoubt(i.id!, 'printed')}>
              {t('itPrinted', lang)}
            </button>
            <button type="button" onClick={() => void runtime.runner.resolveInDoubt(i.id!, 'not_printed')}>
              {t('itDidNotPrint', lang)}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
