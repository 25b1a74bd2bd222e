/**
 * Incidents per day over the whole data span, the window marked on it, and playback: the window
 * moves a day at a time at 1×, 4× or 16×. The server counts the days; those the loaded columns
 * hold are counted on the client from them.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ECharts } from 'echarts/core';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { countPerDay, covers } from '../data/incidentColumns';
import { useTRPC } from '../data/trpc';
import { isoRange } from '../state/timeWindow';
import {
  currentWindowRange,
  useIncidentColumns,
  usePanelWindowRange,
  useReference,
  useSpan,
} from '../data/hooks';
import { useT } from '../i18n';
import { addDaysToDate, DAY_MS, localDate, localMidnight, type Range } from '../../domain/time';
import { useView } from '../state/viewStore';
import { EChart, type ChartOption } from './EChart';

const SPEEDS = [1, 4, 16] as const;

export function Timeline() {
  const t = useT();
  const span = useSpan();
  const columns = useIncidentColumns();
  // the chart marks the window as the panels see it; playback and scrubbing step from the
  // store's window as it is at that moment
  const shown = usePanelWindowRange();
  const reference = useReference();
  const current = () => currentWindowRange(reference);
  const categories = useView((s) => s.categories);
  const setWindow = useView((s) => s.setWindow);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(4);

  const days = useMemo(() => {
    if (!span) return null;
    const first = localMidnight(localDate(span.from));
    const n = Math.round((localMidnight(localDate(span.to - 1)) - first) / DAY_MS) + 1;
    return { first, n };
  }, [span]);

  // the server's count per day over the span, in two questions: the days before the last, asked
  // again only when a new day begins, and the last day, whose end moves with every incident in;
  // the days the loaded columns hold are counted on them (live incidents show as they come)
  const trpc = useTRPC();
  const lastDay = days ? days.first + (days.n - 1) * DAY_MS : 0;
  const dayCounts = (range: Range | null) => ({
    ...trpc.incidents.summary.queryOptions({
      ...(range ? isoRange(range) : { from: '', to: '' }),
      groupBy: 'day',
      ...(categories.length ? { categories: [...categories] } : {}),
    }),
    enabled: Boolean(range),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
  // the map's incidents first: the days before are asked once the columns are in (or not to
  // come), not beside them, where their count over years of history would hold them up
  const mapFirst = columns.data !== undefined || columns.fetchStatus === 'idle';
  const before = useQuery(
    dayCounts(days && days.n > 1 && mapFirst ? { from: days.first, to: lastDay } : null),
  ).data;
  const last = useQuery(dayCounts(days ? { from: lastDay, to: lastDay + DAY_MS } : null)).data;
  const daily = useMemo(
    () => (before || last ? [...(before ?? []), ...(last ?? [])] : undefined),
    [before, last],
  );
  const counts = useMemo(() => {
    if (!days || (!columns.data && !daily)) return null;
    const out = new Int32Array(days.n);
    if (daily) {
      const index = new Map(daily.map((r) => [r.key, r.count]));
      for (let d = 0; d < days.n; d++) out[d] = index.get(localDate(days.first + d * DAY_MS)) ?? 0;
    }
    const c = columns.data;
    if (!c) return out;
    const shown: readonly string[] = categories.length ? categories : INCIDENT_CATEGORIES;
    let mask = 0;
    INCIDENT_CATEGORIES.forEach((k, i) => {
      if (shown.includes(k)) mask |= 1 << i;
    });
    const local = countPerDay(c, days.first, days.n, mask);
    for (let d = 0; d < days.n; d++)
      if (covers(c, { from: days.first + d * DAY_MS, to: days.first + (d + 1) * DAY_MS }))
        out[d] = local[d]!;
    return out;
  }, [columns.data, daily, days, categories]);

  // playback: shift the window by a day per tick; stop at the end of the data
  const currentRef = useRef(current);
  currentRef.current = current;
  useEffect(() => {
    if (!playing || !span) return;
    const timer = setInterval(() => {
      const range = currentRef.current();
      if (range.to >= span.to) {
        setPlaying(false);
        return;
      }
      setWindow({
        from: addDaysToDate(localDate(range.from), 1),
        to: addDaysToDate(localDate(range.to), 1),
      });
    }, 1000 / speed);
    return () => clearInterval(timer);
  }, [playing, speed, span, setWindow]);

  // the days' labels: once per data span, not per window
  const labels = useMemo(
    () =>
      days
        ? Array.from({ length: days.n }, (_, i) => localDate(days.first + i * DAY_MS + DAY_MS / 2))
        : [],
    [days],
  );

  const option: ChartOption = useMemo(() => {
    if (!counts || !days) return {};
    const wFrom = localDate(shown.from);
    const wTo = localDate(shown.to - 1);
    return {
      animation: false,
      grid: { left: 44, right: 16, top: 10, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: labels,
        axisLabel: { color: '#93a1b8', fontSize: 11 },
        axisLine: { lineStyle: { color: '#24314d' } },
      },
      yAxis: {
        type: 'value',
        axisLabel: { color: '#93a1b8', fontSize: 11 },
        splitLine: { lineStyle: { color: '#1c2840' } },
      },
      series: [
        {
          type: 'bar',
          name: t.perDay,
          data: Array.from(counts),
          itemStyle: { color: '#5c7099' },
          barCategoryGap: '10%',
          markArea: {
            silent: true,
            itemStyle: { color: 'rgba(77,208,225,0.18)', borderColor: '#4dd0e1', borderWidth: 1 },
            data: [[{ xAxis: wFrom }, { xAxis: wTo }]],
          },
        },
      ],
    };
  }, [counts, days, labels, shown, t]);

  // scrubbing: press on the timeline and drag; the window, keeping its length, ends on the day
  // under the pointer. Only the GPU filter changes: nothing is refetched.
  const scrub = useRef(new Scrubber());
  scrub.current.moveTo = (dayIndex: number) => {
    if (!days) return;
    const i = Math.min(days.n - 1, Math.max(0, dayIndex));
    const end = localDate(days.first + (i + 1) * DAY_MS + DAY_MS / 2);
    const range = current();
    const windowDays = Math.round((range.to - range.from) / DAY_MS);
    setPlaying(false);
    setWindow({ from: addDaysToDate(end, -windowDays), to: end });
  };
  return (
    <div className="timeline" data-testid="timeline">
      <div className="controls">
        <div style={{ color: 'var(--muted)' }}>{t.perDay}</div>
        <div className="control">
          <button
            className="btn"
            onClick={() => setPlaying(!playing)}
            data-testid="play"
            aria-pressed={playing}
          >
            {playing ? `❚❚ ${t.pause}` : `▶ ${t.play}`}
          </button>
        </div>
        <div className="control" role="group" aria-label={t.speed}>
          {SPEEDS.map((s) => (
            <button
              key={s}
              className={`btn ${s === speed ? 'on' : ''}`}
              onClick={() => setSpeed(s)}
            >
              {s}×
            </button>
          ))}
        </div>
      </div>
      <div className="chart">
        {columns.isLoading && (
          <div className="empty" style={{ padding: 12 }}>
            {t.loading}
          </div>
        )}
        {counts && (
          <EChart
            option={option}
            testId="timeline-chart"
            onReady={(c) => scrub.current.attach(c)}
          />
        )}
      </div>
    </div>
  );
}

/** Turns pointer presses and drags on the chart into day indices. */
class Scrubber {
  moveTo: (dayIndex: number) => void = () => {};
  private down = false;
  private last = -1;

  attach(chart: ECharts) {
    const zr = chart.getZr();
    const at = (e: { offsetX: number; offsetY: number }) => {
      const [i] = chart.convertFromPixel({ xAxisIndex: 0 }, [e.offsetX, e.offsetY]) as [
        number,
        number,
      ];
      const day = Math.round(i);
      if (Number.isFinite(day) && day !== this.last) {
        this.last = day;
        this.moveTo(day);
      }
    };
    zr.on('mousedown', (e) => {
      this.down = true;
      this.last = -1;
      at(e);
    });
    zr.on('mousemove', (e) => {
      if (this.down) at(e);
    });
    zr.on('mouseup', () => (this.down = false));
    zr.on('globalout', () => (this.down = false));
  }
}
