// The entry of the thread that reads one uploaded file (offThread.ts). Plain JavaScript, so that
// it loads in any runner (tsx, vitest, node): it loads the TypeScript through tsx's API, as the
// compute pool's worker does.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { tsImport } from 'tsx/esm/api';

// below the HTTP thread and the database in the scheduler's eyes (see compute/worker.mjs)
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) setPriority(tid, 10);
} catch {
  // no /proc, or not allowed: the thread keeps the process's priority
}

const { serveReads } = await tsImport('./threadTask.ts', import.meta.url);
serveReads();
