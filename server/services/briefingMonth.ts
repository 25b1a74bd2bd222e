/**
 * The monthly briefing: a briefing made for one calendar month from the figures the desk shows,
 * one slide each: the incidents against the previous month and the same month last year, the
 * red/black list, the communities whose incidents rose sharply, the hot spots, the three
 * protection circles and the Sharp Eyes camera infill. Each slide's view is set to that month,
 * with the layers and panel that show its figures; its notes carry the figures in Chinese, as
 * they are read out.
 */
import { HOTSPOT } from '../../domain/analysis';
import type { MapLayer } from '../../domain/layers';
import { DEFAULT_RANKING, type RankingConfig } from '../../domain/rankingScore';
import {
  addLocalMonths,
  localDate,
  localMidnight,
  periodBounds,
  type Range,
} from '../../domain/time';
import { CATEGORY_NAMES_ZH, type IncidentCategory } from '../../domain/vocabulary';
import { slides as slidesSchema, type Slide, type SlideView } from '../briefingInputs';
import type { Database } from '../db/database';
import { BadInput } from '../errors';
import { circleStats } from './circleStats';
import { infill } from './coverage';
import { district, type BBox } from './district';
import { gistar } from './gistar';
import { summary } from './incidents';
import { DEFAULT_REACH } from './reach';
import { rankings } from './rankings';
import { SPIKE_THRESHOLD, spikes } from './spikes';

/** Where the stored data begin and end (exclusive), as dataset/status.ts tells. */
export interface DataSpan {
  start?: string;
  end?: string;
}

/** The communities a slide names at most (largest rises, largest gains). */
const TOP = 5;

const int = (n: number) => n.toLocaleString('en-US');
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * A change in per cent with its sign, one decimal ("+3.1%", "-5.2%", "0.0%"); "—" when there
 * is nothing to compare with.
 */
export function changeText(current: number, base: number | null): string {
  if (base === null || base === 0) return '—';
  const v = Math.round(((current - base) / base) * 1000) / 10;
  if (v === 0) return '0.0%';
  return `${v > 0 ? '+' : ''}${v.toFixed(1)}%`;
}

/** 2026-11 → 2026年11月 */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** The month's bounds, the month before and the same month a year earlier (local time). */
export function monthRanges(month: string) {
  const at = localMidnight(`${month}-01`);
  const b = periodBounds('month', new Date(at));
  const lastYear = periodBounds('month', new Date(addLocalMonths(at, -12)));
  const range = (from: Date, to: Date): Range => ({ from: from.getTime(), to: to.getTime() });
  return {
    month: range(b.from, b.to),
    previous: range(b.previousFrom, b.from),
    lastYear: range(lastYear.from, lastYear.to),
  };
}

/**
 * A camera that shows the district's bounding box on a desk's map (about 1,200 × 800 pixels
 * beside the panel): the box's centre, at the zoom where its longer side fits.
 */
export function cameraOver(bbox: BBox): SlideView['camera'] {
  const [w, s, e, n] = bbox;
  const lat = (s + n) / 2;
  const cos = Math.cos((lat * Math.PI) / 180);
  // a zoom-z world is 512·2^z pixels around; in latitude the Mercator scale is about 1/cos
  const zLon = Math.log2((360 * (1200 / 512)) / Math.max(e - w, 1e-6));
  const zLat = Math.log2((360 * cos * (800 / 512)) / Math.max(n - s, 1e-6));
  const zoom = Math.min(16, Math.max(3, Math.min(zLon, zLat) - 0.1));
  const r = (v: number, d: number) => Number(v.toFixed(d));
  return { lon: r((w + e) / 2, 5), lat: r(lat, 5), zoom: r(zoom, 2) };
}

/** How many incidents a window holds, in total and per category (incidents.summary). */
async function counted(db: Database, r: Range) {
  const rows = await summary(db, {
    from: new Date(r.from),
    to: new Date(r.to),
    groupBy: 'category',
  });
  return { total: rows.reduce((a, x) => a + x.count, 0), rows };
}

/**
 * The slides of a month's briefing and its title. Refuses a month outside the stored data (no
 * figures to read out); a month the data end within is reported to date, and says so.
 */
