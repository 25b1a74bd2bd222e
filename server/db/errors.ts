/**
 * What a failure of the database means for the caller, and how it may be logged.
 *
 * The drivers' errors arrive wrapped (drizzle wraps them in an error whose message carries the
 * statement AND its parameters, among them session tokens), so both functions follow the chain
 * of causes.
 */
import { DatabaseUnavailableError, isConnectionError } from './database';

export type DatabaseFailure =
  /** the database cannot be reached, or stopped answering */
  | 'unavailable'
  /** a statement ran past the statement timeout (or was cancelled) */
  | 'timeout'
  /** a value the database refused as data: out of range, malformed, a NUL character (22xxx) */
  | 'invalid';

function* causes(err: unknown): Generator<unknown> {
  let e = err;
  for (let depth = 0; e && depth < 8; depth++) {
    yield e;
    e = (e as { cause?: unknown }).cause;
  }
}

export function databaseFailure(err: unknown): DatabaseFailure | null {
  for (const e of causes(err)) {
    if (e instanceof DatabaseUnavailableError) return 'unavailable';
    const code = (e as { code?: unknown }).code;
    if (code === '57014') return 'timeout';
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return 'invalid';
    if (isConnectionError(e)) return 'unavailable';
  }
  return null;
}

/** Text that may carry values (statement parameters): cut before it reaches a log. */
function scrubText(s: string): string {
  return s.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: (not logged)');
}

export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: LoggedError;
}

/**
 * An error as the log may show it: its type, message, SQLSTATE and stack, and its causes, with
 * the parameters of failed statements left out.
 */
export function loggableError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error))
    return { type: typeof err, message: scrubText(String(err)).slice(0, 2000) };
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: unknown }).cause;
  return {
    type: err.name,
    message: scrubText(err.message).slice(0, 2000),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(err.stack ? { stack: scrubText(err.stack).slice(0, 4000) } : {}),
    ...(cause !== undefined && depth < 5 ? { cause: loggableError(cause, depth + 1) } : {}),
  };
}

/**
 * The log function for a library that logs its own errors (the accounts library logs a failed
 * session lookup with the statement's parameters, the session token among them): what it logs
 * goes through loggableError first.
 */
export function scrubbedLog(name: string, sink: (line: string) => void = (l) => console.error(l)) {
  return (level: string, message: string, ...args: unknown[]) =>
    sink(
      JSON.stringify({
        level,
        source: name,
        msg: scrubText(String(message)).slice(0, 2000),
        ...(args.length
          ? {
              args: args.map((a) =>
                a instanceof Error || typeof a !== 'object' || a === null
                  ? loggableError(a)
                  : '(object not logged)',
              ),
            }
          : {}),
      }),
    );
}
