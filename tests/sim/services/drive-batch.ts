// Drive's HTTP batch endpoint: up to 100 Drive calls in one multipart/mixed request, each
// answered in its own part, so a part can fail while the others succeed.
// doc: https://developers.google.com/workspace/drive/api/guides/performance#batch-requests

import { GoogleApiError } from '../kernel/google-error';
import { RawResponse, type SimHttpRequest, type SimHttpResponse } from '../kernel/http';
import type { SimKernel } from '../kernel/kernel';
import type { Principal } from '../kernel/tokens';

export const DRIVE_BATCH_URL = 'https://www.googleapis.com/batch/drive/v3';
/** doc: "You're limited to 100 calls in a single batch request." */
export const DRIVE_BATCH_LIMIT = 100;

const REASON_PHRASES: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface BatchPart {
  contentId: string | undefined;
  request: SimHttpRequest;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Splits header lines ("Name: value") from a block of text. */
function parseHeaders(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits `text` at the first blank line into header lines and the rest. */
function splitHead(text: string): { head: string[]; rest: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text.split(/\r?\n/).filter((l) => l !== ''), rest: '' };
  return { head: text.slice(0, m.index).split(/\r?\n/), rest: text.slice(m.index + m[0].length) };
}

function badBatch(message: string): GoogleApiError {
  return new GoogleApiError('INVALID_ARGUMENT', message, 'badRequest');
}

/** Parses a multipart/mixed batch body into inner HTTP requests. */
export function parseBatchBody(body: string, boundary: string): BatchPart[] {
  const parts: BatchPart[] = [];
  const chunks = body.split(`--${boundary}`);
  // chunks[0] is the preamble; the chunk after the closing delimiter starts with "--".
  for (const raw of chunks.slice(1)) {
    if (raw.startsWith('--')) break;
    const chunk = raw.replace(/^\r?\n/, '');
    if (chunk.trim() === '') continue;
    const outer = splitHead(chunk);
    const partHeaders = parseHeaders(outer.head);
    if (!/^application\/http/i.test(header(partHeaders, 'Content-Type') ?? '')) {
      throw badBatch('Each batch part must have Content-Type: application/http.');
    }
    const inner = splitHead(outer.rest);
    const [requestLine, ...headerLines] = inner.head;
    const m = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?$/.exec((requestLine ?? '').trim());
    if (!m) throw badBatch(`Invalid request line in batch part: ${requestLine ?? ''}`);
    const target = m[2]!;
    const headers = parseHeaders(headerLines);
    parts.push({
      contentId: header(partHeaders, 'Content-ID'),
      request: {
        method: m[1]!,
        url: target.startsWith('/') ? `https://www.googleapis.com${target}` : target,
        headers,
        body: inner.rest.replace(/\r?\n$/, ''),
        contentType: header(headers, 'Content-Type'),
      },
    });
  }
  return parts;
}

/** doc: the response part's Content-ID is the request's, prefixed with "response-". */
function responseContentId(contentId: string): string {
  const bare = contentId.replace(/^<|>$/g, '');
  return `<response-${bare}>`;
}

function renderPart(contentId: string | undefined, response: SimHttpResponse): string {
  const lines = ['Content-Type: application/http'];
  // Without a request Content-ID there is nothing to mirror (no doc says what Google sends then).
  if (contentId !== undefined) lines.push(`Content-ID: ${responseContentId(contentId)}`);
  lines.push('', `HTTP/1.1 ${response.code} ${REASON_PHRASES[response.code] ?? ''}`.trimEnd());
  for (const [key, value] of Object.entries(response.headers)) lines.push(`${key}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(response.body)}`, '', response.body);
  return lines.join('\r\n');
}

function errorResponse(error: GoogleApiError): SimHttpResponse {
  return {
    code: error.code,
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: JSON.stringify(error.toJsonBody(), null, 2),
  };
}

/**
 * Registers `POST https://www.googleapis.com/batch/drive/v3` (call key `drive.batch`). Each part
 * is run through `kernel.invoke` as `drive.batch.part.<method>` (e.g.
 * `drive.batch.part.files.delete`), so benchmarks count both and faults can hit single parts.
 */
export function registerDriveBatch(kernel: SimKernel): void {
  kernel.http.route(`POST ${DRIVE_BATCH_URL}`, 'drive.batch', (ctx) => {
    const contentType =
      ctx.request.contentType ?? header(ctx.request.headers, 'Content-Type') ?? '';
    const boundary = /^multipart\/mixed\s*;.*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary)
      throw badBatch('Batch requests must have Content-Type: multipart/mixed with a boundary.');
    const parts = parseBatchBody(ctx.request.body, boundary);
    if (parts.length === 0) throw badBatch('Batch request contains no parts.');
    // doc: "Batch requests with more than 100 calls may result in an error." The message is ours.
    if (parts.length > DRIVE_BATCH_LIMIT) {
      throw badBatch(
        `Too many requests in batch: ${parts.length}. A batch may contain at most ${DRIVE_BATCH_LIMIT} requests.`,
      );
    }
    // doc: outer headers (except Content-*) apply to every part unless the part overrides them.
    const outerAuth = header(ctx.request.headers, 'Authorization');
    const responses = parts.map((part) => runPart(kernel, part, outerAuth, ctx.principal));
    const out = `batch_sim${kernel.now().toString(36)}`;
    const body = `${parts.map((part, i) => `--${out}\r\n${renderPart(part.contentId, responses[i]!)}`).join('\r\n')}\r\n--${out}--\r\n`;
    return new RawResponse({
      code: 200,
      headers: { 'Content-Type': `multipart/mixed; boundary=${out}` },
      body,
    });
  });
}

function runPart(
  kernel: SimKernel,
  part: BatchPart,
  outerAuth: string | undefined,
  outerPrincipal: Principal,
): SimHttpResponse {
  const matched = kernel.http.match(part.request);
  // doc: "All the inner requests must go to the same Google API" (Drive v3 here).
  if (!matched?.route.key.startsWith('drive.') || matched.route.key === 'drive.batch') {
    return errorResponse(new GoogleApiError('NOT_FOUND', 'Not Found', 'notFound'));
  }
  const key = `drive.batch.part.${matched.route.key.slice('drive.'.length)}`;
  try {
    return kernel.invoke(key, () => {
      const partAuth = header(part.request.headers, 'Authorization');
      const principal =
        partAuth && partAuth !== outerAuth
          ? kernel.tokens.resolve(partAuth, kernel.now())
          : outerPrincipal;
      return kernel.http.handle(matched, part.request, principal);
    });
  } catch (error) {
    // An injected fault (or a bad part token) fails this part only; a transport time-out
    // or the execution's time limit still ends the whole batch, as a lost connection would.
    if (error instanceof GoogleApiError) return errorResponse(error);
    throw error;
  }
}
