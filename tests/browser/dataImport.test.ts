/**
 * 数据导入 in real Chromium: an administrator imports a camera ledger as an agency sends it, a
 * GBK CSV whose coordinates were picked on an online map (GCJ-02). The page reads it as
 * GB18030, offers GCJ-02 as the guess that puts the points inside the district, and the dry run
 * shows the counts, the preview on its map and the two refused rows (one outside the district,
 * one with a bad device id). After the confirmation the import is committed and the desk's
 * camera coverage changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gcoord from 'gcoord';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture } from '../setup/browserFixture';
import { openPage, shoot, signIn } from '../setup/page';
import { TEST_PASSWORD } from '../setup/template';

const fx = browserFixture();
let dir = '';
let ledger = '';
/** the valid rows' device ids */
const codes = [1, 2, 3, 4].map((i) => `6301050013200000000${i}`);

beforeAll(async () => {
  // four working cameras' positions inside the district, as AMap would show them
  const spots = await fx.s.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat FROM cameras c, district d
     WHERE ST_Within(c.geom, d.geom) ORDER BY c.id LIMIT 4`,
  );
  const gcj = spots.map((p) => gcoord.transform([p.lon, p.lat], gcoord.WGS84, gcoord.GCJ02));
  const lines = [
    '设备编号,设备名称,经度,纬度,类型,朝向',
    ...gcj.map(
      ([lon, lat], i) =>
        `${codes[i]},城北点位${i + 1},${lon!.toFixed(6)},${lat!.toFixed(6)},${i % 2 ? '枪机' : '球机'},${90 * i}`,
    ),
    // row 6: in Qinghai, far outside the district; row 7: not a 20-digit device id
    `63010500132000000099,湟源县城,101.2563,36.6846,球机,0`,
    `CB-0007,城北点位7,${gcj[0]![0]!.toFixed(6)},${gcj[0]![1]!.toFixed(6)},球机,0`,
  ];
  dir = mkdtempSync(path.join(tmpdir(), 'pingan-import-'));
  const utf8 = path.join(dir, 'ledger-utf8.csv');
  writeFileSync(utf8, lines.join('\r\n') + '\r\n');
  ledger = path.join(dir, '摄像机台账.csv');
  writeFileSync(ledger, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK', utf8]));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Signs the administrator in, setting up the second factor as a first sign-in must. */
async function signInAdmin(page: Page) {
  await signIn(page, 'admin');
  const setup = page.locator('[data-testid=totp-setup]');
  await setup.locator('input[type=password]').fill(TEST_PASSWORD);
  await setup.locator('button[type=submit]').click();
  const key = (await page.locator('[data-testid=totp-key]').innerText()).trim();
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(key) });
  const verify = page.locator('[data-testid=totp-verify]');
  await verify.locator('input').fill(totp.generate());
  await verify.locator('button[type=submit]').click();
  await page.locator('[data-testid=admin]').waitFor({ timeout: 30_000 });
}

/** The district's camera coverage as the desk's analysis panel shows it. */
async function deskCoverage(page: Page): Promise<string> {
  await page.goto(`${fx.s.url}/?panel=analysis`);
  const figure = page.locator('[data-testid=district-coverage]');
  await figure.waitFor({ timeout: 60_000 });
  return (await figure.innerText()).trim();
}

describe('data import', () => {
  it('imports a GBK camera ledger in GCJ-02 after a dry run, and the coverage follows', async () => {
    const { page, errors } = await openPage(
      fx.browser,
      `${fx.s.url}/admin`,
      // tall enough for the whole page in one screenshot
      { width: 1440, height: 2400 },
      null,
    );
    await signInAdmin(page);
    const before = await deskCoverage(page);

    await page.goto(`${fx.s.url}/admin`);
    await page.getByRole('tab', { name: '数据导入' }).click();
    const card = page.locator('[data-testid=import]');
    await card.locator('select[name=layer]').selectOption('cameras');
    await card.locator('input[type=file]').setInputFiles(ledger);

    // how it was read, and the mapping suggested from the column names
    await expect
      .poll(() => card.locator('[data-testid=import-encoding]').innerText())
      .toBe('GB18030');
    expect(await card.locator('[data-testid=import-format]').innerText()).toBe('CSV');
    // the first rows as read, numbered as the sheet numbers them (the header is row 1)
    const sample = card.locator('[data-testid=import-sample] tbody tr');
    expect(await sample.locator('td:first-child').allTextContents()).toEqual([
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
    expect(await card.locator('select[name=map-deviceCode]').inputValue()).toBe('设备编号');
    expect(await card.locator('select[name=map-kind]').inputValue()).toBe('类型');
    expect(await card.locator('select[name=map-bearing]').inputValue()).toBe('朝向');

    // no coordinate system declared: nothing chosen until the guess is clicked
    const dryRun = card.locator('[data-testid=import-dry-run]');
    expect(await dryRun.isDisabled()).toBe(true);
    const gcj = card.locator('[data-testid=crs-guesses] button[data-crs=gcj02]');
    expect(await gcj.innerText()).toMatch(/^GCJ-02（高德\/腾讯）：\d+% 落在辖区内$/);
    await gcj.click();
    expect(await card.locator('select[name=crs]').inputValue()).toBe('gcj02');

    await dryRun.click();
    const report = card.locator('[data-testid=import-report]');
    await report.waitFor({ timeout: 60_000 });
    const count = (k: string) => report.locator(`[data-count=${k}] dd`).innerText();
    expect(await count('read')).toBe('6');
    expect(await count('refused')).toBe('2');
    const refused = report.locator('[data-testid=import-refusals] tbody tr');
    expect(
      await refused.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row'))),
    ).toEqual(['6', '7']);
    expect(await refused.nth(1).innerText()).toMatch(/deviceCode|设备编号/);
    // the refusal's code said in the page's language, around its parameters
    expect(await refused.nth(0).getAttribute('data-code')).toBe('outside_district');
    expect(await refused.nth(0).innerText()).toMatch(
      /位于辖区外（相距 \d+ 米）：坐标系是否选对了？/,
    );
    // the preview: the legend counts what the map draws
    const legend = report.locator('[data-testid=import-legend]');
    const added = Number(await legend.locator('[data-change=add] .num').innerText());
    const removed = Number(
      (await legend.locator('[data-change=remove] .num').innerText()).replace(/,/g, ''),
    );
    expect(added + Number(await legend.locator('[data-change=change] .num').innerText())).toBe(4);
    expect(removed).toBe(Number((await count('remove')).replace(/,/g, '')));
    await page.waitForFunction(
      () => {
        const map = (
          window as unknown as {
            __previewMap?: { loaded(): boolean; queryRenderedFeatures(o: object): unknown[] };
          }
        ).__previewMap;
        return !!map && map.queryRenderedFeatures({ layers: ['preview-point'] }).length > 0;
      },
      null,
      { timeout: 30_000 },
    );
    await shoot(page, '[data-testid=import]', 'import-dry-run');
    // the export on the same page: incidents for the desk's window, through GET /api/export
    const exporter = page.locator('[data-testid=data-export]');
    await exporter.locator('select[name=export-layer]').selectOption('incidents');
    await exporter.locator('select[name=export-format]').selectOption('csv');
    const href = new URL(
      (await exporter.locator('[data-testid=export-download]').getAttribute('href'))!,
      fx.s.url,
    );
    expect(href.pathname).toBe('/api/export');
    expect(href.searchParams.get('layer')).toBe('incidents');
    expect(href.searchParams.get('format')).toBe('csv');
    expect(Date.parse(href.searchParams.get('to')!)).toBeGreaterThan(
      Date.parse(href.searchParams.get('from')!),
    );
    await shoot(page, '[data-testid=data-export]', 'import-export');
    await page.getByRole('button', { name: 'EN' }).click();
    await expect.poll(() => report.locator('[data-count=refused] dt').innerText()).toBe('Refused');
    expect(await refused.nth(0).innerText()).toMatch(/lies outside the district \(\d+ m away\)/);
    await shoot(page, '[data-testid=import]', 'import-dry-run-en');
    await page.getByRole('button', { name: '中' }).click();

    // the confirmation names what goes, then the import is committed
    await card.locator('[data-testid=import-commit]').click();
    const confirm = card.locator('[data-testid=import-confirm]');
    if (removed)
      expect(await confirm.innerText()).toContain(`将删除 ${removed.toLocaleString()} 条`);
    await shoot(page, '[data-testid=import-confirm]', 'import-confirm');
    await confirm.locator('[data-testid=import-confirm-yes]').click();
    await card.locator('[data-testid=import-done]').waitFor({ timeout: 60_000 });
    const stored = await fx.s.db.query<{ code: string }>(
      `SELECT code FROM cameras WHERE code = ANY($1) ORDER BY code`,
      [codes],
    );
    expect(stored.map((r) => r.code)).toEqual(codes);

    expect(await deskCoverage(page)).not.toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });
});
