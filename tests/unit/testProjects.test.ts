/**
 * Which test projects run: outside CI a missing Chromium or PostGIS skips those tests with one
 * line saying what to install; with CI set nothing is skipped.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseProjects,
  chromiumPath,
  isCi,
  isExecutable,
  probeServer,
  type ProjectInputs,
} from '../setup/projects';

const URL_ = 'postgres://postgres:s3cret@127.0.0.1:5432/test';
const here = { path: '/usr/bin/chromium', runnable: true };
const missing = { path: '/opt/none/chromium', runnable: false };
const postgis = { reachable: true as const, major: 16, postgis: true };

describe('chooseProjects', () => {
  it('runs everything, silently, where Chromium and a PostGIS server are there', () => {
    expect(
      chooseProjects({ ci: false, chromium: here, server: { url: URL_, probe: postgis } }),
    ).toEqual({ browser: true, server: true, notes: [] });
  });

  it('outside CI skips the browser tests without Chromium, in one line naming the path and the packages', () => {
    const c = chooseProjects({ ci: false, chromium: missing });
    expect(c).toMatchObject({ browser: false, server: false });
    expect(c.notes).toEqual([
      expect.stringMatching(
        /^browser tests skipped: no Chromium at \/opt\/none\/chromium — apt-get install -y chromium fonts-noto-cjk/,
      ),
    ]);
    expect(c.notes[0]).not.toContain('\n');
  });

  it('has no server project and no note when TEST_DATABASE_URL is not set', () => {
    expect(chooseProjects({ ci: false, chromium: here })).toEqual({
      browser: true,
      server: false,
      notes: [],
    });
  });

  it('outside CI skips the server tests where the server has no PostGIS, naming its package', () => {
    const c = chooseProjects({
      ci: false,
      chromium: here,
      server: { url: URL_, probe: { reachable: true, major: 15, postgis: false } },
    });
    expect(c).toMatchObject({ browser: true, server: false });
    expect(c.notes).toEqual([
      'server tests skipped: no PostGIS on TEST_DATABASE_URL (127.0.0.1:5432/test) — apt-get install -y postgresql-15-postgis-3 to run them',
    ]);
  });

  it('outside CI skips the server tests where the server does not answer, saying why, without the password', () => {
    const c = chooseProjects({
      ci: false,
      chromium: missing,
      server: { url: URL_, probe: { reachable: false, reason: 'ECONNREFUSED' } },
    });
    expect(c).toMatchObject({ browser: false, server: false });
    expect(c.notes).toHaveLength(2);
    expect(c.notes[1]).toMatch(
      /^server tests skipped: no answer from TEST_DATABASE_URL \(127\.0\.0\.1:5432\/test: ECONNREFUSED\)/,
    );
    expect(c.notes.join()).not.toContain('s3cret');
  });

  it('with CI set skips nothing: a missing Chromium or PostGIS fails the run instead', () => {
    const inputs: ProjectInputs = {
      ci: true,
      chromium: missing,
      server: { url: URL_, probe: { reachable: true, major: 15, postgis: false } },
    };
    expect(chooseProjects(inputs)).toEqual({ browser: true, server: true, notes: [] });
    expect(chooseProjects({ ...inputs, server: { url: URL_ } })).toEqual({
      browser: true,
      server: true,
      notes: [],
    });
  });

  it('with CI set requires TEST_DATABASE_URL', () => {
    expect(() => chooseProjects({ ci: true, chromium: here })).toThrow(
      /CI=true needs TEST_DATABASE_URL/,
    );
  });
});

describe('the environment read', () => {
  it('takes CHROMIUM_PATH, else Debian’s Chromium', () => {
    expect(chromiumPath({})).toBe('/usr/bin/chromium');
    expect(chromiumPath({ CHROMIUM_PATH: '' })).toBe('/usr/bin/chromium');
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/c/chrome' })).toBe('/opt/c/chrome');
  });

  it('reads CI as set unless empty, 0 or false', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map((v) => isCi({ CI: v }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['true', '1', 'yes'].map((v) => isCi({ CI: v }))).toEqual([true, true, true]);
  });

  it('counts as Chromium only a file that can be run', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'chromium-'));
    try {
      const file = path.join(dir, 'chromium');
      expect(isExecutable(file)).toBe(false);
      writeFileSync(file, '#!/bin/sh\n');
      chmodSync(file, 0o644);
      expect(isExecutable(file)).toBe(false);
      chmodSync(file, 0o755);
      expect(isExecutable(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a server that refuses the connection as not answering, without throwing', async () => {
    // a port just freed: nothing listens there
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const p = await probeServer(`postgres://postgres@127.0.0.1:${port}/test`);
    expect(p).toEqual({ reachable: false, reason: 'ECONNREFUSED' });
  });
});
