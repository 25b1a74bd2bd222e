/**
 * Bounded work per request, over real HTTP: inputs whose cost is too high are refused before any
 * work, naming the limit; heavy computations run in the compute pool with a deadline and a heap
 * limit, so that neither a huge geometry nor a long analysis can kill or freeze the server; the
 * caches stay bounded; and a role without camera positions cannot probe coverage at many radii.
 */
import type { TRPCClient } from '@trpc/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  compute,
  computeOptions,
  configureCompute,
  DEFAULT_COMPUTE,
} from '../../server/compute/pool';
import { DomainError, TooLarge } from '../../server/errors';
import type { AppRouter } from '../../server/router';
import { MAX_DRAFT_VERTICES } from '../../server/routers/plan';
import { COVERAGE_CACHE_LIMITS, coverageCacheStats } from '../../server/services/coverage';
import { gistarWork, MAX_GISTAR_WORK } from '../../server/services/gistar';
import { trpcError } from '../../server/trpc';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
let analyst: TRPCClient<AppRouter>;
let planner: TRPCClient<AppRouter>;
beforeAll(async () => {
  s = await startTestServer();
  analyst = (await s.login('analyst')).client;
  planner = (await s.login('planner')).client;
});
afterAll(async () => {
  await configureCompute(DEFAULT_COMPUTE);
  await s?.close();
});
afterEach(async () => {
  if (JSON.stringify(computeOptions()) !== JSON.stringify(DEFAULT_COMPUTE))
    await configureCompute(DEFAULT_COMPUTE);
});

const LAST30 = { from: '2026-06-01', to: '2026-07-01' };

/**
 * A star polygon of n (odd) vertices around a point of the district: every edge crosses many
 * others. The closing position makes n + 1 positions.
 */
function star(n: number) {
  const ring: [number, number][] = [];
  // n odd: n and (n − 1) / 2 have no common factor, so every vertex is visited once
  const step = Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * ((i * step) % n)) / n;
    ring.push([
      +(101.77 + 0.005 * Math.cos(a)).toFixed(6),
      +(36.65 + 0.004 * Math.sin(a)).toFixed(6),
    ]);
  }
  ring.push(ring[0]!);
  return { type: 'Polygon' as const, coordinates: [ring] };
}

describe('geometry checks', () => {
  it('refuses a 10,000-position self-crossing star in plan.evaluate and zones.create, and lives on', async () => {
    const geometry = star(9_999);
    // the draft's size is that of the reported case (over 200 KB)
    expect(JSON.stringify(geometry).length).toBeGreaterThan(200_000);
    const heapBefore = process.memoryUsage().heapUsed;
    await expect(analyst.plan.evaluate.query({ zones: [{ geometry }] })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(
        /^zones\.0\.geometry: polygon 0 ring 0 edge \d+ and .*: cross/,
      ),
    });
    await expect(
      planner.zones.create.mutate({ geometry, name: '星形', unit: '测试', shift: 'all' }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(/^geometry: polygon 0 ring 0 edge \d+ and .*: cross/),
    });
    // at most the first few problems, not every crossing
    const err = await analyst.plan.evaluate.query({ zones: [{ geometry }] }).catch((e) => e);
    expect((err as Error).message.split('; ').length).toBeLessThanOrEqual(10);
    // the server is alive and its heap did not grow by the thousands of crossings
    expect((await s.anonymous.system.health.query()).status).toBe('ok');
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
    expect(await planner.zones.list.query()).toBeTruthy();
  });

  it('refuses a draft with more vertices in all than the limit, naming it', async () => {
    // twelve zones of 9,000 vertices each: every zone within its own limit, the draft not
    const ring = Array.from({ length: 9_000 }, (): [number, number] => [1, 2]);
    const zone = { geometry: { type: 'Polygon' as const, coordinates: [ring] } };
    await expect(
      analyst.plan.evaluate.query({ zones: Array.from({ length: 12 }, () => zone) }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringContaining(
        `zones: 108000 vertices in all, at most ${MAX_DRAFT_VERTICES} in a draft`,
      ),
    });
  });
});

describe('Gi* cost', () => {
  it('refuses 50 m cells with a 5 km band before any work, naming the limit', async () => {
    await expect(
      s.client.hotspots.gistar.query({ ...LAST30, cellMeters: 50, bandMeters: 5000 }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(
        /^bandMeters: 50 m cells with a 5000 m band cost [\d,]+ cells × [\d,]+ neighbours = [\d,]+ look-ups, at most 50,000,000 \(the Gi\* work limit\)/,
      ),
    });
  });

  it('allows what the analysis panel and the what-if figures ask for', async () => {
    const bbox: [number, number, number, number] = [101.6, 36.6, 101.9, 36.8];
    for (const [cell, band] of [
      [200, 400],
      [200, 500],
    ] as const)
      expect(gistarWork(bbox, cell, band).work).toBeLessThan(MAX_GISTAR_WORK);
    const r = await s.client.hotspots.gistar.query({
      ...LAST30,
      cellMeters: 200,
      bandMeters: 400,
      fdr: true,
    });
    expect(r.cells).toBeGreaterThan(1000);
  });
});

