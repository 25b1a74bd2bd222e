/**
 * Briefings over real HTTP: made, read, listed, changed and deleted with versions (a stale save
 * is a CONFLICT and the newer one stands); who may do what (a display nothing, an analyst reads
 * a leader's briefing but cannot change it, an admin can); the limits refused with their field;
 * every change audited; and a month's briefing made from the desk's own figures.
 */
import type { inferRouterInputs } from '@trpc/server';
import type { TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIEFING_LIMITS } from '../../domain/briefing';
import { CATEGORY_NAMES_ZH, type IncidentCategory } from '../../domain/vocabulary';
import type { AppRouter } from '../../server/router';
import { adminCookie, clientFor, startTestServer, type TestServer } from '../setup/testServer';

type SlideInput = inferRouterInputs<AppRouter>['briefings']['create']['slides'] extends
  (infer S)[] | undefined
  ? S
  : never;

let s: TestServer;
let leader: TRPCClient<AppRouter>;
let analyst: TRPCClient<AppRouter>;
let planner: TRPCClient<AppRouter>;
let wall: TRPCClient<AppRouter>;
let admin: TRPCClient<AppRouter>;
beforeAll(async () => {
  s = await startTestServer();
  leader = s.client;
  analyst = (await s.login('analyst')).client;
  planner = (await s.login('planner')).client;
  wall = (await s.login('wall')).client;
  admin = clientFor(s.url, await adminCookie(s));
});
afterAll(async () => {
  await s?.close();
});

const error = (e: unknown) =>
  (e as { data?: { code?: string; fields?: { field: string }[] }; message: string }) ?? {};
const code = (e: unknown) => error(e).data?.code;
const fieldsOf = (e: unknown) => error(e).data?.fields?.map((f) => f.field) ?? [];
/** The error a call fails with (the test fails if it does not). */
async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.fail('the call was expected to be refused'),
    (e: unknown) => e,
  );
}

function slide(title: string, extra: Partial<SlideInput> = {}): SlideInput {
  return {
    title,
    notes: `${title}的讲稿`,
    view: {
      camera: { lon: 101.75, lat: 36.63, zoom: 13.5 },
      layers: { heat: { on: true, opacity: 0.8 }, communities: { on: true, opacity: 1 } },
      window: { from: '2026-05-01', to: '2026-06-01' },
      categories: ['criminal'],
      communityId: null,
      incidentId: null,
      panel: 'kpi',
      rankPeriod: 'month',
      rankToDate: false,
      basemap: 'none',
    },
    annotations: [
      { kind: 'text', text: '重点', geometry: { type: 'Point', coordinates: [101.75, 36.63] } },
      {
        kind: 'circle',
        text: '',
        radiusMeters: 800,
        geometry: { type: 'Point', coordinates: [101.76, 36.62] },
      },
    ],
    comparison: { against: 'lastYear', mode: 'swipe' },
    ...extra,
  };
}

interface AuditRow {
  username: string;
  object: string;
  outcome: string;
  detail: {
    before: { version: number; title: string } | null;
    after: { version: number; title: string; slides: number } | null;
    error?: string;
  };
}
const lastAudit = async (action: string) =>
  (
    await s.db.query<AuditRow>(
      `SELECT username, object, outcome, detail FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1`,
      [action],
    )
  )[0]!;

