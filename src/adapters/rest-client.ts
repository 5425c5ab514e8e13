// JSON over UrlFetchApp for the REST APIs without an advanced service (Meet), and for
// calls made as another user through domain-wide delegation. `muteHttpExceptions` lets
// us read Google's error body instead of a truncated exception message.

import { ServiceFailure } from '../core/errors';
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
 * Requests per fetchAll. Bigger chunks mean fewer round trips; smaller ones lose less when
 * one request times out and takes the chunk's answers with it.
 */
const CHUNK = 10;

/**
 * What to do when a whole chunk is lost to a time-out: `again` asks for the chunk once
 * more (reads, which the next run would retry anyway); `one-by-one` asks request by request
 * (deletes that must happen now); `never` gives up (creates, which must not be repeated).
 */
export type OnLostChunk = 'again' | 'one-by-one' | 'never';

export class RestClient {
  constructor(
    private readonly urlFetch: GoogleAppsScript.URL_Fetch.UrlFetchApp,
    private readonly service: string,
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
      const batch = chunk.map((c) => c.r);
      let answers = this.fetchChunk<T>(batch);
      if (answers === null && onLost === 'again') answers = this.fetchChunk<T>(batch);
      if (answers === null && onLost === 'one-by-one')
        answers = batch.map((r) => this.tryJson<T>(r));
      chunk.forEach((c, j) => {
        out[c.index] =
          answers?.[j] ??
          new ServiceFailure('transient', this.service, 'No answer to a batch of requests');
      });
    }
    return out;
  }

  private tryJson<T>(request: RestRequest): T | ServiceFailure {
    try {
      return this.json<T>(request);
    } catch (error) {
      if (error instanceof ServiceFailure) return error;
      throw error;
    }
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
