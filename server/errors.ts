/**
 * What can go wrong in a request, in the server's own words. Services, the compute pool and the
 * routers throw these; the transport maps them once: to tRPC codes in server/trpc.ts and to HTTP
 * statuses for the plain HTTP routes in server/app.ts. The message is what the caller reads.
 */

export type DomainErrorKind =
  | 'bad-input'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'timeout'
  | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** the problem as a code of a closed vocabulary and its parameters, when it has one */
  readonly coded?: CodedReason;
  constructor(message: string, options?: ErrorOptions & { coded?: CodedReason }) {
    super(message, options);
    this.name = new.target.name;
    if (options?.coded) this.coded = options.coded;
  }
}

/** A domain error of class `E` whose message is the reason's English sentence, with its code. */
export function codedError<E extends DomainError>(
  Kind: new (message: string, options?: ErrorOptions & { coded?: CodedReason }) => E,
  r: CodedReason & { reason: string },
): E {
  return new Kind(r.reason, { coded: { code: r.code, params: r.params } });
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A request the server will not do as asked: a value out of its rules, or asking for more work
 * than the limits allow. `field` is the input's path the problem concerns, when it is one; the
 * message starts with it.
 */
export class BadInput extends DomainError {
  readonly kind = 'bad-input';
  constructor(
    readonly field: string | undefined,
    problem: string,
    options?: ErrorOptions & { coded?: CodedReason },
  ) {
    super(field ? `${field}: ${problem}` : problem, options);
  }
}

/**
 * A problem in a closed vocabulary (domain/importReasons.ts): a page renders the code with its
 * parameters in its own language, where the message is English.
 */
export interface CodedReason {
  code: string;
  params: Readonly<Record<string, unknown>>;
}

/** A BadInput whose message is the reason's English sentence, carrying its code. */
export function codedBadInput(
  field: string | undefined,
  r: CodedReason & { reason: string },
): BadInput {
  return new BadInput(field, r.reason, { coded: { code: r.code, params: r.params } });
}

/**
 * Input refused field by field, as a schema refuses it ("invalid input: …"); the answer lists the
 * fields too (data.fields).
 */
export class InvalidInput extends BadInput {
  constructor(readonly fields: FieldProblem[]) {
    super(undefined, `invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`);
  }
}

/** No session, or a session that has ended. */
export class Unauthorized extends DomainError {
  readonly kind = 'unauthorized';
}

/** A signed-in user who may not do this (role, second factor, areas, display layers). */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFound extends DomainError {
  readonly kind = 'not-found';
}

/** The thing changed since the caller read it (a stale version). */
export class Conflict extends DomainError {
  readonly kind = 'conflict';
}

/** The work needed more memory than it is allowed and was stopped. */
export class TooLarge extends DomainError {
  readonly kind = 'too-large';
}

/** The work ran past its deadline and was stopped. */
export class Timeout extends DomainError {
  readonly kind = 'timeout';
}

/** The server cannot do it now (busy, shutting down, a part of it away): try again later. */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable';
}
