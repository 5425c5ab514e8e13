// Maps what Apps Script throws or Google answers to the product's ServiceFailure, so
// use cases only ask "try again later, or not?".

import { type FailureKind, ServiceFailure } from '../core/errors';

const TRANSIENT_MESSAGES = [
  /empty response/i,
  /server error occurred/i,
  /timeout/i,
  /timed out/i,
  /service unavailable/i,
  /backend error/i,
  /rate limit/i,
  /too many/i,
  /address unavailable/i,
  /temporarily/i,
  /failed while accessing document/i,
  /invoked too many times in a short time/i,
  /service error/i,
];

export function kindForStatus(code: number): FailureKind {
  if (code === 429 || code === 401 || code >= 500) return 'transient';
  if (code === 404 || code === 410) return 'gone';
  if (code === 403) return 'forbidden';
  return 'permanent';
}

/** An advanced service's GoogleJsonResponseException, or an Apps Script service exception. */
export function failureFromException(service: string, error: unknown): ServiceFailure {
  if (error instanceof ServiceFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/Exceeded maximum execution time/i.test(message)) throw error;
  const details = (
    error as { details?: { code?: number; message?: string; status?: string } } | null
  )?.details;
  if (details && typeof details.code === 'number') {
    const text = details.status
      ? `${details.message ?? message} (${details.status})`
      : (details.message ?? message);
    return new ServiceFailure(kindForStatus(details.code), service, text, details.code);
  }
  const status = /returned code (\d{3})/.exec(message)?.[1];
  if (status)
    return new ServiceFailure(kindForStatus(Number(status)), service, message, Number(status));
  // doc: https://support.google.com/drive/answer/37603 (10 million cells a spreadsheet). The
  // exception's words, as Apps Script gives them: "This action would increase the number of
  // cells in the workbook above the limit of 10000000 cells."
  if (/above the limit of [\d,. ]+ cells/i.test(message))
    return new ServiceFailure('permanent', service, message, undefined, undefined, true);
  if (TRANSIENT_MESSAGES.some((re) => re.test(message)))
    return new ServiceFailure('transient', service, message);
  return new ServiceFailure('permanent', service, message);
}

/** A Google JSON error body `{error: {code, message, status}}` (or OAuth's `{error, error_description}`). */
export function failureFromResponse(service: string, code: number, body: string): ServiceFailure {
  let message = `HTTP ${code}`;
  let status = '';
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: string; status?: string } | string;
      error_description?: string;
    };
    if (typeof parsed.error === 'object' && parsed.error) {
      message = parsed.error.message ?? message;
      status = parsed.error.status ?? '';
    } else if (typeof parsed.error === 'string') {
      message = `${parsed.error}: ${parsed.error_description ?? ''}`;
    }
  } catch {
    // Not JSON (a front-end error page): the status code says enough.
  }
  // Keep the canonical status in the message: "already deleted" is FAILED_PRECONDITION.
  const text = status && !message.includes(status) ? `${message} (${status})` : message;
  return new ServiceFailure(kindForStatus(code), service, text, code);
}

/** Runs one Google call, translating whatever it throws. */
export function guarded<T>(service: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw failureFromException(service, error);
  }
}
