/**
 * The wall display: a 1920×1080 canvas scaled to the screen, read from across a room, with no
 * pointer. It rotates through prepared views, refreshes by itself, keeps the last picture when
 * the server goes away, and says how old its data is.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { layerAllows } from '../../domain/policy';
import type { IncidentCategory } from '../../domain/vocabulary';
import {
  useBasemap,
  useHealth,
  useIncidentColumns,
  useIncidentPointsAllowed,
  useReference,
} from '../data/hooks';
import { totalOf, useColumnCounts, useFraudTrend, useReconcile } from '../data/kpis';
import { HIGHLIGHT_MS, mergeLatest, useLive, useLiveStream } from '../data/live';
import { useTRPC } from '../data/trpc';
import { useT } from '../i18n';
import { MapView } from '../map/MapView';
import { useMapLayers } from '../map/useMapLayers';
import type { Size } from '../../geo/viewExtent';
import { Delta } from '../panels/Delta';
import { Legend } from '../panels/Legend';
import { isoRange } from '../state/timeWindow';
import { DAY_MS, previousRange, resolveWindow } from '../../domain/time';
import { OPENED_SEARCH, useView } from '../state/viewStore';
import { CATEGORY_COLOURS, css } from '../theme';
import { isStale, useKept, type Kept } from './kept';
import { hms, useClock, ymd } from './useClock';
import './wall.css';
import { allowedViews, wallLayers, wallSettings } from './wallViews';

// read from the address as opened: the page loads after the address bar follows the view
const settings = wallSettings(OPENED_SEARCH);
/** figures with no answer for three refresh periods are stale even before a request fails */
const STALE_AFTER_MS = settings.refresh * 3000;

/** Room around a view fitted to its bounds: its title stands at the top left. */
const WALL_FIT_PADDING = { top: 80, right: 40, bottom: 40, left: 40 };

/** Scale the fixed canvas to the window, letterboxed. */
function useFit() {
  const [fit, setFit] = useState({ scale: 1, x: 0, y: 0 });
  useEffect(() => {
    const on = () => {
      const scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
      setFit({
        scale,
        x: (window.innerWidth - 1920 * scale) / 2,
        y: (window.innerHeight - 1080 * scale) / 2,
      });
    };
    on();
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return fit;
}

export function WallApp() {
  const t = useT();
  const fit = useFit();
  const now = useClock();
  const health = useHealth(settings.refresh * 1000);
  const basemap = useBasemap();
  const columns = useIncidentColumns();
  const pointsAllowed = useIncidentPointsAllowed();
  // the page's one live stream: new incidents reach the map and the figures at once
  useLiveStream();
  // the map's code loads beside the data (MapView): the page is ready once both are here
  const [mapShown, setMapShown] = useState(false);
  const onMap = useCallback((m: unknown) => setMapShown(m !== null), []);
  useEffect(() => {
    document.body.dataset.ready = mapShown && (columns.data || !pointsAllowed) ? 'true' : 'false';
  }, [columns.data, pointsAllowed, mapShown]);
  // a display shows only the layers its configuration allows
  const trpc = useTRPC();
  const allowed = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity }).data?.layers;
  const views = useMemo(() => allowedViews(settings.views, allowed ?? null), [allowed]);
  const [viewIndex, setViewIndex] = useState(0);
  useEffect(() => {
    const timer = setInterval(
      () => setViewIndex((i) => (i + 1) % views.length),
      settings.rotate * 1000,
    );
    return () => clearInterval(timer);
  }, [views]);
  const v = views[viewIndex % views.length]!;
  const mapView = useMemo(
    () => ({
      layers: wallLayers(v, allowed ?? null),
      categories: [],
      communityId: null,
      incidentId: null,
      camera: v.camera,
    }),
    [v, allowed],
  );
  const { layers, follow } = useMapLayers(mapView, { labelSize: 18 });
  // a view fitted to the district keeps clear of the legend and of the view's title
  const [legendSize, setLegendSize] = useState<Size | null>(null);
  // the legend reads the store: show this view's layers there
  const replace = useView((s) => s.replace);
  useEffect(() => {
    replace({ ...useView.getState(), layers: mapView.layers });
  }, [mapView, replace]);

  // the server answers again: what failed meanwhile is asked again now, not at its next turn
  const queryClient = useQueryClient();
  const down = health.isError;
  useEffect(() => {
    if (!down)
      void queryClient.refetchQueries({
        type: 'active',
        predicate: (q) => q.state.status === 'error',
      });
  }, [down, queryClient]);

  const lastOk = health.dataUpdatedAt;
  const stale = health.isError || (lastOk > 0 && now - lastOk > settings.refresh * 1500);
  const zh = t.lang === 'zh' ? 0 : 1;

  return (
    <div className="wall-viewport">
      <div
        className="wall"
        data-testid="wall"
        style={{ transform: `translate(${fit.x}px, ${fit.y}px) scale(${fit.scale})` }}
      >
        <div className="top">
          <h1>{t.lang === 'zh' ? '城北区平安建设态势' : 'Chengbei public safety'}</h1>
          <div className="clock">
            <div className="time" data-testid="wall-clock">
              {ymd(now)} {hms(now)}
            </div>
            <div className={`fresh ${stale ? 'stale' : ''}`} data-testid="wall-freshness">
              {lastOk === 0
                ? t.loading
                : stale
                  ? `${t.staleSince} ${hms(lastOk)} · ${t.ago(now - lastOk)}`
                  : `${t.dataAsOf} ${hms(lastOk)}`}
            </div>
          </div>
        </div>
        <div className="col left">
          <KpiTiles refresh={settings.refresh} now={now} />
        </div>
        <div className="map-area">
          {basemap && (
            <MapView
              basemap={basemap}
              layers={layers}
              camera={v.camera}
              bounds={v.bounds}
              padding={WALL_FIT_PADDING}
              keepClear={legendSize}
              interactive={false}
              flyDuration={2}
              follow={follow}
              onMap={onMap}
            />
          )}
          <div className="view-title" data-testid="wall-view-title">
            {v.title[zh]}
          </div>
          <div className="view-dots" data-testid="wall-view-index">
            {views.map((x, i) => (
              <i key={x.id} className={i === viewIndex % views.length ? 'on' : ''} />
            ))}
            <span className="num">
              {(viewIndex % views.length) + 1}/{views.length}
            </span>
          </div>
          <Legend onSize={setLegendSize} />
        </div>
        <div className="col right">
          {/* the board alternates with the map's views: incident ranking, then the red/black list */}
          {viewIndex % 2 === 0 ? (
            <Ranking refresh={settings.refresh} now={now} />
          ) : (
            <RedBlackBoard refresh={settings.refresh} now={now} />
          )}
          <LatestIncidents refresh={settings.refresh} now={now} />
        </div>
      </div>
    </div>
  );
}

