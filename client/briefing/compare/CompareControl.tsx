/** The desk's switch for the period comparison, beside the time window: against what, and how shown. */
import { COMPARE_AGAINST, COMPARE_MODES, type CompareAgainst } from '../../../domain/briefing';
import { useView } from '../../state/viewStore';
import { useCompareTexts } from './texts';
import './compare.css';

export function CompareControl() {
  const t = useCompareTexts();
  const comparison = useView((s) => s.comparison);
  const setComparison = useView((s) => s.setComparison);
  return (
    <div className="control compare-control" data-testid="compare-control">
      <span>{t.compare}</span>
      <select
        aria-label={t.compare}
        value={comparison?.against ?? 'off'}
        title={comparison ? t.againstTitle[comparison.against] : undefined}
        onChange={(e) => {
          const v = e.target.value;
          setComparison(
            v === 'off'
              ? null
              : { against: v as CompareAgainst, mode: comparison?.mode ?? 'split' },
          );
        }}
      >
        <option value="off">{t.off}</option>
        {COMPARE_AGAINST.map((a) => (
          <option key={a} value={a} title={t.againstTitle[a]}>
            {t.against[a]}
          </option>
        ))}
      </select>
      {comparison && (
        <div className="seg" role="group" aria-label={t.modeLabel}>
          {COMPARE_MODES.map((m) => (
            <button
              key={m}
              type="button"
              className={comparison.mode === m ? 'on' : ''}
              aria-pressed={comparison.mode === m}
              data-testid={`compare-${m}`}
              onClick={() => setComparison({ ...comparison, mode: m })}
            >
              {t.modes[m]}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
