/**
 * `npm run data:import` as a process of its own, for the tests that kill it mid-import: node
 * itself with tsx as its loader (the tsx command would run the import in a child of its own,
 * which a SIGKILL of the command leaves running). `env` says which database (DATABASE_URL, or
 * DATA_DIR for the embedded one).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function importCli(layer: string, file: string, env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/services/dataImportCli.ts',
      '--layer',
      layer,
      '--crs',
      'wgs84',
      file,
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const awaited: Array<{ text: string; done: () => void }> = [];
  const take = (c: Buffer) => {
    out += c;
    for (const a of awaited) if (out.includes(a.text)) a.done();
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    /** how the process ended */
    exited,
    /** what it printed so far */
    output: () => out,
    /** resolves once it has printed `text` */
    printed: (text: string) => new Promise<void>((done) => awaited.push({ text, done })),
  };
}