describe('heat grid size', () => {
  it('refuses 20 m cells over the whole district, and allows them over a small box', async () => {
    await expect(
      s.client.incidents.heat.query({ ...LAST30, cellMeters: 20 }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(
        /^cellMeters: 20 m cells make [\d,]+ cells over the district, at most 250,000/,
      ),
    });
    const box: [number, number, number, number] = [101.76, 36.64, 101.79, 36.67];
    const r = await s.client.incidents.heat.query({ ...LAST30, cellMeters: 20, bbox: box });
    expect(r.cells.length).toBeGreaterThan(0);
  });
});

describe('the compute pool', () => {
  it('stops a heavy but allowed analysis at the deadline with TIMEOUT, while health answers', async () => {
    // a fresh pool with a very short deadline: the analysis cannot finish within it
    await configureCompute({ deadlineMs: 50 });
    const heavy = s.client.hotspots.gistar
      .query({ ...LAST30, cellMeters: 50, bandMeters: 250 })
      .then(
        () => null,
        (e: unknown) => e,
      );
    const health = await s.anonymous.system.health.query();
    expect(health.status).toBe('ok');
    const err = await heavy;
    expect(err).toMatchObject({
      data: { code: 'TIMEOUT' },
      message: expect.stringMatching(
        /^the hot-spot analysis \(Gi\*\) took longer than 50 ms and was stopped/,
      ),
    });
    // with the normal deadline the pool serves the same request again
    await configureCompute(DEFAULT_COMPUTE);
    const ok = await s.client.hotspots.gistar.query({
      ...LAST30,
      cellMeters: 200,
      bandMeters: 400,
    });
    expect(ok.cells).toBeGreaterThan(1000);
  });

  it('replaces a worker that runs out of memory; the server lives on', async () => {
    await configureCompute({ maxMemoryMb: 32 });
    const err = await compute('exhaustMemory', undefined as never, 'the test').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TooLarge);
    expect(trpcError(err as TooLarge)).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(/^the test needed more than 32 MB of memory/),
    });
    expect(await compute('spin', { ms: 1 }, 'the test')).toBeGreaterThanOrEqual(0);
    expect((await s.anonymous.system.health.query()).status).toBe('ok');
  });

  it('refuses at once when the queue is full instead of queueing without bound', async () => {
    await configureCompute({ maxThreads: 1, maxQueue: 1, deadlineMs: 10_000 });
    const calls = Array.from({ length: 4 }, () =>
      compute('spin', { ms: 300 }, 'the test').then(
        () => 'done',
        (e: unknown) =>
          e instanceof DomainError ? `${trpcError(e).code}: ${e.message}` : String(e),
      ),
    );
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === 'done').length).toBeGreaterThanOrEqual(1);
    expect(results).toContain(
      'SERVICE_UNAVAILABLE: the server is busy with other analyses; try the test again shortly',
    );
  });
});

describe('caches', () => {
  it('keeps one coverage.gaps entry whatever the minimum area asked', async () => {
    const counts: number[] = [];
    for (let k = 0; k < 25; k++) {
      const fc = await s.client.coverage.gaps.query({ minAreaM2: 1000 + k * 377.5 });
      expect(fc.features.every((f) => f.properties.areaM2 >= 1000 + k * 377.5)).toBe(true);
      counts.push(fc.features.length);
    }
    // larger minimum areas leave out more slivers
    for (let k = 1; k < counts.length; k++) expect(counts[k]).toBeLessThanOrEqual(counts[k - 1]!);
    expect(counts[0]).toBeGreaterThan(counts.at(-1)!);
    const stats = coverageCacheStats(s.db);
    expect(stats.entries).toBeLessThanOrEqual(2);
    expect(stats.bytes).toBeLessThanOrEqual(COVERAGE_CACHE_LIMITS.maxBytes);
  });

  it('does not keep a variant for each made-up batch left out', async () => {
    const before = coverageCacheStats(s.db).entries;
    for (let k = 0; k < 10; k++)
      await s.client.coverage.byCommunity.query({ withoutBatch: `no-such-batch-${k}` });
    expect(coverageCacheStats(s.db).entries - before).toBeLessThanOrEqual(1);
  });
});

describe('key sites for roles without camera positions', () => {
  it('answers the analyst at the default buffer only', async () => {
    const sites = await analyst.coverage.sites.query({ bufferM: 50 });
    expect(sites.length).toBeGreaterThan(0);
    expect((await analyst.coverage.sites.query()).length).toBe(sites.length);
    for (const bufferM of [49, 51, 200])
      await expect(analyst.coverage.sites.query({ bufferM })).rejects.toMatchObject({
        data: { code: 'FORBIDDEN' },
        message: expect.stringMatching(/^bufferM: the role analyst may not see camera positions/),
      });
    // roles that see the cameras may ask for any buffer
    const wide = await s.client.coverage.sites.query({ bufferM: 200 });
    expect(wide.length).toBe(sites.length);
  });
});
