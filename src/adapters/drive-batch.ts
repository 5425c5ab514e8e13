// Drive's batch endpoint: up to 100 calls in one multipart/mixed HTTP request, answered part by
// part, so one failing part does not fail the others. The purge and the hold markers use it.
// doc: https://developers.google.com/workspace/drive/api/guides/performance#batch-requests

import { ServiceFailure } from '../core/errors';
import type { WorkBudget } from '../core/ports';
import { failureFromException, failureFromResponse } from './google-failure';

export const DRIVE_BATCH_URL = 'https://www.googleapis.com/batch/drive/v3';
/** doc: performance#batch-requests — "You're limited to 100 calls in a single batch request." */
export const DRIVE_BATCH_LIMIT = 100;

export interface BatchCall {
  method: 'GET' | 'PATCH' | 'DELETE';
  /** Path and query under https://www.googleapis.com, e.g. /drive/v3/files/ID?supportsAllDrives=true */
  path: string;
  body?: unknown;
}

export interface BatchAnswer {
  code: number;
  body: string;
}

export class DriveBatch {
  constructor(
    private readonly urlFetch: GoogleAppsScript.URL_Fetch.UrlFetchApp,
    private readonly token: () => string,
    private readonly utilities: Pick<GoogleAppsScript.Utilities.Utilities, 'getUuid'>,
    /** A run's time budget: no batch starts after it (the 6-minute limit). */
    private readonly budget: WorkBudget = { stopAt: Number.POSITIVE_INFINITY },
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * Sends the calls 100 to a request. Throws (a ServiceFailure) when a request as a whole got
   * no usable answer: the caller must then find out what happened before trying again.
   */
  run(calls: readonly BatchCall[]): BatchAnswer[] {
    const out: BatchAnswer[] = [];
    for (let start = 0; start < calls.length; start += DRIVE_BATCH_LIMIT) {
      out.push(...this.once(calls.slice(start, start + DRIVE_BATCH_LIMIT)));
    }
    return out;
  }

  private once(calls: readonly BatchCall[]): BatchAnswer[] {
    if (calls.length === 0) return [];
    if (this.now() >= this.budget.stopAt)
      throw new ServiceFailure('transient', 'drive', 'Not sent: the run is out of time');
    const boundary = `sll_${this.utilities.getUuid().replace(/-/g, '')}`;
    const parts = calls.map((call, i) => {
      const lines = [
        `--${boundary}`,
        'Content-Type: application/http',
        `Content-ID: <item${i}>`,
        '',
        `${call.method} ${call.path} HTTP/1.1`,
      ];
      if (call.body !== undefined)
        lines.push('Content-Type: application/json; charset=UTF-8', '', JSON.stringify(call.body));
      else lines.push('');
      return lines.join('\r\n');
    });
    const payload = `${parts.join('\r\n')}\r\n--${boundary}--\r\n`;
    let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
    try {
      response = this.urlFetch.fetch(DRIVE_BATCH_URL, {
        method: 'post',
        contentType: `multipart/mixed; boundary=${boundary}`,
        payload,
        headers: { Authorization: `Bearer ${this.token()}` },
        muteHttpExceptions: true,
      });
    } catch (error) {
      throw failureFromException('drive', error);
    }
    const code = response.getResponseCode();
    const text = response.getContentText();
    if (code < 200 || code >= 300) throw failureFromResponse('drive', code, text);
    const headers = response.getHeaders() as Record<string, string>;
    const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    const answerBoundary = /boundary="?([^";]+)"?/i.exec(type ?? '')?.[1];
    if (!answerBoundary) throw new ServiceFailure('transient', 'drive', 'Unreadable batch answer');
    return parseBatchAnswer(text, answerBoundary, calls.length);
  }
}

/**
 * Reads a multipart/mixed batch answer. Parts are matched by Content-ID ("response-itemN"),
 * falling back to their order; a part that is missing counts as a 500 (try again).
 */
export function parseBatchAnswer(text: string, boundary: string, count: number): BatchAnswer[] {
  const out: (BatchAnswer | undefined)[] = new Array(count).fill(undefined);
  const chunks = text.split(`--${boundary}`).slice(1);
  let order = 0;
  for (const chunk of chunks) {
    if (chunk.startsWith('--')) break;
    const status = /HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(chunk);
    if (!status) continue;
    const id = /Content-ID:\s*<?response-item(\d+)>?/i.exec(chunk)?.[1];
    const index = id !== undefined ? Number(id) : order;
    order += 1;
    const afterStatus = chunk.slice(status.index);
    const blank = /\r?\n\r?\n/.exec(afterStatus);
    const body = blank ? afterStatus.slice(blank.index + blank[0].length).trim() : '';
    if (index >= 0 && index < count) out[index] = { code: Number(status[1]), body };
  }
  return out.map((a) => a ?? { code: 500, body: '' });
}
