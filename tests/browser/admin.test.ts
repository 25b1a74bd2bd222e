/**
 * The administration pages in real Chromium: an admin signs in at /admin (setting up the second
 * factor on the way), sees the users, adds one (a refused password shows the server's reason),
 * disables it, limits the wall display to two map layers and clears the limit again, creates an
 * integration account whose token, shown once, ingests until it is revoked, finds that
 * in the audit trail, pages through the trail and verifies the chain; a leader at /admin is told
 * they have no access.
 */
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import type { IngestAnswer } from '../../domain/ingest';
import { recordAudit } from '../../server/audit/audit';
import { MAP_LAYERS } from '../../domain/policy';
import { localDate } from '../../domain/time';
import { browserFixture } from '../setup/browserFixture';
import { openPage, shoot, signIn, waitForMap } from '../setup/page';
import { TEST_PASSWORD } from '../setup/template';

const fx = browserFixture();
const NEW_USER = 'duty.officer';
const NEW_PASSWORD = 'Night shift at Chengbei 26';
const FEED = 'dispatch-110';

describe('administration', () => {
  it('lists, adds and disables a user, finds it in the audit trail and verifies the chain', async () => {
    const { page, errors } = await openPage(fx.browser, `${fx.s.url}/admin`, undefined, null);
    await signIn(page, 'admin');
    // an admin's first sign-in sets up the authenticator code before anything else
    const setup = page.locator('[data-testid=totp-setup]');
    await setup.locator('input[type=password]').fill(TEST_PASSWORD);
    await setup.locator('button[type=submit]').click();
    const key = (await page.locator('[data-testid=totp-key]').innerText()).trim();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(key) });
    const verify = page.locator('[data-testid=totp-verify]');
    await verify.locator('input').fill(totp.generate());
    await verify.locator('button[type=submit]').click();

    // the users, with the planner's town named
    await page.locator('[data-testid=admin]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=admin] h1').innerText()).toBe('平安图 · 系统管理');
    const rows = page.locator('[data-testid=users-table] tbody tr[data-username]');
    await expect
      .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-username'))))
      .toEqual(['admin', 'analyst', 'leader', 'planner', 'wall']);
    const planner = await (await fx.s.login('planner')).client.auth.me.query();
    const towns = await fx.s.client.regions.towns.query();
    const townName = (id: number) =>
      String(towns.features.find((f) => Number(f.properties!.id) === id)!.properties!.name);
    const plannerTown = townName(planner.areas.towns[0]!);
    await expect
      .poll(() => page.locator('tr[data-username=planner] td.areas').innerText())
      .toContain(plannerTown);
    expect(await page.locator('tr[data-username=admin]').innerText()).toContain('已启用');
    // no disabling oneself
    expect(await page.locator('tr[data-username=admin] button').isDisabled()).toBe(true);
    // the wall display shows every layer; only displays have layers to change
    const wall = page.locator('tr[data-username=wall]');
    const wallLayers = wall.locator('[data-testid=user-layers]');
    expect(await wallLayers.innerText()).toContain('全部图层');
    expect(await page.locator('[data-testid=edit-layers]').count()).toBe(1);

    // adding a planner for one town and one community; a short password is refused first,
    // with the server's reason
    const form = page.locator('[data-testid=add-user]');
    await form.locator('input[name=username]').fill(NEW_USER);
    await form.locator('input[name=name]').fill('值班员');
    // a display may be given its layers at once (no limit unless some are chosen)
    await form.locator('select[name=role]').selectOption('display');
    const displayLayers = page.locator('[data-testid=display-layers]');
    expect(await displayLayers.locator('input[name=no-limit]').isChecked()).toBe(true);
    expect(await displayLayers.locator('input[name=layer]:disabled').count()).toBe(
      MAP_LAYERS.length,
    );
    await shoot(page, '[data-testid=add-user]', 'admin-add-display');
    await form.locator('select[name=role]').selectOption('planner');
    expect(await displayLayers.count()).toBe(0);
    const areas = page.locator('[data-testid=planner-areas]');
    await areas.getByLabel('添加街道/镇…').selectOption({ label: plannerTown });
    const community = (await fx.s.client.regions.communities.query()).features.find(
      (f) => f.properties.townName !== plannerTown,
    )!.properties;
    await areas.getByLabel('添加村/社区…').selectOption(String(community.id));
    expect(await areas.locator('.chip').allTextContents()).toEqual([
      `${plannerTown}×`,
      `${community.name}×`,
    ]);
    await form.locator('input[name=password]').fill('too-short');
    await form.locator('button[type=submit]').click();
    await expect
      .poll(() => page.locator('[data-testid=add-error]').innerText())
      .toBe('password: must be at least 12 characters');
    await form.locator('input[name=password]').fill(NEW_PASSWORD);
    await form.locator('button[type=submit]').click();
    await expect
      .poll(() => page.locator('[data-testid=users-notice]').innerText())
      .toBe(`已添加用户 ${NEW_USER}`);
    const added = page.locator(`tr[data-username="${NEW_USER}"]`);
    await added.waitFor();
    const addedText = await added.innerText();
    for (const part of ['值班员', '勤务规划', plannerTown, community.name, '未启用', '正常'])
      expect(addedText).toContain(part);
    expect(await form.locator('input[name=username]').inputValue()).toBe('');
    await shoot(page, 'body', 'admin-users-added');

    // disabling asks first, then the account is disabled and can no longer sign in
    await added.locator('[data-testid=disable-user]').click();
    const confirm = page.locator('[data-testid=confirm]');
    expect(await confirm.innerText()).toContain(`停用账号 ${NEW_USER}？`);
    await confirm.locator('[data-testid=confirm-yes]').click();
    await expect.poll(() => added.locator('[data-testid=user-status]').innerText()).toBe('已停用');
    expect(await confirm.count()).toBe(0);
    expect(await added.locator('[data-testid=enable-user]').innerText()).toBe('启用');
    await expect(fx.s.login(NEW_USER, NEW_PASSWORD)).rejects.toThrow(/401/);

    // the wall display limited to two layers: the table names them, the account has them
    const storedLayers = async () => {
      const [row] = await fx.s.db.query<{ layers: string | null }>(
        `SELECT layers FROM users WHERE username = 'wall'`,
      );
      return row!.layers === null ? null : (JSON.parse(row!.layers) as string[]);
    };
    const wallSession = await fx.s.login('wall');
    expect((await wallSession.client.auth.me.query()).layers).toBeNull();
    await wall.locator('[data-testid=edit-layers]').click();
    const editor = page.locator('[data-testid=layers-editor]');
    expect(await editor.innerText()).toContain('wall 的地图图层');
    await editor.getByLabel('不限（全部图层）').uncheck();
    expect(await editor.locator('input[name=layer]:checked').count()).toBe(0);
    expect(await editor.innerText()).toContain('未选任何图层');
    await editor.getByLabel('三级防护圈', { exact: true }).check();
    await editor.getByLabel('警情热力', { exact: true }).check();
    await shoot(page, 'body', 'admin-users-layers-editor');
    // the server's refusal is shown as it comes (here a layer it does not know, slipped into
    // the request)
    const setLayersCall = (u: URL) => u.pathname.startsWith('/trpc/users.setLayers');
    await page.route(setLayersCall, (route) =>
      route.continue({
        postData: route.request().postData()!.replace('"layers":[', '"layers":["bogus",'),
      }),
    );
    await editor.locator('[data-testid=layers-save]').click();
    await expect
      .poll(() => editor.locator('[data-testid=layers-error]').innerText())
      .toBe(`layers: unknown bogus (known: ${MAP_LAYERS.join(', ')})`);
    expect(await storedLayers()).toBeNull();
    await page.unroute(setLayersCall);
    await editor.locator('[data-testid=layers-save]').click();
    await expect
      .poll(() => page.locator('[data-testid=users-notice]').innerText())
      .toBe('已更新 wall 的地图图层');
    expect(await editor.count()).toBe(0);
    await expect.poll(() => wallLayers.innerText()).toContain('警情热力、三级防护圈');
    expect(await storedLayers()).toEqual(['heat', 'circles']);
    expect((await wallSession.client.auth.me.query()).layers).toEqual(['heat', 'circles']);
    await shoot(page, 'body', 'admin-users-layers');

    // and the limit cleared: the editor opens with the two ticked
    await wall.locator('[data-testid=edit-layers]').click();
    expect(
      await editor
        .locator('input[name=layer]:checked')
        .evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value)),
    ).toEqual(['heat', 'circles']);
    await editor.getByLabel('不限（全部图层）').check();
    await editor.locator('[data-testid=layers-save]').click();
    await expect.poll(() => wallLayers.innerText()).toContain('全部图层');
    expect(await storedLayers()).toBeNull();
    expect((await wallSession.client.auth.me.query()).layers).toBeNull();

    // an integration account for the 110 feed: its token is shown once, ingests over HTTP, and
    // once revoked in the page is refused
    const addFeed = page.locator('[data-testid=add-integration]');
    await addFeed.locator('input[name=username]').fill(FEED);
    await addFeed.locator('input[name=name]').fill('城北 110 接处警系统');
    await addFeed.locator('button[type=submit]').click();
    const reveal = page.locator('[data-testid=token-reveal]');
    await reveal.waitFor();
    const feedToken = await reveal.locator('[data-testid=token-value]').inputValue();
    expect(feedToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await reveal.innerText()).toContain('此令牌只显示这一次');
    const feedRow = page.locator(`tr[data-integration="${FEED}"]`);
    await expect
      .poll(() => feedRow.locator('[data-testid=token-state]').innerText())
      .toMatch(/^有效/);
    expect(await feedRow.locator('[data-testid=last-used]').innerText()).toBe('尚未使用');
    expect(await page.locator(`[data-testid=users-table] [data-username="${FEED}"]`).count()).toBe(
      0,
    );
    await shoot(page, '[data-testid=integrations]', 'admin-integration-token');
    const [p] = await fx.s.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
       FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
    );
    const send = (sourceId: string) =>
      fetch(`${fx.s.url}/api/incidents/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${feedToken}` },
        body: JSON.stringify([
          { sourceId, time: '2026-06-30T02:00:00Z', category: '交通', lon: p!.lon, lat: p!.lat },
        ]),
      });
    const sent = await send('W-1');
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as IngestAnswer).results[0]!.outcome).toBe('created');
    // closed, the token is gone from the page
    await reveal.locator('[data-testid=token-close]').click();
    expect(await reveal.count()).toBe(0);
    expect(await page.content()).not.toContain(feedToken);
    await feedRow.locator('[data-testid=revoke-token]').click();
    const confirmToken = page.locator('[data-testid=confirm-token]');
    expect(await confirmToken.innerText()).toContain(`吊销 ${FEED} 的 API 令牌？`);
    await confirmToken.locator('[data-testid=confirm-token-yes]').click();
    await expect
      .poll(() => feedRow.locator('[data-testid=token-state]').innerText())
      .toMatch(/^已吊销/);
    // its batch was its last use
    expect(await feedRow.locator('[data-testid=last-used]').innerText()).toMatch(
      /^\d{4}-\d\d-\d\d /,
    );
    expect(await feedRow.locator('[data-testid=revoke-token]').count()).toBe(0);
    await shoot(page, 'body', 'admin-integration-revoked');
    expect((await send('W-2')).status).toBe(401);

    // the audit trail, filtered by that action (and today's date): the one row, opened
    await page.getByRole('tab', { name: '审计日志' }).click();
    const filters = page.locator('[data-testid=audit-filters]');
    const today = localDate(Date.now());
    await filters.locator('input[name=from]').fill(today);
    await filters.locator('input[name=to]').fill(today);
    await filters.locator('input[name=action]').fill('users.setDisabled');
    await filters.getByRole('button', { name: '查询' }).click();
    const auditRows = page.locator('[data-testid=audit-row]');
    await expect
      .poll(() => auditRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))))
      .toEqual(['users.setDisabled']);
    const row = await auditRows.first().innerText();
    for (const part of ['admin', '管理员', `user:${NEW_USER}`, '成功', '127.0.0.1'])
      expect(row).toContain(part);
    await auditRows.first().locator('[data-testid=audit-toggle]').click();
    const detail = await page.locator('[data-testid=audit-detail] pre').innerText();
    expect(JSON.parse(detail)).toEqual({ disabled: true });

    // users.*, refused outcomes only: the unknown layer's and the short password's attempts
    await filters.locator('input[name=action]').fill('users.*');
    await filters.locator('select[name=outcome]').selectOption('failed');
    await filters.getByRole('button', { name: '查询' }).click();
    await expect
      .poll(() => auditRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))))
      .toEqual(['users.setLayers', 'users.add']);
    // a day with nothing says so
    await filters.locator('input[name=from]').fill('2026-01-01');
    await filters.locator('input[name=to]').fill('2026-01-01');
    await filters.getByRole('button', { name: '查询' }).click();
    await page.locator('[data-testid=audit-empty]').waitFor();

    // the whole trail of this session, newest first, and the chain verifies
    await filters.getByRole('button', { name: '清除条件' }).click();
    await filters.getByRole('button', { name: '查询' }).click();
    await expect
      .poll(() => auditRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))))
      .toEqual(
        expect.arrayContaining(['auth.login', 'users.add', 'users.setDisabled', 'users.setLayers']),
      );
    await page.locator('[data-testid=verify]').click();
    const verdict = page.locator('[data-testid=verify-result]');
    await expect.poll(() => verdict.getAttribute('data-ok')).toBe('true');
    expect(await verdict.innerText()).toMatch(/哈希链完整：已校验 \d+ 行/);
    await page
      .locator('[data-testid=audit-row][data-action="users.add"]')
      .first()
      .locator('[data-testid=audit-toggle]')
      .click();
    await shoot(page, 'body', 'admin-audit');

    // paging with the cursor: 60 rows of one action make a page of 50 and one of 10
    for (let i = 0; i < 60; i++)
      await recordAudit(fx.s.db, { action: 'test.paging', outcome: 'ok', detail: { i } });
    await filters.getByRole('button', { name: '清除条件' }).click();
    await filters.locator('input[name=action]').fill('test.paging');
    await filters.getByRole('button', { name: '查询' }).click();
    const ids = () =>
      auditRows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))));
    await expect.poll(async () => (await ids()).length).toBe(50);
    const first = await ids();
    expect(first).toEqual([...first].sort((a, b) => b - a));
    await page.getByRole('button', { name: '较早 →' }).click();
    await expect.poll(async () => (await ids()).length).toBe(10);
    expect(Math.max(...(await ids()))).toBeLessThan(Math.min(...first));
    expect(await page.locator('[data-testid=audit-page]').innerText()).toBe('第 2 页');
    expect(await page.getByRole('button', { name: '较早 →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← 较新' }).click();
    await expect.poll(ids).toEqual(first);

    // in English
    await page.getByRole('button', { name: 'EN' }).click();
    expect(await page.locator('[data-testid=admin] h1').innerText()).toBe(
      "Ping'an Map · Administration",
    );
    expect(await page.getByRole('tab', { name: 'Audit trail' }).count()).toBe(1);
    await page.getByRole('tab', { name: 'Users' }).click();
    await expect.poll(() => wallLayers.innerText()).toContain('all layers');
    expect(await feedRow.locator('[data-testid=token-state]').innerText()).toMatch(/^revoked/);
    await shoot(page, '[data-testid=integrations]', 'admin-integrations-en');

    // back to the map, whose user menu leads here
    await page.locator('[data-testid=back-to-map]').click();
    await page.waitForURL((u) => u.pathname === '/');
    await waitForMap(page, 0);
    expect(await page.locator('[data-testid=admin-link]').getAttribute('href')).toBe(
      '/admin?lang=en',
    );
    expect(await page.locator('[data-testid=admin-link]').innerText()).toBe('Administration');
    await shoot(page, '.desk > header', 'admin-desk-header');
    // the refused password was a 400 answer, which Chromium logs: that one was expected
    expect(errors.filter((e) => !/400 \(Bad Request\)/.test(e))).toEqual([]);
    await page.close();
  });

  it('tells a leader at /admin that they have no access, with the way back', async () => {
    const { page, errors } = await openPage(fx.browser, `${fx.s.url}/admin`);
    const denied = page.locator('[data-testid=admin-denied]');
    await denied.waitFor({ timeout: 30_000 });
    expect(await denied.locator('h1').innerText()).toBe('无权访问系统管理');
    expect(await page.locator('[data-testid=users-table]').count()).toBe(0);
    await shoot(page, 'body', 'admin-denied');
    await denied.getByRole('link', { name: '返回地图' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await waitForMap(page, 0);
    expect(await page.locator('[data-testid=user-menu]').innerText()).toContain('leader');
    expect(await page.locator('[data-testid=admin-link]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
