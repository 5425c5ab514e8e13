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
    /**
     * For 'cannot-act-as': 'account' when Google refuses this one account (deleted, suspended,
     * renamed: health.ts `refusalScope`), not the automation's delegation as a whole.
     */
    readonly refused?: 'account',
    /**
     * Sheets refused to add cells: the spreadsheet holds the 10 million Google allows (every
     * cell of every sheet's grid counts). Trying again cannot help until a new log is started.
     */
    readonly full?: true,
  ) {
    super(message);
    this.name = 'ServiceFailure';
  }
}

/** The log spreadsheet has no cells left for a write (Google's 10 million per spreadsheet). */
export function isSpreadsheetFull(error: unknown): boolean {
  return isFailure(error, 'permanent') && error.full === true;
}

/** Google refuses to let the automation act as this one teacher's account (R28: only an admin can fix it). */
export function isAccountRefused(error: unknown): boolean {
  return isFailure(error, 'cannot-act-as') && error.refused === 'account';
}

export function isFailure(error: unknown, kind?: FailureKind): error is ServiceFailure {
  return error instanceof ServiceFailure && (kind === undefined || error.kind === kind);
}

/** A programming error: never swallowed (a refusal by the store or a service may be). */
export function isBug(error: unknown): boolean {
  return (
    error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError
  );
}

/** Apps Script ending the execution at its time limit: never swallowed. */
export function isKilled(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /Exceeded maximum execution time/i.test(message);
}

/** An error in a few words for the operators' log and the admin: no message, so no names. */
export function errorName(error: unknown): string {
  if (isFailure(error)) return `${error.service} ${error.kind}`;
  if (isKilled(error)) return 'cut off at the 6-minute limit';
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'error';
}

/** What no catch may swallow: a bug, or the execution's time limit. */
export function mustRethrow(error: unknown): boolean {
  return isBug(error) || isKilled(error);
}
