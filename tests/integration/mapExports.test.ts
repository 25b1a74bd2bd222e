/**
 * Exports made in the browser (PNG pictures, a briefing's PDF) are recorded through
 * `exports.record`: one audit row each, naming who, what and which briefing, slide or view;
 * a briefing that does not exist, a slide it lacks or a PDF of no briefing are refused with their
 * field; a display records nothing.
 */
import type { TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../server/router';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
let leader: TRPCClient<AppRouter>;
let analyst: TRPCClient<AppRouter>;
let wall: TRPCClient<AppRouter>;
beforeAll(async () => {
  s = await startTestServer();
  leader = s.client;
  analyst = (await s.login('analyst')).client;
  wall = (await s.login('wall')).client;
});
afterAll(async () => {
  await s?.close();
});

interface AuditRow {
  username: string;
  object: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}
const rows = () =>
  s.db.query<AuditRow>(
    `SELECT username, object, outcome, detail FROM audit_log WHERE action = 'exports.record' ORDER BY id`,
  );
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('the call was expected to be refused'),
    (e: { data?: { code?: string }; message: string }) => ({
      code: e.data?.code,
      message: e.message,
    }),
  );

const view = {
  camera: { lon: 101.7, lat: 36.69, zoom: 11.3 },
  layers: { heat: { on: true } },
  window: { preset: '30d' as const },
};

describe('exports.record', () => {
  it('writes one audit row per export: a view picture, a slide picture, a PDF', async () => {
    const b = await leader.briefings.create.mutate({
      title: '十一月通报',
      slides: [
        { title: '概况', view },
        { title: '热点', view },
      ],
    });
    const before = (await rows()).length;
    await analyst.exports.record.mutate({
      kind: 'png',
      size: '2x',
      fileName: '城北区-近30天-2026-12-04.png',
      view: { window: { preset: '30d' }, layers: ['heat', 'communities'] },
    });
    await leader.exports.record.mutate({
      kind: 'png',
      size: '4k',
      briefingId: b.id,
      slide: 1,
      fileName: '城北区-热点.png',
    });
    await leader.exports.record.mutate({
      kind: 'pdf',
      briefingId: b.id,
      fileName: '城北区-十一月通报.pdf',
    });
    const added = (await rows()).slice(before);
    expect(added).toEqual([
      {
        username: 'analyst',
        object: 'view',
        outcome: 'ok',
        detail: {
          kind: 'png',
          size: '2x',
          fileName: '城北区-近30天-2026-12-04.png',
          window: { preset: '30d' },
          layers: ['heat', 'communities'],
        },
      },
      {
        username: 'leader',
        object: `briefing:${b.id}`,
        outcome: 'ok',
        detail: { kind: 'png', size: '4k', slide: 1, fileName: '城北区-热点.png' },
      },
      {
        username: 'leader',
        object: `briefing:${b.id}`,
        outcome: 'ok',
        detail: { kind: 'pdf', slides: 2, fileName: '城北区-十一月通报.pdf' },
      },
    ]);
  });

  it('refuses what names no briefing, a slide the briefing lacks, or a PDF of no briefing', async () => {
    const b = await leader.briefings.create.mutate({
      title: '一页',
      slides: [{ title: '一', view }],
    });
    const missing = await refusal(
      leader.exports.record.mutate({ kind: 'pdf', briefingId: 999_999, fileName: 'x.pdf' }),
    );
    expect(missing.code).toBe('NOT_FOUND');
    const slide = await refusal(
      leader.exports.record.mutate({
        kind: 'png',
        size: '1x',
        briefingId: b.id,
        slide: 3,
        fileName: 'x.png',
      }),
    );
    expect(slide).toMatchObject({ code: 'BAD_REQUEST' });
    expect(slide.message).toMatch(/^slide: briefing \d+ has 1 slides/);
    const pdf = await refusal(leader.exports.record.mutate({ kind: 'pdf', fileName: 'x.pdf' }));
    expect(pdf.code).toBe('BAD_REQUEST');
    expect(pdf.message).toMatch(/briefingId/);
    const noSize = await refusal(leader.exports.record.mutate({ kind: 'png', fileName: 'x.png' }));
    expect(noSize.message).toMatch(/size/);
    // each refusal is audited as failed, naming the briefing where there was one
    const failed = (await rows()).filter((r) => r.outcome === 'failed');
    expect(failed.map((r) => r.object)).toContain(`briefing:${b.id}`);
  });

  it('refuses a display, with a denied row', async () => {
    const denied = await refusal(
      wall.exports.record.mutate({ kind: 'png', size: '1x', fileName: 'x.png' }),
    );
    expect(denied.code).toBe('FORBIDDEN');
    expect((await rows()).at(-1)).toMatchObject({ username: 'wall', outcome: 'denied' });
  });
});
