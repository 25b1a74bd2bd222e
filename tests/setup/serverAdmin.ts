/** Creating and dropping databases on the test server (TEST_DATABASE_URL). */
import pg from 'pg';

export function baseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

/** The same server and credentials, another database. */
export function databaseUrl(name: string): string {
  const u = new URL(baseUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery<T = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
) {
  const c = new pg.Client({ connectionString: baseUrl() });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}