/** Whether this display's configuration lets it call `path` (false until the session is known). */
function useMayCall(path: string): boolean {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity }).data;
  return me !== undefined && layerAllows(me.layers, path);
}

/** A tile's class: "stale" while its figures are. */
const tileClass = (base: string, k: Kept<unknown>, now: number) =>
  isStale(k, now, STALE_AFTER_MS) ? `${base} stale` : base;

/** A tile's stale marker, on its top edge: how old its figures are. */
function Age({ figures, now }: { figures: Kept<unknown>; now: number }) {
  const t = useT();
  if (!isStale(figures, now, STALE_AFTER_MS)) return null;
  return (
    <span className="age" data-testid="stale-age">
      {t.ago(now - figures.at)}
    </span>
  );
}

type Counted = { count: number }[];

interface BoardProps {
  /** seconds between refreshes */
  refresh: number;
  /** the clock (ms) */
  now: number;
}

/**
 * A count and the previous period's, once the server has answered both (the figures are as old
 * as its answers): counted on the incident columns where the page holds them, so that a live
 * incident counts as soon as it arrives, else the server's.
 */
function pairOf(
  current: { data?: Counted },
  previous: { data?: Counted },
  counted: { current: Int32Array; previous: Int32Array } | null,
) {
  if (!current.data || !previous.data) return undefined;
  if (counted) return { current: totalOf(counted.current), previous: totalOf(counted.previous) };
  const count = (rows: Counted) => rows.reduce((a, r) => a + r.count, 0);
  return { current: count(current.data), previous: count(previous.data) };
}

