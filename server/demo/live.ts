/**
 * The live demo: what a 110 dispatch feed would send, minute by minute, after the generated
 * history ends. Pure: the schedule of what happens when, from a seed and the clock; the runner
 * (services/liveDemo.ts) sends it through the same ingest path a feed uses.
 *
 * Time is cut into slots (a minute at DEMO_LIVE_RATE 1, shorter when sped up). The calls of a
 * slot are drawn from their own random stream, named by the seed and the slot's start, so any
 * slot can be drawn again, in any order, and gives the same calls: a restarted simulator sends
 * the same records under the same sourceIds, and the feed's idempotency makes them `unchanged`.
 *
 * Calls follow the generator's category mix, its daily, weekly and seasonal rhythms (each kind
 * of call normalised so that a year averages to its share of 8 calls an hour) and its places;
 * most calls then move through dispatched → on_scene → closed over the following minutes, a few
 * are cancelled. DEMO_LIVE_RATE multiplies the calls an hour and divides those minutes.
 */
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import { formatLocal, HOUR_MS, UTC_OFFSET_HOURS } from '../../domain/time';
import type { IngestRecord } from '../../domain/ingest';
import { CATEGORY_SHARES, SUBCATEGORY_SHARES } from './incidentMix';
import { createSpaceModel, type SpaceModel, type SpatialSource } from './incidentSpace';
import { profileWeight, type TimeProfile } from './incidentTime';
import {
  emergingHotSpots,
  nightMarketEvening,
  SOURCE_MIX,
  SOURCES,
  timeProfile,
} from './incidents';
import { NIGHT_MARKET } from './places';
import { createRng, type Rng } from './random';
import type { CommunityLayout } from './regions';
import type { WindowDay } from './window';

/** Calls an hour, averaged over a year, at DEMO_LIVE_RATE 1. */
export const LIVE_CALLS_PER_HOUR = 8;
/** The source the simulated feed sends as (an integration account's username would go here). */
export const LIVE_SOURCE = 'demo-110';
/** A slot's length at rate 1; shorter in proportion when sped up, never under a second. */
const SLOT_MS = 60_000;
const MIN_SLOT_MS = 1_000;
const MINUTE = 60_000;

export type LiveStatus = 'open' | 'dispatched' | 'on_scene' | 'closed' | 'cancelled';

/** A status a call takes, and when. */
export interface LiveStep {
  at: number;
  status: LiveStatus;
}

/** One simulated call: its record's fields and the steps it goes through (the first: open). */
export interface LiveCall {
  sourceId: string;
  /** the call's time (epoch ms): its first step's instant */
  time: number;
  category: IncidentCategory;
  subcategory: string;
  lon: number;
  lat: number;
  steps: LiveStep[];
}

/** What the simulator needs to draw calls: the seed, the speed-up and the places. */
export interface LiveModel {
  seed: string;
  rate: number;
  slotMs: number;
  /** the latest a step can follow its call */
  lifetimeMs: number;
  space: SpaceModel;
}

/** One (category, subcategory) kind of call with its share of all calls and its rhythm. */
interface Kind {
  category: IncidentCategory;
  subcategory: string;
  share: number;
  profile: TimeProfile;
}

const KINDS: readonly Kind[] = INCIDENT_CATEGORIES.flatMap((category) => {
  const subs = Object.entries(SUBCATEGORY_SHARES[category]);
  const sum = subs.reduce((s, [, x]) => s + x, 0);
  return subs.map(([subcategory, x]) => ({
    category,
    subcategory,
    share: (CATEGORY_SHARES[category] * x) / sum,
    profile: timeProfile({ category, subcategory }),
  }));
});

/** Local calendar facts of an instant (Asia/Shanghai is UTC+8 all year). */
function localDay(t: number): { day: WindowDay; hour: number } {
  const local = new Date(t + UTC_OFFSET_HOURS * HOUR_MS);
  return {
    day: {
      start: t,
      month: local.getUTCMonth() + 1,
      weekday: local.getUTCDay(),
      date: local.toISOString().slice(0, 10),
    },
    hour: local.getUTCHours(),
  };
}

/** Each rhythm's mean weight over a year's months, weekdays and hours: normalises it to 1. */
const PROFILE_MEAN: ReadonlyMap<TimeProfile, number> = new Map(
  [...new Set(KINDS.map((k) => k.profile))].map((p) => {
    let sum = 0;
    for (let month = 1; month <= 12; month++)
      for (let weekday = 0; weekday < 7; weekday++)
        for (let hour = 0; hour < 24; hour++)
          sum += profileWeight(p, { start: 0, month, weekday, date: '' }, hour);
    return [p, sum / (12 * 7 * 24)];
  }),
);

/** Expected calls per kind per hour at an instant, at rate 1 (KINDS order). */
function kindRates(t: number): number[] {
  const { day, hour } = localDay(t);
  return KINDS.map(
    (k) =>
      (LIVE_CALLS_PER_HOUR * k.share * profileWeight(k.profile, day, hour)) /
      PROFILE_MEAN.get(k.profile)!,
  );
}

/** Expected calls an hour at an instant (its local hour's rate), rate 1. */
export function expectedPerHour(t: number): number {
  return kindRates(t).reduce((s, x) => s + x, 0);
}

/**
 * The simulator's model for a seed: the places of the generator's layout for that seed (the
 * same communities as the stored demo data). `rate` ≥ 1 speeds the demo up.
 */
export function createLiveModel(seed: string, layout: CommunityLayout, rate = 1): LiveModel {
  if (!(rate >= 1) || !Number.isFinite(rate))
    throw new Error(`DEMO_LIVE_RATE must be a number of at least 1, got ${rate}`);
  return {
    seed,
    rate,
    slotMs: Math.max(MIN_SLOT_MS, Math.round(SLOT_MS / rate)),
    lifetimeMs: Math.ceil(LIFETIME_MS / rate),
    space: createSpaceModel(layout, emergingHotSpots(layout), createRng(seed, 'live:places')),
  };
}

