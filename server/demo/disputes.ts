/**
 * Disputes (矛盾纠纷) graded by the four risk colours (四元四色): the 廿里铺 "睦邻" studio's
 * 2,465 property disputes, 1,163 of them resolved [V figures], and about 1,500 other
 * disputes across the district [G], most of them resolved.
 */
import { point } from '@turf/turf';
import { randomPointInArea } from '../../geo/randomPointInArea';
import type { DemoContext } from './context';
import { before, createTimeSampler, type TimeSampler } from './incidentTime';
import { createWeightedSampler, type Rng } from './random';
import { type Community, type Dispute } from '../dataset/types';
import { MEDIATION_CHANNELS, RISK_COLOURS } from '../../domain/vocabulary';
import { DAY_MS, HOUR_MS, windowDays } from './window';

export const MULIN_STUDIO = 'mulin';
export const MULIN_REGISTERED = 2465;
export const MULIN_RESOLVED = 1163;
const MULIN_TOWN = '廿里铺镇';
const DISTRICT_DISPUTES = 1500;

/** Other mediation studios [G]: code and the town they serve. */
const OTHER_STUDIOS: Readonly<Record<string, string>> = {
  小桥大街街道: 'hexie',
  朝阳街道: 'anxin',
  马坊街道: 'tongxin',
};

const KINDS = ['neighbour', 'family', 'property', 'labour', 'land', 'contract'];
const KIND_SHARES = [0.3, 0.2, 0.15, 0.12, 0.13, 0.1];
const RISK_SHARES = [0.03, 0.12, 0.45, 0.4];
const MULIN_RISK_SHARES = [0.01, 0.09, 0.5, 0.4];
const CHANNEL_SHARES = [0.55, 0.2, 0.13, 0.12];
const MULIN_CHANNEL_SHARES = [0.85, 0.1, 0.03, 0.02];

/** The studio's disputes, then the district-wide ones, all sorted by registration time. */
export function buildDisputes(ctx: DemoContext, rng: Rng): Dispute[] {
  const w = ctx.window;
  const days = windowDays(w);
  // registered in office hours, fewer at weekends; none after the moment of generation
  const registered = before(
    createTimeSampler(w, days, (day, _d, h) =>
      h >= 8 && h < 18 ? (day.weekday === 0 || day.weekday === 6 ? 0.3 : 1) : 0.02,
    ) as TimeSampler,
    w.until,
  );
  const communities = ctx.layout.communities;
  const townId = ctx.towns.find((t) => t.name === MULIN_TOWN)?.id;
  const risk = createWeightedSampler(RISK_SHARES);
  const channel = createWeightedSampler(CHANNEL_SHARES);
  const kind = createWeightedSampler(KIND_SHARES);

  // 睦邻: property disputes in 廿里铺, more in the new (synthetic) housing estates
  const mulinIn = createWeightedSampler(
    communities.map((c) => (c.townId === townId ? c.population * (c.synthetic ? 2.5 : 1) : 0)),
  );
  const mulinRisk = createWeightedSampler(MULIN_RISK_SHARES);
  const mulinChannel = createWeightedSampler(MULIN_CHANNEL_SHARES);
  const mulin = Array.from({ length: MULIN_REGISTERED }, (): Dispute => {
    const c = communities[mulinIn(rng)]!;
    return dispute(
      c,
      registered(rng),
      'property',
      RISK_COLOURS[mulinRisk(rng)]!,
      MEDIATION_CHANNELS[mulinChannel(rng)]!,
      MULIN_STUDIO,
      rng,
    );
  });
  resolveExactly(mulin, MULIN_RESOLVED, w.until, rng);

  const anywhere = createWeightedSampler(communities.map((c) => c.population));
  const others = Array.from({ length: DISTRICT_DISPUTES }, (): Dispute => {
    const c = communities[anywhere(rng)]!;
    const town = ctx.towns[c.townId - 1]!.name;
    const studio = OTHER_STUDIOS[town] && rng.chance(0.3) ? OTHER_STUDIOS[town]! : null;
    return dispute(
      c,
      registered(rng),
      KINDS[kind(rng)]!,
      RISK_COLOURS[risk(rng)]!,
      MEDIATION_CHANNELS[channel(rng)]!,
      studio,
      rng,
    );
  });
  const resolvedOthers = others.filter(() => rng.chance(0.88)).length;
  resolveExactly(others, resolvedOthers, w.until, rng);

  return [...mulin, ...others].sort((a, b) => a.registeredAt - b.registeredAt);
}

function dispute(
  c: Community,
  registeredAt: number,
  kind: string,
  risk: Dispute['risk'],
  channel: Dispute['channel'],
  studio: string | null,
  rng: Rng,
): Dispute {
  return {
    registeredAt,
    resolvedAt: null,
    kind,
    risk,
    channel,
    studio,
    communityId: c.id,
    geom: point(randomPointInArea(c.geom, rng.float)).geometry,
  };
}

/**
 * Marks exactly `count` disputes resolved, older ones more likely (weighted sampling without
 * replacement), each days to weeks after registration and before `end`.
 */
function resolveExactly(disputes: Dispute[], count: number, end: number, rng: Rng): void {
  const keys = disputes.flatMap((d, i) => {
    const ageDays = (end - d.registeredAt) / DAY_MS;
    // only disputes registered at least 2 days before the end can be resolved by then
    if (ageDays < 2) return [];
    const weight = Math.min(1, ageDays / 60) + 0.02;
    return [{ i, key: Math.log(1 - rng.float()) / weight }];
  });
  if (keys.length < count) throw new Error('resolveExactly: not enough old disputes');
  keys.sort((a, b) => b.key - a.key || a.i - b.i);
  for (const { i } of keys.slice(0, count)) {
    const d = disputes[i]!;
    // median about 12 days, from 1 day to 3 months
    let days = Math.min(90, Math.max(1, Math.exp(Math.log(12) + rng.normal() * 0.8)));
    if (d.registeredAt + days * DAY_MS >= end) {
      days = ((end - d.registeredAt) / DAY_MS) * rng.range(0.2, 0.9);
    }
    d.resolvedAt = d.registeredAt + Math.max(HOUR_MS, Math.floor(days * 86_400) * 1000);
  }
}
