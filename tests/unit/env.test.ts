import { describe, expect, it } from 'vitest';
import { publicOrigins, readEnv } from '../../server/env';

describe('readEnv', () => {
  it('defaults to the embedded database on 127.0.0.1:3000', () => {
    const env = readEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      DEMO_SEED: 'chengbei',
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });
  it('treats empty variables as unset', () => {
    expect(readEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
  it('names every bad variable and its problem', () => {
    expect(() =>
      readEnv({ PORT: 'eighty', DEMO_ANCHOR: '2026-13-45', DATABASE_URL: 'mysql://x' }),
    ).toThrow(
      /PORT: .*\n.*DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL\n.*DEMO_ANCHOR: is not a real date/s,
    );
  });
  it('reads the live demo switch and speed-up, naming a bad one', () => {
    expect(readEnv({}).DEMO_LIVE).toBeUndefined();
    expect(readEnv({}).DEMO_LIVE_RATE).toBe(1);
    expect(readEnv({ DEMO_LIVE: 'off', DEMO_LIVE_RATE: '60' })).toMatchObject({
      DEMO_LIVE: 'off',
      DEMO_LIVE_RATE: 60,
    });
    expect(() => readEnv({ DEMO_LIVE_RATE: '0.5' })).toThrow(/DEMO_LIVE_RATE: /);
    expect(() => readEnv({ DEMO_LIVE: 'yes' })).toThrow(/DEMO_LIVE: /);
  });
  it('reads the red/black list weights and length, naming a bad one', () => {
    const env = readEnv({ RANKING_WEIGHTS: 'coverage=40,reach=0', RANKING_LIST_SIZE: '10' });
    expect(env.RANKING_WEIGHTS).toMatchObject({ coverage: 40, reach: 0, incidentRate: 30 });
    expect(env.RANKING_LIST_SIZE).toBe(10);
    expect(readEnv({}).RANKING_LIST_SIZE).toBe(5);
    expect(() => readEnv({ RANKING_WEIGHTS: 'safety=1' })).toThrow(
      /RANKING_WEIGHTS: "safety" is not an indicator/,
    );
  });
  it('bounds the analyses: deadline, threads and heap per worker', () => {
    expect(readEnv({})).toMatchObject({
      COMPUTE_DEADLINE_S: 20,
      COMPUTE_THREADS: 2,
      COMPUTE_MEMORY_MB: 512,
    });
    expect(readEnv({ COMPUTE_DEADLINE_S: '5' }).COMPUTE_DEADLINE_S).toBe(5);
    expect(() => readEnv({ COMPUTE_DEADLINE_S: '0', COMPUTE_MEMORY_MB: '100000' })).toThrow(
      /COMPUTE_DEADLINE_S: .*\n.*COMPUTE_MEMORY_MB: /s,
    );
  });
  it('reads the public origins, normalised, and names a bad one', () => {
    expect(
      readEnv({ PUBLIC_ORIGIN: 'https://pingan.example.gov.cn, http://10.0.0.5:3000/' })
        .PUBLIC_ORIGIN,
    ).toEqual(['https://pingan.example.gov.cn', 'http://10.0.0.5:3000']);
    expect(readEnv({}).PUBLIC_ORIGIN).toBeUndefined();
    expect(() => readEnv({ PUBLIC_ORIGIN: 'https://pingan.example/app' })).toThrow(
      /PUBLIC_ORIGIN: "https:\/\/pingan.example\/app" must be an origin only/,
    );
    expect(() => readEnv({ PUBLIC_ORIGIN: 'pingan.example' })).toThrow(
      /PUBLIC_ORIGIN: "pingan.example" (is not a URL|must start with http)/,
    );
  });
  it('defaults the public origins to the listen address', () => {
    expect(publicOrigins(undefined, '127.0.0.1', 3000)).toEqual([
      'http://127.0.0.1:3000',
      'http://localhost:3000',
    ]);
    expect(publicOrigins(undefined, '10.0.0.5', 8080)).toEqual(['http://10.0.0.5:8080']);
    expect(publicOrigins(['https://a.example'], '127.0.0.1', 3000)).toEqual(['https://a.example']);
  });
  it('refuses TLS=on without TRUST_PROXY and PUBLIC_ORIGIN, and a wildcard HOST without PUBLIC_ORIGIN, saying why', () => {
    expect(() => readEnv({ TLS: 'on' })).toThrow(
      /TRUST_PROXY: must be set when TLS=on: .*\n.*PUBLIC_ORIGIN: must be set when TLS=on/s,
    );
    expect(() => readEnv({ HOST: '0.0.0.0' })).toThrow(
      /PUBLIC_ORIGIN: must be set when HOST is 0\.0\.0\.0/,
    );
    const env = readEnv({ TLS: 'on', TRUST_PROXY: '1', PUBLIC_ORIGIN: 'https://pingan.example' });
    expect(env.PUBLIC_ORIGIN).toEqual(['https://pingan.example']);
    expect(readEnv({ HOST: '0.0.0.0', PUBLIC_ORIGIN: 'http://10.0.0.5:3000' }).HOST).toBe(
      '0.0.0.0',
    );
  });
});
