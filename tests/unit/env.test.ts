import { describe, expect, it } from 'vitest';
import { readEnv } from '../../server/env';

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
  it('reads the red/black list weights and length, naming a bad one', () => {
    const env = readEnv({ RANKING_WEIGHTS: 'coverage=40,reach=0', RANKING_LIST_SIZE: '10' });
    expect(env.RANKING_WEIGHTS).toMatchObject({ coverage: 40, reach: 0, incidentRate: 30 });
    expect(env.RANKING_LIST_SIZE).toBe(10);
    expect(readEnv({}).RANKING_LIST_SIZE).toBe(5);
    expect(() => readEnv({ RANKING_WEIGHTS: 'safety=1' })).toThrow(
      /RANKING_WEIGHTS: "safety" is not an indicator/,
    );
  });
});
