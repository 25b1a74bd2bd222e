/**
 * A configured tile basemap is drawn under our layers (tiles from a loopback tile server);
 * with none configured, no tile is ever requested and the map still draws.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { launchBrowser } from '../setup/browser';
import { countPixels, openPage, shoot, waitForMap } from '../setup/page';
import { startTestServer, type TestServer } from '../setup/testServer';

let tiles: http.Server;
const tileRequests: string[] = [];
let s: TestServer;
let browser: Browser;

/** A 256×256 tile of pure green: easy to find in a screenshot, and no colour of ours. */
function greenTile(): Buffer {
  const png = new PNG({ width: 256, height: 256 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([0, 255, 0, 255], i);
  return PNG.sync.write(png);
}

beforeAll(async () => {
  const tile = greenTile();
  tiles = http.createServer((req, res) => {
    tileRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' });
    res.end(tile);
  });
  await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', r));
  const port = (tiles.address() as AddressInfo).port;
  s = await startTestServer({
    clientDir: inject('clientDir'),
    basemap: {
      kind: 'tiles',
      tiles: [`http://127.0.0.1:${port}/{z}/{x}/{y}.png`],
      crs: 'wgs84',
      attribution: 'test tiles',
      maxZoom: 18,
    },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
  await new Promise((r) => tiles?.close(r));
});

const isGreen = (r: number, g: number, b: number) => g > 60 && g > r * 2 + 20 && g > b * 2 + 20;

it('draws the configured tiles under the layers', async () => {
  const { page, errors } = await openPage(browser, `${s.url}/?at=101.683,36.694,11.3&layers=towns`);
  await waitForMap(page);
  const shot = await shoot(page, '[data-testid=map]', 'basemap-tiles');
  expect(tileRequests.length).toBeGreaterThan(0);
  expect(tileRequests.every((u) => /^\/\d+\/\d+\/\d+\.png$/.test(u))).toBe(true);
  // the (dimmed) green ground covers most of the map
  expect(countPixels(shot, isGreen) / (shot.width * shot.height)).toBeGreaterThan(0.5);
  expect(errors).toEqual([]);
  await page.close();
});