/** The start of the slot holding `t`. */
export function slotOf(model: LiveModel, t: number): number {
  return Math.floor(t / model.slotMs) * model.slotMs;
}

/** A Poisson draw with mean `mean` (inversion: the means here are small). */
function poisson(mean: number, rng: Rng): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = rng.float();
  while (u > cdf && k < 1000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** Where a call of a category happens at an instant: the generator's mix of places. */
function placeSource(category: IncidentCategory, t: number, rng: Rng): SpatialSource {
  const { day, hour } = localDay(t);
  const yesterday = localDay(t - 24 * HOUR_MS).day;
  const market =
    (hour >= NIGHT_MARKET.fromHour && nightMarketEvening(day)) ||
    (hour < NIGHT_MARKET.toHour && nightMarketEvening(yesterday));
  const shares = [...SOURCE_MIX[category]];
  const night = SOURCES.indexOf('night_market');
  if (!market) {
    shares[0]! += shares[night]!;
    shares[night] = 0;
  }
  let u = rng.float() * shares.reduce((s, x) => s + x, 0);
  for (let i = 0; i < shares.length; i++) if ((u -= shares[i]!) < 0) return SOURCES[i]!;
  return 'urban';
}

/** The latest step after its call, at rate 1 (cancelled by 10 min, closed by 95 min). */
const LIFETIME_MS = 95 * MINUTE;

/** What happens to a call after it comes in, at rate 1: instants and statuses. */
function progress(time: number, rate: number, rng: Rng): LiveStep[] {
  const steps: LiveStep[] = [{ at: time, status: 'open' }];
  const after = (fromMin: number, toMin: number) =>
    Math.round((rng.range(fromMin, toMin) * MINUTE) / rate);
  if (rng.chance(0.05)) {
    steps.push({ at: time + after(1, 10), status: 'cancelled' });
    return steps;
  }
  const dispatched = time + after(1, 5);
  steps.push({ at: dispatched, status: 'dispatched' });
  let last = dispatched;
  // most reach the scene; a few are settled by the dispatched unit's call
  if (rng.chance(0.85)) {
    last += after(3, 15);
    steps.push({ at: last, status: 'on_scene' });
  }
  steps.push({ at: last + after(10, 75), status: 'closed' });
  return steps;
}

/** The sourceId of the n-th call (from 1) of the slot starting at `slot`. */
function sourceIdOf(model: LiveModel, slot: number, n: number): string {
  const prefix = model.rate === 1 ? 'SIM' : `SIM-R${model.rate}`;
  return `${prefix}-${formatLocal(slot, 'yyyyMMdd-HHmmss')}-${String(n).padStart(2, '0')}`;
}

/** The calls of the slot starting at `slot`, in time order: the same for the same seed and slot. */
export function slotCalls(model: LiveModel, slot: number): LiveCall[] {
  const rng = createRng(model.seed, `live:${model.slotMs}:${slot}`);
  const rates = kindRates(slot);
  const total = rates.reduce((s, x) => s + x, 0);
  const count = poisson((total * model.rate * model.slotMs) / HOUR_MS, rng);
  const times = Array.from(
    { length: count },
    () => slot + Math.floor((rng.float() * model.slotMs) / 1000) * 1000,
  ).sort((a, b) => a - b);
  return times.map((time, i) => {
    let u = rng.float() * total;
    let k = 0;
    while (k < KINDS.length - 1 && (u -= rates[k]!) >= 0) k++;
    const kind = KINDS[k]!;
    const source =
      kind.subcategory === 'fraud' ? 'residential' : placeSource(kind.category, time, rng);
    const p = model.space.sample(source, rng);
    return {
      sourceId: sourceIdOf(model, slot, i + 1),
      time,
      category: kind.category,
      subcategory: kind.subcategory,
      lon: p.lon,
      lat: p.lat,
      steps: progress(time, model.rate, rng),
    };
  });
}

/** The calls of every slot that starts in [from, to), in time order. */
export function callsBetween(model: LiveModel, from: number, to: number): LiveCall[] {
  const out: LiveCall[] = [];
  for (let s = slotOf(model, from); s < to; s += model.slotMs)
    for (const c of slotCalls(model, s)) if (c.time >= from && c.time < to) out.push(c);
  return out;
}

/** A call's record as a feed sends it, with the status it has at `step`. */
export function liveRecord(call: LiveCall, step: LiveStep): IngestRecord {
  return {
    sourceId: call.sourceId,
    time: new Date(call.time).toISOString(),
    category: call.category,
    subcategory: call.subcategory,
    status: step.status,
    lon: call.lon,
    lat: call.lat,
  };
}

/**
 * The records to send for what happened in [from, to): for each call with a step in it, one
 * record with the latest such step (a call seen late arrives at its current status, not
 * through each earlier one), in the order of those steps. Calls that came in before `since`
 * are left alone (a restarted simulator does not back-fill further than that).
 */
export function recordsBetween(
  model: LiveModel,
  from: number,
  to: number,
  since = -Infinity,
): IngestRecord[] {
  const latest: { at: number; record: IngestRecord }[] = [];
  const first = Math.max(since, from - model.lifetimeMs);
  for (const call of callsBetween(model, first, to)) {
    let step: LiveStep | undefined;
    for (const s of call.steps) if (s.at >= from && s.at < to) step = s;
    if (step) latest.push({ at: step.at, record: liveRecord(call, step) });
  }
  return latest.sort((a, b) => a.at - b.at).map((x) => x.record);
}
