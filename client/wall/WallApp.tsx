/**
 * The wall display: a 1920×1080 canvas scaled to the screen, read from across a room, with no
 * pointer. It rotates through prepared views, refreshes by itself, keeps the last picture when
 * the server goes away, and says how old its data is.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { layerAllows } from '../../domain/policy';
import type { IncidentCategory } from '../../domain/vocabulary';
import {
  useBasemap,
  useHealth,
  useIncidentColumns,
  useIncidentPointsAllowed,
  useReference,
} from '../data/hooks';
import { useFraudTrend } from '../data/kpis';
import { useTRPC } from '../data/trpc';
import { useT } from '../i18n';
import { MapView } from '../map/MapView';
import { useMapLayers } from '../map/useMapLayers';
import { Delta } from '../panels/Delta';
import { Legend } from '../panels/Legend';
import { isoRange } from '../state/timeWindow';
import { DAY_MS, previousRange, resolveWindow } from '../../domain/time';
import { useView } from '../state/viewStore';
import { CATEGORY_COLOURS, css } from '../theme';
import { hms, useClock, ymd } from './useClock';
import './wall.css';
import { allowedViews, wallLayers, wallSettings } from './wallViews';

const settings = wallSettings(typeof window === 'undefined' ? '' : window.location.search);

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
  useEffect(() => {
    document.body.dataset.ready = columns.data || !pointsAllowed ? 'true' : 'false';
  }, [columns.data, pointsAllowed]);
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
  // the legend reads the store: show this view's layers there
  const replace = useView((s) => s.replace);
  useEffect(() => {
    replace({ ...useView.getState(), layers: mapView.layers });
  }, [mapView, replace]);

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
                  ? `${t.staleSince} ${hms(lastOk)}`
                  : `${t.dataAsOf} ${hms(lastOk)}`}
            </div>
          </div>
        </div>
        <div className="col left">
          <KpiTiles refresh={settings.refresh} />
        </div>
        <div className="map-area">
          {basemap && (
            <MapView
              basemap={basemap}
              layers={layers}
              camera={v.camera}
              bounds={v.bounds}
              interactive={false}
              flyDuration={2}
              follow={follow}
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
          <Legend />
        </div>
        <div className="col right">
          {/* the board alternates with the map's views: incident ranking, then the red/black list */}
          {viewIndex % 2 === 0 ? (
            <Ranking refresh={settings.refresh} />
          ) : (
            <RedBlackBoard refresh={settings.refresh} />
          )}
          <LatestIncidents refresh={settings.refresh} />
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

