// The entry of the compute pool's worker threads. Plain JavaScript, so that it loads in any
// runner (tsx, vitest, node): it loads the TypeScript tasks through tsx's API and runs the one
// each message names.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { tsImport } from 'tsx/esm/api';

// Below the HTTP thread and the database in the scheduler's eyes: on Linux each thread has its
// own nice value, and /proc/thread-self names this thread's id. Elsewhere nothing changes.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) setPriority(tid, 10);
} catch {
  // no /proc, or not allowed: the thread keeps the process's priority
}

const tasks = await tsImport('./tasks.ts', import.meta.url);

/** @param {{ task: string, input: unknown }} message */
export default function run({ task, input }) {
  const fn = tasks[task];
  if (typeof fn !== 'function') throw new Error(`no compute task ${task}`);
  return fn(input);
}