export async function monthBriefing(
  db: Database,
  month: string,
  opts: { span: DataSpan; ranking?: RankingConfig },
): Promise<{ title: string; slides: Slide[] }> {
  const r = monthRanges(month);
  const label = monthLabel(month);
  const start = opts.span.start ? Date.parse(opts.span.start) : null;
  const end = opts.span.end ? Date.parse(opts.span.end) : null;
  if (start === null || end === null)
    throw new BadInput('month', 'no incidents are stored: there is nothing to brief on');
  if (r.month.from >= end || r.month.to <= start)
    throw new BadInput(
      'month',
      `${month} is outside the stored incidents (${localDate(start)} to ${localDate(end - 1)})`,
    );
  const covers = (x: Range) => start <= x.from;
  const window = { from: `${month}-01`, to: localDate(r.month.to) };
  const d = await district(db);
  const base = {
    camera: cameraOver(d.bbox),
    window,
    categories: [],
    communityId: null,
    incidentId: null,
    rankPeriod: 'month' as const,
    rankToDate: false,
    basemap: 'configured' as const,
  };
  const view = (panel: SlideView['panel'], on: MapLayer[]): SlideView => ({
    ...base,
    panel,
    // each at its own default opacity
    layers: Object.fromEntries(on.map((l) => [l, { on: true }])),
  });
  const partial = end < r.month.to ? `（数据截至${localDate(end - 1)}）` : '';
  const f = { from: new Date(r.month.from), to: new Date(r.month.to) };

  // the incidents: this month, the month before, the same month last year
  const now = await counted(db, r.month);
  const prev = covers(r.previous) ? (await counted(db, r.previous)).total : null;
  const year = covers(r.lastYear) ? (await counted(db, r.lastYear)).total : null;
  const byCategory = now.rows
    .map((x) => `${CATEGORY_NAMES_ZH[x.key as IncidentCategory] ?? x.key} ${int(x.count)} 起`)
    .join('，');
  const kpi: Slide = {
    title: `${label}警情概况`,
    notes:
      `${label} 警情 ${int(now.total)} 起，环比 ${changeText(now.total, prev)}，同比 ${changeText(now.total, year)}${partial}。` +
      (byCategory ? `\n按类别：${byCategory}。` : '') +
      (prev === null ? '\n上月无数据，环比不可比。' : '') +
      (year === null ? '\n去年同月无数据，同比不可比。' : ''),
    view: view('kpi', ['heat', 'communities', 'towns']),
    annotations: [],
    comparison: { against: 'previous', mode: 'split' },
  };

  // the red/black list of the month
  const rank = await rankings(
    db,
    { period: 'month', at: f.from },
    opts.ranking ?? DEFAULT_RANKING,
    new Date(end),
    new Date(start),
  );
  const byId = new Map(rank.communities.map((c) => [c.communityId, c]));
  const named = (ids: number[]) =>
    ids
      .map((id) => byId.get(id)!)
      .map((c) => `${c.rank}. ${c.name}（${c.townName}，${c.score.toFixed(1)} 分）`)
      .join('；');
  const list: Slide = {
    title: `${label}红黑榜`,
    notes: rank.red.length
      ? `红榜：${named(rank.red)}。\n黑榜：${named(rank.black)}。`
      : '社区太少，不排红黑榜。',
    view: { ...view('rankings', ['communities', 'towns']) },
    annotations: [],
    comparison: null,
  };

  // communities whose incidents rose (or fell) sharply against the weeks before
  const sp = await spikes(db, f);
  const up = sp.filter((x) => x.flag === 'up');
  const down = sp.filter((x) => x.flag === 'down');
  const rises = up
    .slice(0, TOP)
    .map((x) => `${x.name} ${int(x.current)} 起（此前 ${int(x.previous)} 起，z=${x.z.toFixed(1)}）`)
    .join('；');
  const spikeSlide: Slide = {
    title: `${label}警情突增社区`,
    notes:
      (up.length
        ? `警情显著上升的社区 ${up.length} 个（|z|≥${SPIKE_THRESHOLD}，与此前同样长的时段相比）：${rises}。`
        : `没有警情显著上升的社区（|z|≥${SPIKE_THRESHOLD}）。`) +
      (down.length ? `\n显著下降的社区 ${down.length} 个。` : ''),
    view: view('analysis', ['heat', 'communities']),
    annotations: [],
    comparison: { against: 'previous', mode: 'difference' },
  };

  // hot spots (Getis-Ord Gi*, the map's own setting)
  const hs = await gistar(db, { ...f, ...HOTSPOT });
  const c = hs.byClass;
  const hot = c.hot99 + c.hot95 + c.hot90;
  const cold = c.cold99 + c.cold95 + c.cold90;
  const hotspotSlide: Slide = {
    title: `${label}警情热点`,
    notes:
      `热点网格 ${int(hot)} 个（99% 置信 ${int(c.hot99)} 个，95% ${int(c.hot95)} 个，90% ${int(c.hot90)} 个），冷点网格 ${int(cold)} 个；` +
      `共分析 ${int(hs.cells)} 个 ${HOTSPOT.cellMeters} 米网格，距离带 ${HOTSPOT.bandMeters} 米。`,
    view: view('analysis', ['hotspots', 'communities']),
    annotations: [],
    comparison: null,
  };

  // the three protection circles
  const rings = await circleStats(db, f, DEFAULT_REACH);
  const circles: Slide = {
    title: `${label}三道防控圈`,
    notes: rings.length
      ? rings
          .map(
            (x) =>
              `${x.name}：警情 ${int(x.incidents)} 起，每平方公里 ${x.perKm2.toFixed(2)} 起，视频覆盖 ${pct(x.cameraCoverage)}，3分钟可达 ${pct(x.reach3Share)}。`,
          )
          .join('\n')
      : '未设防控圈。',
    view: view('analysis', ['circles', 'heat']),
    annotations: [],
    comparison: null,
  };

  // the Sharp Eyes infill: coverage with and without it, by area
  const cov = await infill(db);
  const area = cov.reduce((a, x) => a + x.areaM2, 0);
  const weighted = (k: 'ratio' | 'ratioWithout') =>
    area > 0 ? cov.reduce((a, x) => a + x[k] * x.areaM2, 0) / area : 0;
  const gains = [...cov]
    .sort((a, b) => b.ratio - b.ratioWithout - (a.ratio - a.ratioWithout))
    .filter((x) => x.ratio > x.ratioWithout)
    .slice(0, TOP)
    .map((x) => `${x.name} ${pct(x.ratioWithout)}→${pct(x.ratio)}`)
    .join('；');
  const infillSlide: Slide = {
    title: `${label}视频补点成效`,
    notes:
      `全区视频覆盖率 ${pct(weighted('ratio'))}，不计雪亮工程补点为 ${pct(weighted('ratioWithout'))}。` +
      (gains ? `\n提升最多的社区：${gains}。` : ''),
    view: view('analysis', ['cameras', 'infill', 'communities']),
    annotations: [],
    comparison: null,
  };

  const slides = [kpi, list, spikeSlide, hotspotSlide, circles, infillSlide];
  // the template's slides are held to the same schema as anyone's
  return { title: `${label}治安形势通报`, slides: slidesSchema.parse(slides) };
}
