// Failures from Google, in the product's terms: what to do next depends only on
// whether trying again could help.

export type FailureKind =
  /** 429, 5xx, a time-out: try again on the next tick. */
  | 'transient'
  /** The thing is not there (404) or already gone (a second delete). */
  | 'gone'
  /** Not allowed (403): retrying will not help; a person must act. */
  | 'forbidden'
  /** We cannot act as this person (no delegation and not their own session). */
  | 'cannot-act-as'
  /** Anything else: a bad request, a bug. */
  | 'permanent';

export class ServiceFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly service: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ServiceFailure';
  }
}

export function isFailure(error: unknown, kind?: FailureKind): error is ServiceFailure {
  return error instanceof ServiceFailure && (kind === undefined || error.kind === kind);
}

/**
 * What no catch may swallow: Apps Script ending the execution at its time limit, and a
 * programming error. Everything else (a refusal by Google or the store) may be handled.
 */
export function mustRethrow(error: unknown): boolean {
  if (error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError)
    return true;
  return error instanceof Error && /Exceeded maximum execution time/i.test(error.message);
}
