import { booleanPointInPolygon } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { generateDemo } from '../../server/demo/generate';
import { NIGHT_MARKET, PERSISTENT_HOT_SPOTS } from '../../server/demo/places';
import { type DemoData } from '../../server/demo/types';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../domain/vocabulary';
import { ANCHOR, localDate, localHour, localWeekday } from './demoTestUtils';

const DAY = 86_400_000;
let d: DemoData;
let ms = 0;
beforeAll(() => {
  const t0 = performance.now();
  d = generateDemo({ anchor: ANCHOR });
  ms = performance.now() - t0;
});

/** Indexes of the incidents matching a predicate. */
function where(pred: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.incidents.count; i++) if (pred(i)) out.push(i);
  return out;
}
const cat = (name: string) => INCIDENT_CATEGORIES.indexOf(name as never);
const sub = (code: string) => d.incidents.subcategories.indexOf(code);

describe('incidents', () => {
  it('are about 140,000 columnar rows, generated in a few seconds', () => {
    const inc = d.incidents;
    expect(inc.count).toBe(140_000);
    for (const col of [inc.lon, inc.lat, inc.time, inc.category, inc.subcategory, inc.status]) {
      expect(col).toHaveLength(inc.count);
    }
    expect(inc.communityId).toBeInstanceOf(Int16Array);
    expect(ms).toBeLessThan(8_000);
  });

  it('cover [start, end): 24 months to 00:00 Asia/Shanghai after the anchor, sorted', () => {
    expect(d.coverage.end).toBe(Date.parse('2024-06-15T00:00:00+08:00'));
    expect(d.coverage.start).toBe(Date.parse('2022-06-15T00:00:00+08:00'));
    const t = d.incidents.time;
    let outside = 0;
    let unsorted = 0;
    for (let i = 0; i < t.length; i++) {
      if (!(t[i]! >= d.coverage.start && t[i]! < d.coverage.end)) outside++;
      if (i > 0 && t[i]! < t[i - 1]!) unsorted++;
    }
    expect(outside).toBe(0);
    expect(unsorted).toBe(0);
    expect(localDate(t[0]!)).toBe('2022-06-15');
    expect(localDate(t[t.length - 1]!)).toBe('2024-06-14');
  });

  it('are about 70,000 a year', () => {
    const mid = Date.parse('2023-06-15T00:00:00+08:00');
    const first = where((i) => d.incidents.time[i]! < mid).length;
    const second = d.incidents.count - first;
    for (const n of [first, second]) expect(Math.abs(n - 70_000)).toBeLessThan(3_500);
  });

  it('follow the category mix within a point', () => {
    const shares = {
      criminal: 0.08,
      public_order: 0.12,
      traffic: 0.19,
      dispute: 0.13,
      assistance: 0.4,
      fire: 0.007,
      report: 0.003,
      other: 0.07,
    };
    for (const [name, share] of Object.entries(shares)) {
      const n = where((i) => d.incidents.category[i] === cat(name)).length;
      expect(Math.abs(n / d.incidents.count - share)).toBeLessThan(0.01);
    }
  });

  it('have the subcategories, theft ~60% and fraud ~30% of criminal cases', () => {
    for (const code of ['theft', 'robbery', 'snatching', 'fraud'])
      expect(sub(code)).toBeGreaterThanOrEqual(0);
    const criminal = where((i) => d.incidents.category[i] === cat('criminal'));
    const share = (code: string) =>
      criminal.filter((i) => d.incidents.subcategory[i] === sub(code)).length / criminal.length;
    expect(Math.abs(share('theft') - 0.6)).toBeLessThan(0.03);
    expect(Math.abs(share('fraud') - 0.3)).toBeLessThan(0.03);
    expect(share('robbery') + share('snatching')).toBeGreaterThan(0.01);
    // every subcategory belongs to one category
    const owners = new Map<number, Set<number>>();
    for (let i = 0; i < d.incidents.count; i++) {
      const s = d.incidents.subcategory[i]!;
      owners.set(s, (owners.get(s) ?? new Set()).add(d.incidents.category[i]!));
    }
    for (const cats of owners.values()) expect(cats.size).toBe(1);
    expect(owners.size).toBe(d.incidents.subcategories.length);
  });

  it('show telecom fraud down 35.31% year on year', () => {
    const mid = d.coverage.end - 366 * DAY; // end − 12 months for this anchor (2023-06-15 00:00 +08)
    expect(mid).toBe(Date.parse('2023-06-15T00:00:00+08:00'));
    const fraud = where((i) => d.incidents.subcategory[i] === sub('fraud'));
    const prev = fraud.filter((i) => d.incidents.time[i]! < mid).length;
    const last = fraud.length - prev;
    expect(Math.abs((prev - last) / prev - 0.3531)).toBeLessThan(0.005);
  });

  it('are mostly closed; only recent ones are open or dispatched', () => {
    const closed = INCIDENT_STATUSES.indexOf('closed');
    const notClosed = where((i) => d.incidents.status[i] !== closed);
    expect(notClosed.length).toBeGreaterThan(0);
    expect(notClosed.length / d.incidents.count).toBeLessThan(0.01);
    for (const i of notClosed) expect(d.coverage.end - d.incidents.time[i]!).toBeLessThan(3 * DAY);
  });

  it('lie in the community whose polygon contains them (sample)', () => {
    const byId = new Map(d.communities.map((c) => [c.id, c]));
    for (let i = 0; i < d.incidents.count; i += 67) {
      const p = [d.incidents.lon[i]!, d.incidents.lat[i]!];
      const c = byId.get(d.incidents.communityId[i]!);
      expect(c).toBeDefined();
      expect(booleanPointInPolygon(p, c!.geom)).toBe(true);
      expect(booleanPointInPolygon(p, d.district.geom)).toBe(true);
    }
  });

  it('concentrate in the urban towns and their 社区', () => {
    const urbanTownIds = new Set([1, 2, 3, 4]);
    const townOf = new Map(d.communities.map((c) => [c.id, c.townId]));
    const urban = where((i) => urbanTownIds.has(townOf.get(d.incidents.communityId[i]!)!)).length;
    expect(urban / d.incidents.count).toBeGreaterThan(0.6);
    const counts = new Map<number, number>();
    for (const id of d.incidents.communityId) counts.set(id, (counts.get(id) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const topCommunities = top.filter(([id]) => d.communities[id - 1]!.kind === 'community');
    expect(topCommunities.length).toBeGreaterThanOrEqual(8);
  });

  it('have a persistent hot spot at the railway station', () => {
    const near = (c: number[], r: number) =>
      where((i) => approxDistanceMeters([d.incidents.lon[i]!, d.incidents.lat[i]!], c) < r).length;
    const station = PERSISTENT_HOT_SPOTS[0]!.centre;
    // density within 300 m is far above the district average (140,000 / 129 km²)
    const perKm2 = near(station, 300) / (Math.PI * 0.09);
    expect(perKm2).toBeGreaterThan(5 * (d.incidents.count / 129));
  });

  it('have emerging hot spots that rise over the last months', () => {
    const community = d.communities.find((c) => c.name === '生物园新苑社区')!;
    const count = (from: number, to: number) =>
      where(
        (i) =>
          d.incidents.communityId[i] === community.id &&
          d.incidents.time[i]! >= d.coverage.end - from * DAY &&
          d.incidents.time[i]! < d.coverage.end - to * DAY,
      ).length;
    const last90 = count(90, 0);
    const before = count(450, 360);
    expect(last90).toBeGreaterThan(3 * before);
    expect(count(90, 0)).toBeGreaterThan(count(180, 90));
  });

  it('peak at the 豹街 night market in the evenings from May to October, once opened', () => {
    const street = NIGHT_MARKET.line;
    const nearStreet = (i: number) =>
      Math.min(
        ...street.map((p) => approxDistanceMeters([d.incidents.lon[i]!, d.incidents.lat[i]!], p)),
      ) < 450;
    const evening = (i: number) => {
      const h = localHour(d.incidents.time[i]!);
      return h >= 18 || h < 2;
    };
    const inRange = (i: number, from: string, to: string) => {
      const day = localDate(d.incidents.time[i]! - 2 * 3_600_000); // evenings run past midnight
      return day >= from && day <= to;
    };
    const perNight = (from: string, to: string, nights: number) =>
      where((i) => inRange(i, from, to) && evening(i) && nearStreet(i)).length / nights;
    const opened = perNight('2024-05-01', '2024-06-13', 44);
    const yearBefore = perNight('2023-05-01', '2023-06-13', 44);
    const winter = perNight('2023-11-01', '2024-03-31', 152);
    expect(opened).toBeGreaterThan(3 * yearBefore);
    expect(opened).toBeGreaterThan(3 * winter);
  });

  it('follow a daily rhythm: quiet 3–6 h, busy late morning and evening', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const t of d.incidents.time) byHour[localHour(t)]!++;
    const avg = (hs: number[]) => hs.reduce((s, h) => s + byHour[h]!, 0) / hs.length;
    expect(avg([3, 4, 5])).toBeLessThan(0.35 * avg([10, 11]));
    expect(avg([3, 4, 5])).toBeLessThan(0.35 * avg([19, 20]));
  });

  it('put traffic at rush hours and public order on weekend evenings', () => {
    const traffic = new Array<number>(24).fill(0);
    where((i) => d.incidents.category[i] === cat('traffic')).forEach(
      (i) => traffic[localHour(d.incidents.time[i]!)]!++,
    );
    expect(traffic[8]!).toBeGreaterThan(1.4 * traffic[13]!);
    expect(traffic[18]!).toBeGreaterThan(1.4 * traffic[13]!);
    const order = where(
      (i) =>
        d.incidents.category[i] === cat('public_order') && localHour(d.incidents.time[i]!) >= 20,
    );
    const fridaySaturday =
      order.filter((i) => [5, 6].includes(localWeekday(d.incidents.time[i]!))).length / 2;
    const otherDays =
      order.filter((i) => ![5, 6].includes(localWeekday(d.incidents.time[i]!))).length / 5;
    expect(fridaySaturday).toBeGreaterThan(1.3 * otherDays);
  });
});
