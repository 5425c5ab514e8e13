// JSON over UrlFetchApp for the REST APIs without an advanced service (Meet), and for
// calls made as another user through domain-wide delegation. `muteHttpExceptions` lets
// us read Google's error body instead of a truncated exception message.

import { ServiceFailure } from '../core/errors';
import type { WorkBudget } from '../core/ports';
import { failureFromException, failureFromResponse } from './google-failure';

export interface RestRequest {
  method: 'get' | 'post' | 'patch' | 'delete' | 'put';
  url: string;
  token: string;
  body?: unknown;
}

export interface RestResponse {
  code: number;
  text: string;
}

/**
 * Requests per fetchAll. A fetchAll costs its slowest member, so with a latency tail (1 request
 * in 100 takes seconds) fewer, bigger rounds finish sooner; smaller ones lose less when one
 * request times out and takes the round's answers with it. 100: 300 lessons in 3 rounds.
 */
const CHUNK = 100;

/**
 * What to do when a whole round is lost to a time-out: `again` sends the round once more, all
 * together (reads, and deletes and ends, which are safe to repeat: what already happened
 * answers "already gone"); `twice` sends it once more with each request twice, and takes the
 * answered one of each pair (the safety steps: a link taken down, a call ended, where another
 * request lost would cost another minute, as a request with no answer costs UrlFetch a minute);
 * `never` gives up (creates, which must not be repeated, and looks the caller repeats within
 * seconds anyway).
 */
export type OnLostChunk = 'again' | 'twice' | 'never';

