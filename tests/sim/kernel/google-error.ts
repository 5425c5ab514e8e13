// Google's error model (https://cloud.google.com/apis/design/errors): an HTTP code,
// a canonical status and a message, and the two ways Apps Script surfaces it.

export type CanonicalStatus =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'OUT_OF_RANGE'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ABORTED'
  | 'ALREADY_EXISTS'
  | 'RESOURCE_EXHAUSTED'
  | 'CANCELLED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'GONE';

const HTTP_CODE: Record<CanonicalStatus, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ABORTED: 409,
  ALREADY_EXISTS: 409,
  GONE: 410,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** An API-level failure, thrown inside simulated services and mapped at the edge. */
export class GoogleApiError extends Error {
  readonly code: number;
  constructor(
    readonly status: CanonicalStatus,
    message: string,
    /** Older APIs (Drive, Calendar) also send `errors[0].reason`, e.g. `fullSyncRequired`. */
    readonly reason?: string,
    code?: number,
  ) {
    super(message);
    this.name = 'GoogleApiError';
    this.code = code ?? HTTP_CODE[status];
  }

  /** The JSON body Google's REST endpoints return. */
  toJsonBody(): { error: Record<string, unknown> } {
    const body: Record<string, unknown> = {
      code: this.code,
      message: this.message,
      status: this.status,
    };
    if (this.reason)
      body.errors = [{ message: this.message, domain: 'global', reason: this.reason }];
    return { error: body };
  }
}

/**
 * What an advanced service (Calendar, Classroom, Drive) throws in Apps Script: a
 * GoogleJsonResponseException whose message is "API call to <method> failed with
 * error: <message>" and whose `details` carries the JSON error (code, message, errors).
 */
export function advancedServiceException(method: string, error: GoogleApiError): Error {
  const exception = new Error(`API call to ${method} failed with error: ${error.message}`);
  exception.name = 'GoogleJsonResponseException';
  Object.assign(exception, { details: error.toJsonBody().error });
  return exception;
}

/** Apps Script's own failure when an execution passes its time limit; it cannot be recovered from. */
export class ExecutionTimeLimitError extends Error {
  constructor() {
    super('Exceeded maximum execution time');
    this.name = 'Exception';
  }
}

/** Plain Apps Script `Exception`s (service errors, lock time-outs, quota). */
export function appsScriptException(message: string): Error {
  const error = new Error(message);
  error.name = 'Exception';
  return error;
}