function KpiTiles({ refresh, now }: BoardProps) {
  const t = useT();
  const trpc = useTRPC();
  const reference = useReference();
  const today = useMemo(() => resolveWindow({ preset: 'today' }, reference), [reference]);
  const week = useMemo(() => resolveWindow({ preset: '7d' }, reference), [reference]);
  const opts = { refetchInterval: refresh * 1000 };
  const q = (r: { from: number; to: number }) =>
    trpc.incidents.summary.queryOptions({ ...isoRange(r), groupBy: 'category' });
  const todayQ = useQuery({ ...q(today), ...opts });
  const yesterdayQ = useQuery({ ...q(previousRange(today)), ...opts });
  const weekQ = useQuery({ ...q(week), ...opts });
  const weekPrevQ = useQuery({ ...q(previousRange(week)), ...opts });
  const todayCounted = useColumnCounts(today);
  const weekCounted = useColumnCounts(week);
  useReconcile(todayCounted && totalOf(todayCounted.current), todayQ.data, todayQ.dataUpdatedAt);
  useReconcile(weekCounted && totalOf(weekCounted.current), weekQ.data, weekQ.dataUpdatedAt);
  const day = useKept('today', pairOf(todayQ, yesterdayQ, todayCounted), [todayQ, yesterdayQ]);
  const days7 = useKept('week', pairOf(weekQ, weekPrevQ, weekCounted), [weekQ, weekPrevQ]);
  const trend = useFraudTrend(opts);
  const { last, previous } = trend.answers;
  const fraud = useKept(
    'fraud',
    last.data && previous.data ? { change: trend.change } : undefined,
    [last, previous],
  );
  const change = fraud.data?.change ?? null;
  const mayReadCameras = useMayCall('cameras.list');
  const camsQ = useQuery({
    ...trpc.cameras.list.queryOptions({}),
    ...opts,
    enabled: mayReadCameras,
  });
  const cameras = useKept(
    'cameras',
    camsQ.data && {
      all: camsQ.data.features.length,
      online: camsQ.data.features.filter(
        (f) => (f.properties as { status: string }).status === 'online',
      ).length,
    },
    [camsQ],
  );
  const cams = cameras.data;
  const mulinQ = useQuery({
    ...trpc.disputes.summary.queryOptions({ studio: 'mulin' }),
    ...opts,
  });
  const studio = useKept('mulin', mulinQ.data, [mulinQ]);
  const mulin = studio.data;
  const zh = t.lang === 'zh';
  const todayNow = day.data?.current;
  const yesterday = day.data?.previous;
  return (
    <>
      <div className={tileClass('tile', day, now)} data-testid="tile-today">
        <Age figures={day} now={now} />
        <div className="label">{zh ? '今日警情' : 'Incidents today'}</div>
        <div className="value">
          <span data-testid="tile-today-count">
            {todayNow === undefined ? '—' : t.num(todayNow)}
          </span>
          {todayNow !== undefined && yesterday !== undefined && (
            <Delta current={todayNow} previous={yesterday} />
          )}
        </div>
        <div className="sub">
          {zh ? `昨日 ${yesterday ?? '—'}` : `yesterday ${yesterday ?? '—'}`}
        </div>
      </div>
      <div className={tileClass('tile', days7, now)} data-testid="tile-week">
        <Age figures={days7} now={now} />
        <div className="label">{zh ? '近7天警情' : 'Last 7 days'}</div>
        <div className="value">
          {days7.data === undefined ? '—' : t.num(days7.data.current)}
          {days7.data && <Delta current={days7.data.current} previous={days7.data.previous} />}
        </div>
      </div>
      <div className={tileClass('tile', fraud, now)} data-testid="tile-fraud">
        <Age figures={fraud} now={now} />
        <div className="label">{zh ? '电信网络诈骗 同比' : 'Telecom fraud, year on year'}</div>
        <div
          className="value"
          style={{ color: change !== null && change < 0 ? '#a5d6a7' : '#ef9a9a' }}
        >
          {change === null ? '—' : `${change < 0 ? '▼' : '▲'}${Math.abs(change * 100).toFixed(2)}%`}
        </div>
      </div>
      <div className={tileClass('tile', cameras, now)} data-testid="tile-cameras">
        <Age figures={cameras} now={now} />
        <div className="label">{zh ? '摄像头在线率' : 'Cameras online'}</div>
        <div className="value">
          {cams ? `${((cams.online / cams.all) * 100).toFixed(1)}%` : '—'}
        </div>
        <div className="sub">
          {cams
            ? zh
              ? `共 ${t.num(cams.all)} 路，含补盲 654 路`
              : `${t.num(cams.all)} in all, 654 infill`
            : ''}
        </div>
      </div>
      <div className={tileClass('tile', studio, now)} data-testid="tile-mulin">
        <Age figures={studio} now={now} />
        <div className="label">{zh ? '廿里铺"睦邻"调解工作室' : 'Mulin mediation studio'}</div>
        <div className="value" style={{ fontSize: 56 }}>
          {mulin ? `${t.num(mulin.resolved)} / ${t.num(mulin.registered)}` : '—'}
        </div>
        <div className="sub">
          {zh ? '化解 / 登记（物业纠纷）' : 'resolved / registered (property)'}
        </div>
      </div>
    </>
  );
}

