/**
 * A small React wrapper around ECharts (tree-shaken: bar and line charts only, SVG renderer),
 * loaded on first use (EChart.tsx): the first map does not wait for the charts' code.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, MarkAreaComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface EChartProps {
  option: ChartOption;
  style?: React.CSSProperties;
  onClick?: (params: { dataIndex: number }) => void;
  /** the chart, once made: for pointer handling beyond clicks */
  onReady?: (chart: echarts.ECharts) => void;
  testId?: string;
}

export default function EChartImpl(props: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(props.onClick);
  onClick.current = props.onClick;

  useEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => onClick.current?.(p as { dataIndex: number }));
    props.onReady?.(c);
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
    };
    // the chart is made once; onReady is read at that time
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: false, lazyUpdate: true });
  }, [props.option]);

  return (
    <div
      ref={el}
      style={{ width: '100%', height: '100%', ...props.style }}
      data-testid={props.testId}
    />
  );
}
