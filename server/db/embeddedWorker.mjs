// Runs the embedded PGlite + PostGIS database off the main thread: PGlite executes each query on
// the thread that calls it, so a heavy query here must not stall the HTTP server's event loop.
// Plain JavaScript so that it loads in any runner (tsx, vitest, node) without a TS loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

if (!parentPort) throw new Error('embeddedWorker.mjs must run as a worker thread');
const port = parentPort;

/** @type {PGlite} */
const pg = await PGlite.create({ dataDir: workerData.dataDir, extensions: { postgis } });
port.postMessage({ type: 'ready' });

/** Turn a thrown value into something structured-clone can carry, keeping Postgres details. */
function serialiseError(err) {
  const e = /** @type {Record<string, unknown>} */ (err ?? {});
  return {
    message: String(e.message ?? err),
    code: e.code,
    detail: e.detail,
    hint: e.hint,
    position: e.position,
  };
}

port.on('message', async (msg) => {
  if (msg.type === 'close') {
    try {
      await pg.close();
    } finally {
      port.postMessage({ type: 'closed' });
    }
    return;
  }
  try {
    if (msg.type === 'exec') {
      await pg.exec(msg.sql);
      port.postMessage({ type: 'result', id: msg.id, rows: [] });
    } else {
      const res = await pg.query(msg.sql, msg.params ?? [], { rowMode: msg.rowMode });
      port.postMessage({
        type: 'result',
        id: msg.id,
        rows: res.rows,
        affectedRows: res.affectedRows,
      });
    }
  } catch (err) {
    port.postMessage({ type: 'error', id: msg.id, error: serialiseError(err) });
  }
});
