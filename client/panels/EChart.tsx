/**
 * A chart (ECharts), its code loaded when the first chart is shown: until then, and while it
 * loads, an empty box of the chart's size holds its place.
 */
import { lazy, Suspense } from 'react';
import type { EChartProps } from './EChartImpl';

export type { ChartOption, EChartProps } from './EChartImpl';

const Impl = lazy(() => import('./EChartImpl'));

export function EChart(props: EChartProps) {
  const box = (
    <div style={{ width: '100%', height: '100%', ...props.style }} data-testid={props.testId} />
  );
  return (
    <Suspense fallback={box}>
      <Impl {...props} />
    </Suspense>
  );
}