function Ranking({ refresh, now }: BoardProps) {
  const t = useT();
  const trpc = useTRPC();
  const reference = useReference();
  const r = resolveWindow({ preset: '30d' }, reference);
  const q = useQuery({
    ...trpc.incidents.summary.queryOptions({ ...isoRange(r), groupBy: 'community' }),
    refetchInterval: refresh * 1000,
  });
  const ranking = useKept('ranking', q.data, [q]);
  const rows = ranking.data?.slice(0, 8);
  const max = rows?.[0]?.count ?? 1;
  return (
    <div className={tileClass('tile rank', ranking, now)} data-testid="wall-ranking">
      <Age figures={ranking} now={now} />
      <h2>
        {t.ranking}（{t.preset('30d')}）
      </h2>
      <table>
        <tbody>
          {rows?.map((row, i) => (
            <tr key={row.key}>
              <td style={{ width: 40, color: '#9fb3d1' }} className="num">
                {i + 1}
              </td>
              <td>
                {row.name}
                <div className="bar" style={{ width: `${(row.count / max) * 100}%` }} />
              </td>
              <td className="n">{t.num(row.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** This month's red list (gold) and black list (black badges), side by side. */
function RedBlackBoard({ refresh, now }: BoardProps) {
  const t = useT();
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.rankings.communities.queryOptions({ period: 'month' }),
    refetchInterval: refresh * 1000,
  });
  const board = useKept('redblack', q.data, [q]);
  const r = board.data;
  const byId = new Map(r?.communities.map((c) => [c.communityId, c]));
  const column = (list: 'red' | 'black') => (
    <div className={`rb-col ${list}`} data-testid={`wall-${list}-list`}>
      <div className={`list-badge ${list}`}>{list === 'red' ? t.redList : t.blackList}</div>
      <table>
        <tbody>
          {r?.[list].map((id) => {
            const c = byId.get(id)!;
            return (
              <tr key={id}>
                <td className="num" style={{ width: 52 }}>
                  <span className={`rank-badge ${list}`}>{c.rank}</span>
                </td>
                <td>{c.name}</td>
                <td className="n">{c.score.toFixed(1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
  return (
    <div className={tileClass('tile rank', board, now)} data-testid="wall-redblack">
      <Age figures={board} now={now} />
      <h2>
        {t.tabRankings} · {t.period('month')} <span className="num">{r?.label ?? ''}</span>
      </h2>
      {!r && <div className="empty">{t.loading}</div>}
      {r && (
        <div className="rb">
          {column('red')}
          {column('black')}
        </div>
      )}
    </div>
  );
}

function LatestIncidents({ refresh, now }: BoardProps) {
  const t = useT();
  const trpc = useTRPC();
  const reference = useReference();
  // a display without the incident points is not sent single incidents
  const mayListIncidents = useMayCall('incidents.list');
  const q = useQuery({
    ...trpc.incidents.list.queryOptions({
      from: new Date(reference - 2 * DAY_MS).toISOString(),
      to: new Date(reference).toISOString(),
      limit: 20,
    }),
    refetchInterval: refresh * 1000,
    enabled: mayListIncidents,
  });
  const latest = useKept('latest', q.data, [q]);
  const list = latest.data;
  // what the stream has sent since, at once: the list's next answer only confirms it
  const live = useLive(useShallow((s) => ({ recent: s.recent, removed: s.removed })));
  const arrived = useLive((s) => s.arrived);
  const items = useMemo(
    () =>
      list || live.recent.length
        ? mergeLatest(list?.items ?? [], mayListIncidents ? live.recent : [], live.removed, 20)
        : [],
    [list, live, mayListIncidents],
  );
  const isNew = (i: { id: number }) => now - (arrived[i.id] ?? -Infinity) < HIGHLIGHT_MS;
  // those just in stand above the roll until they join it (the roll keeps one at least)
  const fresh = items.filter(isNew);
  const rolled = fresh.length < items.length ? items.filter((i) => !isNew(i)) : items;
  const row = (i: (typeof items)[number], k: string) => (
    <li key={k} data-id={i.id} className={isNew(i) ? 'new' : undefined}>
      <span className="t">{hms(Date.parse(i.time)).slice(0, 5)}</span>
      <span>
        <span
          className="swatch"
          style={{
            background: css(CATEGORY_COLOURS[i.category as IncidentCategory]),
            marginRight: 8,
            width: 14,
            height: 14,
          }}
        />
        {t.category(i.category as IncidentCategory)} · {t.subcategory(i.subcategory)}
        <span style={{ color: '#9fb3d1' }}> · {i.communityName}</span>
      </span>
    </li>
  );
  return (
    <div className={tileClass('tile list', latest, now)} data-testid="wall-latest">
      <Age figures={latest} now={now} />
      <h2>{t.latest}</h2>
      {items.length === 0 && <div className="empty">{list ? t.noData : t.loading}</div>}
      {/* incidents just in slide in above the roll and stand out for a moment */}
      <ol className="fresh" data-testid="wall-latest-new">
        {fresh.map((i) => row(i, `n${i.id}`))}
      </ol>
      {/* the list twice, scrolled by half its height: an endless roll */}
      <div className="roll-window">
        <ul
          className="roll"
          style={{ ['--roll-seconds' as string]: `${Math.max(20, rolled.length * 3)}s` }}
        >
          {rolled.map((i) => row(i, `a${i.id}`))}
          {rolled.map((i) => row(i, `b${i.id}`))}
        </ul>
      </div>
    </div>
  );
}
