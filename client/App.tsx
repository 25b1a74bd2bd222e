import { useEffect, useState } from 'react';
import { api } from './api';

type Health = Awaited<ReturnType<typeof api.system.health.query>>;

/** Start page: which data the server holds. The map dashboard is built on top of this. */
export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.system.health.query().then(setHealth, (e: Error) => setError(e.message));
  }, []);
  return (
    <main style={{ fontFamily: '"Noto Sans CJK SC", sans-serif', padding: 24, color: '#e6edf3', background: '#0b1220', minHeight: '100vh' }}>
      <h1>平安图 · 城北区</h1>
      {error && <p role="alert">无法连接服务器：{error}</p>}
      {health && (
        <p>
          数据库：{health.database === 'embedded' ? '内置' : 'PostgreSQL 服务器'} · 数据截至{' '}
          {health.data.anchor ?? '—'}
        </p>
      )}
    </main>
  );
}