describe('briefings', () => {
  it('creates, reads, lists, updates and deletes, auditing each change', async () => {
    const a = slide('概况');
    const made = await leader.briefings.create.mutate({ title: '五月通报', slides: [a] });
    expect(made.version).toBe(1);
    expect(await lastAudit('briefings.create')).toMatchObject({
      username: 'leader',
      object: `briefing:${made.id}`,
      outcome: 'ok',
      detail: { before: null, after: { version: 1, title: '五月通报', slides: 1 } },
    });

    const got = await leader.briefings.get.query({ id: made.id });
    expect(got).toMatchObject({ id: made.id, title: '五月通报', version: 1, slideCount: 1 });
    expect(got.owner.username).toBe('leader');
    expect(got.slides).toEqual([a]);

    const listed = (await leader.briefings.list.query()).find((b) => b.id === made.id);
    expect(listed).toMatchObject({ title: '五月通报', version: 1, slideCount: 1 });
    expect(listed!.owner.username).toBe('leader');
    expect(Date.parse(listed!.updatedAt)).not.toBeNaN();

    const b = slide('热点', { comparison: null, annotations: [] });
    const saved = await leader.briefings.update.mutate({
      id: made.id,
      version: 1,
      title: '五月通报（修订）',
      slides: [b, a],
    });
    expect(saved).toEqual({ id: made.id, version: 2 });
    const after = await leader.briefings.get.query({ id: made.id });
    expect(after.title).toBe('五月通报（修订）');
    expect(after.slides.map((x) => x.title)).toEqual(['热点', '概况']);
    expect((await lastAudit('briefings.update')).detail).toMatchObject({
      before: { version: 1, title: '五月通报' },
      after: { version: 2, title: '五月通报（修订）', slides: 2 },
    });

    // nothing to save is refused, and the version stays
    const empty = await failure(leader.briefings.update.mutate({ id: made.id, version: 2 }));
    expect(code(empty)).toBe('BAD_REQUEST');
    expect(error(empty).message).toMatch(/nothing to save/);
    // the title alone keeps the slides
    await leader.briefings.update.mutate({ id: made.id, version: 2, title: '五月' });
    expect((await leader.briefings.get.query({ id: made.id })).slides).toEqual(after.slides);

    await leader.briefings.delete.mutate({ id: made.id, version: 3 });
    expect(code(await failure(leader.briefings.get.query({ id: made.id })))).toBe('NOT_FOUND');
    expect(await lastAudit('briefings.delete')).toMatchObject({
      object: `briefing:${made.id}`,
      detail: { before: { version: 3 }, after: null },
    });
  });

  it('refuses a stale save with CONFLICT and keeps the newer one', async () => {
    const made = await leader.briefings.create.mutate({ title: '草稿', slides: [slide('一')] });
    await leader.briefings.update.mutate({ id: made.id, version: 1, slides: [slide('二')] });
    const stale = await failure(
      leader.briefings.update.mutate({ id: made.id, version: 1, slides: [slide('三')] }),
    );
    expect(code(stale)).toBe('CONFLICT');
    expect(error(stale).message).toMatch(/now version 2, yours 1/);
    expect(code(await failure(leader.briefings.delete.mutate({ id: made.id, version: 1 })))).toBe(
      'CONFLICT',
    );
    const kept = await leader.briefings.get.query({ id: made.id });
    expect(kept.version).toBe(2);
    expect(kept.slides.map((x) => x.title)).toEqual(['二']);
    expect(await lastAudit('briefings.update')).toMatchObject({
      outcome: 'failed',
      object: `briefing:${made.id}`,
    });
  });

  it('keeps displays out, lets an analyst read but not change a leader’s briefing, and an admin change it', async () => {
    const made = await leader.briefings.create.mutate({ title: '领导的', slides: [slide('一')] });

    expect(code(await failure(wall.briefings.list.query()))).toBe('FORBIDDEN');
    expect(code(await failure(wall.briefings.get.query({ id: made.id })))).toBe('FORBIDDEN');
    expect(code(await failure(wall.briefings.create.mutate({ title: 'x', slides: [] })))).toBe(
      'FORBIDDEN',
    );

    expect((await analyst.briefings.get.query({ id: made.id })).title).toBe('领导的');
    expect((await analyst.briefings.list.query()).map((b) => b.id)).toContain(made.id);
    const edit = await failure(
      analyst.briefings.update.mutate({ id: made.id, version: 1, title: '改' }),
    );
    expect(code(edit)).toBe('FORBIDDEN');
    expect(code(await failure(analyst.briefings.delete.mutate({ id: made.id, version: 1 })))).toBe(
      'FORBIDDEN',
    );
    expect(await lastAudit('briefings.delete')).toMatchObject({
      username: 'analyst',
      outcome: 'failed',
      object: `briefing:${made.id}`,
    });
    expect((await leader.briefings.get.query({ id: made.id })).version).toBe(1);

    // an analyst and a planner make their own
    const own = await analyst.briefings.create.mutate({ title: '研判', slides: [] });
    await analyst.briefings.update.mutate({ id: own.id, version: 1, title: '研判二' });
    await planner.briefings.create.mutate({ title: '勤务', slides: [slide('部署')] });

    // an admin changes and deletes anyone's
    expect(
      await admin.briefings.update.mutate({ id: made.id, version: 1, title: '管理员改' }),
    ).toEqual({ id: made.id, version: 2 });
    await admin.briefings.delete.mutate({ id: made.id, version: 2 });
    expect(code(await failure(leader.briefings.get.query({ id: made.id })))).toBe('NOT_FOUND');
  });

  it('refuses what is over the limits, naming the field, and stores nothing', async () => {
    const count = async () =>
      Number((await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM briefings`))[0]!.n);
    const before = await count();
    const refused = async (input: { title: string; slides: SlideInput[] }) => {
      const e = await failure(leader.briefings.create.mutate(input));
      expect(code(e)).toBe('BAD_REQUEST');
      return e;
    };
    const long = (n: number) => '长'.repeat(n + 1);
    expect(fieldsOf(await refused({ title: long(BRIEFING_LIMITS.title), slides: [] }))).toEqual([
      'title',
    ]);
    expect(
      fieldsOf(
        await refused({ title: 'x', slides: Array(BRIEFING_LIMITS.slides + 1).fill(slide('一')) }),
      ),
    ).toEqual(['slides']);
    expect(
      fieldsOf(
        await refused({
          title: 'x',
          slides: [slide('一', { notes: long(BRIEFING_LIMITS.notes) })],
        }),
      ),
    ).toEqual(['slides.0.notes']);
    const line = (n: number) =>
      Array.from({ length: n }, (_, i): [number, number] => [101.7 + i * 1e-5, 36.6]);
    expect(
      fieldsOf(
        await refused({
          title: 'x',
          slides: [
            slide('一'),
            slide('二', {
              annotations: [
                {
                  kind: 'outline',
                  text: '',
                  geometry: {
                    type: 'LineString',
                    coordinates: line(BRIEFING_LIMITS.annotationVertices + 1),
                  },
                },
              ],
            }),
          ],
        }),
      ),
    ).toEqual(['slides.1.annotations.0.geometry.coordinates']);
    expect(
      fieldsOf(
        await refused({
          title: 'x',
          slides: [
            slide('一', {
              view: { ...slide('一').view, window: { from: '2026-06-01', to: '2026-05-01' } },
            }),
          ],
        }),
      ),
    ).toEqual(['slides.0.view.window.to']);

    // each drawing within its limits, the whole over the size limit
    const heavy = Array.from({ length: BRIEFING_LIMITS.annotationsPerSlide }, () => ({
      kind: 'outline' as const,
      text: '',
      geometry: {
        type: 'LineString' as const,
        coordinates: line(BRIEFING_LIMITS.annotationVertices),
      },
    }));
    const big = await refused({ title: 'x', slides: [slide('一', { annotations: heavy })] });
    expect(error(big).message).toMatch(/^slides: the slides take [\d,]+ bytes, at most 1,000,000/);

    // an update is held to the same limits, and keeps what was stored
    const made = await leader.briefings.create.mutate({ title: '限', slides: [slide('一')] });
    const e = await failure(
      leader.briefings.update.mutate({
        id: made.id,
        version: 1,
        title: long(BRIEFING_LIMITS.title),
      }),
    );
    expect(fieldsOf(e)).toEqual(['title']);
    expect((await leader.briefings.get.query({ id: made.id })).title).toBe('限');
    expect(await count()).toBe(before + 1);
  });
});

describe('briefings.fromMonth', () => {
  const MONTH = '2026-05';
  const range = (from: string, to: string) => ({ from, to, groupBy: 'category' as const });
  const total = async (from: string, to: string) => {
    const rows = await leader.incidents.summary.query(range(from, to));
    return { total: rows.reduce((a, r) => a + r.count, 0), rows };
  };
  const int = (n: number) => n.toLocaleString('en-US');
  const change = (cur: number, base: number | null) => {
    if (!base) return '—';
    const v = Math.round(((cur - base) / base) * 1000) / 10;
    return v === 0 ? '0.0%' : `${v > 0 ? '+' : ''}${v.toFixed(1)}%`;
  };

  it('makes a briefing of the month whose slides show that month and whose figures are the desk’s', async () => {
    const { id } = await leader.briefings.fromMonth.mutate({ month: MONTH });
    const b = await leader.briefings.get.query({ id });
    expect(b.title).toBe('2026年5月治安形势通报');
    expect(b.owner.username).toBe('leader');
    expect(b.slides).toHaveLength(6);
    for (const x of b.slides) {
      expect(x.view.window, x.title).toEqual({ from: '2026-05-01', to: '2026-06-01' });
      expect(x.notes.length, x.title).toBeGreaterThan(0);
      expect(
        Object.values(x.view.layers).some((l) => l?.on),
        x.title,
      ).toBe(true);
    }
    expect(b.slides.map((x) => x.view.panel)).toEqual([
      'kpi',
      'rankings',
      'analysis',
      'analysis',
      'analysis',
      'analysis',
    ]);

    // the KPI notes are incidents.summary's figures for the month, the month before and a year ago
    const start = (await s.client.system.health.query()).data.start!;
    const now = await total('2026-05-01', '2026-06-01');
    const prev = await total('2026-04-01', '2026-05-01');
    const year =
      Date.parse(start) <= Date.parse('2025-05-01T00:00:00+08:00')
        ? (await total('2025-05-01', '2025-06-01')).total
        : null;
    expect(now.total).toBeGreaterThan(0);
    const kpi = b.slides[0]!;
    expect(kpi.notes).toContain(
      `2026年5月 警情 ${int(now.total)} 起，环比 ${change(now.total, prev.total)}，同比 ${change(now.total, year)}`,
    );
    const top = now.rows[0]!;
    expect(kpi.notes).toContain(
      `${CATEGORY_NAMES_ZH[top.key as IncidentCategory]} ${int(top.count)} 起`,
    );
    expect(kpi.comparison).toEqual({ against: 'previous', mode: 'split' });

    // the red/black list slide names the month's list
    const rank = await leader.rankings.communities.query({ period: 'month', at: '2026-05-01' });
    expect(rank.label).toBe(MONTH);
    const first = rank.communities.find((c) => c.communityId === rank.red[0])!;
    expect(b.slides[1]!.notes).toContain(`1. ${first.name}（${first.townName}`);

    // the other slides read out what the desk's own procedures answer for the month
    const spikes = await leader.hotspots.spikes.query({ from: '2026-05-01', to: '2026-06-01' });
    const up = spikes.filter((x) => x.flag === 'up');
    expect(b.slides[2]!.notes).toContain(
      up.length ? `警情显著上升的社区 ${up.length} 个` : '没有警情显著上升的社区',
    );
    const rings = await leader.circles.stats.query({ from: '2026-05-01', to: '2026-06-01' });
    expect(rings).toHaveLength(3);
    for (const r of rings)
      expect(b.slides[4]!.notes).toContain(`${r.name}：警情 ${int(r.incidents)} 起`);
    const cover = await leader.coverage.infill.query();
    const area = cover.reduce((a, c) => a + c.areaM2, 0);
    const share = (k: 'ratio' | 'ratioWithout') =>
      `${((cover.reduce((a, c) => a + c[k] * c.areaM2, 0) / area) * 100).toFixed(1)}%`;
    expect(b.slides[5]!.notes).toContain(
      `全区视频覆盖率 ${share('ratio')}，不计雪亮工程补点为 ${share('ratioWithout')}`,
    );

    expect(await lastAudit('briefings.fromMonth')).toMatchObject({
      username: 'leader',
      object: `briefing:${id}`,
      outcome: 'ok',
      detail: { month: MONTH, after: { version: 1, slides: 6 } },
    });
  });

  it('refuses a month outside the data or not a month, and a display', async () => {
    const out = await failure(leader.briefings.fromMonth.mutate({ month: '2031-01' }));
    expect(code(out)).toBe('BAD_REQUEST');
    expect(error(out).message).toMatch(/^month: 2031-01 is outside the stored incidents/);
    expect(
      fieldsOf(await failure(leader.briefings.fromMonth.mutate({ month: '2026-13' }))),
    ).toEqual(['month']);
    expect(code(await failure(wall.briefings.fromMonth.mutate({ month: MONTH })))).toBe(
      'FORBIDDEN',
    );
  });
});
