/** A compared period's name and dates, large, over its map. */
import type { View } from '../../state/view';
import { useCompareTexts } from './texts';
import { periodText, type ComparedRanges } from './useComparison';

/** What of the desk's view the compared maps draw. */
export type StageView = Pick<
  View,
  'layers' | 'categories' | 'communityId' | 'incidentId' | 'camera'
>;

/** A period's name and dates, large, over its map. */
export function PeriodLabel({
  ranges,
  which,
  className = '',
}: {
  ranges: ComparedRanges;
  which: 'current' | 'base';
  className?: string;
}) {
  const t = useCompareTexts();
  const name = which === 'current' ? t.current : t.base[ranges.comparison.against];
  return (
    <div className={`period-label ${which} ${className}`} data-testid={`period-${which}`}>
      <span className="name">{name}</span> <span className="num">{periodText(ranges[which])}</span>
    </div>
  );
}