export class RestClient {
  constructor(
    private readonly urlFetch: GoogleAppsScript.URL_Fetch.UrlFetchApp,
    private readonly service: string,
    /** A run's time budget: no new round of requests starts after it (the 6-minute limit). */
    private readonly budget: WorkBudget = { stopAt: Number.POSITIVE_INFINITY },
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** One request; a non-2xx answer becomes a ServiceFailure. */
  json<T>(request: RestRequest): T {
    const response = this.raw(request);
    return this.parse<T>(request, response);
  }

  /**
   * Many requests at once (UrlFetchApp.fetchAll): one round trip of wall time. fetchAll
   * throws when any one request fails below HTTP (a time-out), losing every answer, so
   * requests go in small chunks, and a lost chunk is handled as `onLost` says.
   */
  jsonAll<T>(
    requests: readonly (RestRequest | ServiceFailure)[],
    onLost: OnLostChunk = 'again',
  ): (T | ServiceFailure)[] {
    const chunkSize = CHUNK;
    // A request that could not even be built (no token for that teacher) fails alone.
    const out: (T | ServiceFailure)[] = requests.map((r) =>
      r instanceof ServiceFailure ? r : (undefined as unknown as T),
    );
    const pending = requests.flatMap((r, index) =>
      r instanceof ServiceFailure ? [] : [{ r, index }],
    );
    for (let i = 0; i < pending.length; i += chunkSize) {
      const chunk = pending.slice(i, i + chunkSize);
      if (this.now() >= this.budget.stopAt) {
        // Out of time: the rest is not sent; its callers retry on the next run.
        for (const c of chunk)
          out[c.index] = new ServiceFailure(
            'transient',
            this.service,
            'Not sent: the run is out of time',
          );
        continue;
      }
      const batch = chunk.map((c) => c.r);
      let answers = this.fetchChunk<T>(batch);
      // A lost round is asked again only while there is time: an unanswered request can take
      // a minute, and the run must end before Apps Script's 6-minute limit.
      const inTime = () => this.now() < this.budget.stopAt;
      if (answers === null && onLost === 'again' && inTime()) answers = this.fetchChunk<T>(batch);
      if (answers === null && onLost === 'twice' && inTime()) {
        const pairs = this.fetchChunk<T>([...batch, ...batch]);
        answers = pairs && batch.map((_, j) => eitherAnswer(pairs[j]!, pairs[j + batch.length]!));
      }
      chunk.forEach((c, j) => {
        out[c.index] =
          answers?.[j] ??
          new ServiceFailure('transient', this.service, 'No answer to a batch of requests');
      });
    }
    return out;
  }

  /**
   * Every page of a list for many items: the first pages of all items in one parallel round,
   * then the further pages of those that have them. An item whose page failed answers with
   * the failure.
   */
  pagedAll<P extends { nextPageToken?: string }, I, T>(
    items: readonly I[],
    request: (item: I, pageToken?: string) => RestRequest,
    read: (page: P) => T[],
    onLost: OnLostChunk = 'again',
  ): (T[] | ServiceFailure)[] {
    const out: (T[] | ServiceFailure)[] = items.map(() => []);
    let round = items.map((item, index) => ({
      item,
      index,
      token: undefined as string | undefined,
    }));
    while (round.length > 0) {
      const answers = this.jsonAll<P>(
        RestClient.build(round, (r) => request(r.item, r.token)),
        onLost,
      );
      const next: typeof round = [];
      round.forEach((r, i) => {
        const page = answers[i]!;
        const sofar = out[r.index]!;
        if (sofar instanceof ServiceFailure) return;
        if (page instanceof ServiceFailure) {
          out[r.index] = page;
          return;
        }
        sofar.push(...read(page));
        if (page.nextPageToken) next.push({ ...r, token: page.nextPageToken });
      });
      round = next;
    }
    return out;
  }

  /** Builds one request per item; an item whose request cannot be built becomes its failure. */
  static build<I>(
    items: readonly I[],
    make: (item: I) => RestRequest,
  ): (RestRequest | ServiceFailure)[] {
    return items.map((item) => {
      try {
        return make(item);
      } catch (error) {
        if (error instanceof ServiceFailure) return error;
        throw error;
      }
    });
  }

  private fetchChunk<T>(requests: readonly RestRequest[]): (T | ServiceFailure)[] | null {
    let responses: GoogleAppsScript.URL_Fetch.HTTPResponse[];
    try {
      responses = this.urlFetch.fetchAll(requests.map((r) => ({ url: r.url, ...this.params(r) })));
    } catch (error) {
      failureFromException(this.service, error);
      return null;
    }
    return responses.map((response, i) => {
      try {
        return this.parse<T>(requests[i]!, {
          code: response.getResponseCode(),
          text: response.getContentText(),
        });
      } catch (error) {
        if (error instanceof ServiceFailure) return error;
        throw error;
      }
    });
  }

  private raw(request: RestRequest): RestResponse {
    // Out of time: not sent (it could wait a minute for its answer); the caller retries later.
    if (this.now() >= this.budget.stopAt)
      throw new ServiceFailure('transient', this.service, 'Not sent: the run is out of time');
    try {
      const response = this.urlFetch.fetch(request.url, this.params(request));
      return { code: response.getResponseCode(), text: response.getContentText() };
    } catch (error) {
      throw failureFromException(this.service, error);
    }
  }

  private parse<T>(request: RestRequest, response: RestResponse): T {
    if (response.code < 200 || response.code >= 300)
      throw failureFromResponse(this.service, response.code, response.text);
    if (!response.text) return {} as T;
    try {
      return JSON.parse(response.text) as T;
    } catch {
      throw new ServiceFailure(
        'transient',
        this.service,
        `Unreadable answer from ${request.url.split('?')[0]}`,
      );
    }
  }

  private params(request: RestRequest): GoogleAppsScript.URL_Fetch.URLFetchRequestOptions {
    const params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions = {
      method: request.method,
      headers: { Authorization: `Bearer ${request.token}` },
      muteHttpExceptions: true,
    };
    if (request.body !== undefined) {
      params.contentType = 'application/json';
      params.payload = JSON.stringify(request.body);
    }
    return params;
  }
}

/** `?a=1&b=2` from a record, encoding values (Apps Script has no URLSearchParams). */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Of two answers to the same request, one that is not a failure, else the first. */
function eitherAnswer<T>(a: T | ServiceFailure, b: T | ServiceFailure): T | ServiceFailure {
  return a instanceof ServiceFailure && !(b instanceof ServiceFailure) ? b : a;
}