function KpiTiles({ refresh }: { refresh: number }) {
  const t = useT();
  const trpc = useTRPC();
  const reference = useReference();
  const today = resolveWindow({ preset: 'today' }, reference);
  const week = resolveWindow({ preset: '7d' }, reference);
  const opts = { refetchInterval: refresh * 1000 };
  const count = (rows?: { count: number }[]) => rows?.reduce((a, r) => a + r.count, 0);
  const q = (r: { from: number; to: number }) =>
    trpc.incidents.summary.queryOptions({ ...isoRange(r), groupBy: 'category' });
  const todayNow = count(useQuery({ ...q(today), ...opts }).data);
  const yesterday = count(useQuery({ ...q(previousRange(today)), ...opts }).data);
  const weekNow = count(useQuery({ ...q(week), ...opts }).data);
  const weekPrev = count(useQuery({ ...q(previousRange(week)), ...opts }).data);
  const fraud = useFraudTrend();
  const mayReadCameras = useMayCall('cameras.list');
  const cams = useQuery({
    ...trpc.cameras.list.queryOptions({}),
    ...opts,
    enabled: mayReadCameras,
  }).data;
  const online = cams
    ? cams.features.filter((f) => (f.properties as { status: string }).status === 'online').length
    : undefined;
  const mulin = useQuery({
    ...trpc.disputes.summary.queryOptions({ studio: 'mulin' }),
    ...opts,
  }).data;
  const zh = t.lang === 'zh';
  return (
    <>
      <div className="tile" data-testid="tile-today">
        <div className="label">{zh ? '今日警情' : 'Incidents today'}</div>
        <div className="value">
          {todayNow === undefined ? '—' : t.num(todayNow)}
          {todayNow !== undefined && yesterday !== undefined && (
            <Delta current={todayNow} previous={yesterday} />
          )}
        </div>
        <div className="sub">
          {zh ? `昨日 ${yesterday ?? '—'}` : `yesterday ${yesterday ?? '—'}`}
        </div>
      </div>
      <div className="tile" data-testid="tile-week">
        <div className="label">{zh ? '近7天警情' : 'Last 7 days'}</div>
        <div className="value">
          {weekNow === undefined ? '—' : t.num(weekNow)}
          {weekNow !== undefined && weekPrev !== undefined && (
            <Delta current={weekNow} previous={weekPrev} />
          )}
        </div>
      </div>
      <div className="tile" data-testid="tile-fraud">
        <div className="label">{zh ? '电信网络诈骗 同比' : 'Telecom fraud, year on year'}</div>
        <div
          className="value"
          style={{ color: fraud.change !== null && fraud.change < 0 ? '#a5d6a7' : '#ef9a9a' }}
        >
          {fraud.change === null
            ? '—'
            : `${fraud.change < 0 ? '▼' : '▲'}${Math.abs(fraud.change * 100).toFixed(2)}%`}
        </div>
      </div>
      <div className="tile" data-testid="tile-cameras">
        <div className="label">{zh ? '摄像头在线率' : 'Cameras online'}</div>
        <div className="value">
          {cams && online !== undefined
            ? `${((online / cams.features.length) * 100).toFixed(1)}%`
            : '—'}
        </div>
        <div className="sub">
          {cams
            ? zh
              ? `共 ${t.num(cams.features.length)} 路，含补盲 654 路`
              : `${t.num(cams.features.length)} in all, 654 infill`
            : ''}
        </div>
      </div>
      <div className="tile" data-testid="tile-mulin">
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

function Ranking({ refresh }: { refresh: number }) {
  const t = useT();
  const trpc = useTRPC();
  const reference = useReference();
  const r = resolveWindow({ preset: '30d' }, reference);
  const rows = useQuery({
    ...trpc.incidents.summary.queryOptions({ ...isoRange(r), groupBy: 'community' }),
    refetchInterval: refresh * 1000,
  }).data?.slice(0, 8);
  const max = rows?.[0]?.count ?? 1;
  return (
    <div className="tile rank" data-testid="wall-ranking">
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
function RedBlackBoard({ refresh }: { refresh: number }) {
  const t = useT();
  const trpc = useTRPC();
  const r = useQuery({
    ...trpc.rankings.communities.queryOptions({ period: 'month' }),
    refetchInterval: refresh * 1000,
  }).data;
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
    <div className="tile rank" data-testid="wall-redblack">
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

function LatestIncidents({ refresh }: { refresh: number }) {
  const t = useT();
  const trpc = useTRPC();
  const reference = useReference();
  // a display without the incident points is not sent single incidents
  const mayListIncidents = useMayCall('incidents.list');
  const list = useQuery({
    ...trpc.incidents.list.queryOptions({
      from: new Date(reference - 2 * DAY_MS).toISOString(),
      to: new Date(reference).toISOString(),
      limit: 20,
    }),
    refetchInterval: refresh * 1000,
    enabled: mayListIncidents,
  }).data;
  const items = list?.items ?? [];
  const row = (i: (typeof items)[number], k: string) => (
    <li key={k}>
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
    <div className="tile list" data-testid="wall-latest">
      <h2>{t.latest}</h2>
      {items.length === 0 && <div className="empty">{list ? t.noData : t.loading}</div>}
      {/* the list twice, scrolled by half its height: an endless roll */}
      <div className="roll-window">
        <ul
          className="roll"
          style={{ ['--roll-seconds' as string]: `${Math.max(20, items.length * 3)}s` }}
        >
          {items.map((i) => row(i, `a${i.id}`))}
          {items.map((i) => row(i, `b${i.id}`))}
        </ul>
      </div>
    </div>
  );
}
