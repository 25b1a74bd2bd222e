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
});
