/**
 * Runs tests/fuzz/server.ts as a child process with a capped heap, reads its memory from /proc,
 * keeps the tail of its error log, and restarts it after it died or was killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./server.ts', import.meta.url));

export interface LoggedError {
  at: number;
  msg: string;
  err?: string;
}

export class ServerProcess {
  url = '';
  private proc: ChildProcess | undefined;
  private exited: { code: number | null; signal: string | null } | undefined;
  /** the server's logged errors, newest last (bounded) */
  errors: LoggedError[] = [];
  private output = '';

  constructor(
    private readonly env: { FUZZ_DB_KIND: string; FUZZ_DB: string },
    private readonly heapMb: number,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get alive(): boolean {
    return Boolean(this.proc) && !this.exited;
  }

  /** How the process ended, if it did. */
  get exit(): string | undefined {
    if (!this.exited) return undefined;
    const { code, signal } = this.exited;
    return signal ? `killed by ${signal}` : `exited with code ${code}`;
  }

  /** The resident memory of the process in bytes (Linux), or undefined when it is gone. */
  rss(): number | undefined {
    if (!this.alive || !this.proc?.pid) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async start(): Promise<void> {
    this.exited = undefined;
    this.output = '';
    const proc = spawn(
      process.execPath,
      [`--max-old-space-size=${this.heapMb}`, '--import', 'tsx', SCRIPT],
      {
        env: { ...process.env, ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.proc = proc;
    proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
    });
    const ready = new Promise<string>((resolve, reject) => {
      let buf = '';
      proc.stdout!.setEncoding('utf8');
      proc.stdout!.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = /^READY (\S+)/.exec(line);
          if (m) resolve(m[1]!);
          else this.logLine(line);
        }
      });
      proc.stderr!.setEncoding('utf8');
      proc.stderr!.on('data', (chunk: string) => {
        this.output = (this.output + chunk).slice(-4000);
      });
      proc.on('exit', (code, signal) =>
        reject(
          new Error(
            `the fuzz server ended before it was ready (${signal ?? code}): ${this.output}`,
          ),
        ),
      );
    });
    this.url = await ready;
  }

  private logLine(line: string) {
    try {
      const o = JSON.parse(line) as { msg?: string; err?: { message?: string; cause?: unknown } };
      const cause = o.err?.cause as { message?: string } | undefined;
      this.errors.push({
        at: Date.now(),
        msg: o.msg ?? '',
        err: [o.err?.message, cause?.message].filter(Boolean).join(' / ') || undefined,
      });
      if (this.errors.length > 200) this.errors.splice(0, this.errors.length - 200);
    } catch {
      // not a log line
    }
  }

  /** The tail of what the process wrote to stderr (a crash's reason). */
  get stderrTail(): string {
    return this.output;
  }

  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.proc;
    if (!proc || this.exited || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    // a server that does not stop when asked (open connections, a busy loop) is killed
    const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(force);
  }

  async restart(): Promise<void> {
    await this.stop('SIGKILL');
    await this.start();
  }
}
