// The entry of the compute pool's worker threads. Plain JavaScript, so that it loads in any
// runner (tsx, vitest, node): it loads the TypeScript tasks through tsx's API and runs the one
// each message names.
import { tsImport } from 'tsx/esm/api';

const tasks = await tsImport('./tasks.ts', import.meta.url);

/** @param {{ task: string, input: unknown }} message */
export default function run({ task, input }) {
  const fn = tasks[task];
  if (typeof fn !== 'function') throw new Error(`no compute task ${task}`);
  return fn(input);
}
