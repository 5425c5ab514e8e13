// UrlFetchApp as the product uses it, counted. Apps Script gives no counter of the day's UrlFetch
// calls (100,000 a day for a Workspace account, "per user", a fetchAll of n being n requests), so
// each execution counts its own, per Google service, with whether Google answered or failed
// (5xx, 429, no answer); the automation's jobs add them to the day's record (health.ts). A token
// Google refused (401) is handed back to whoever issued it, so the next call asks for a new one.
// doc: https://developers.google.com/apps-script/guides/services/quotas
// doc: https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)

import { addServicesSeen, type ServiceSeen } from '../core/health';

type UrlFetchApp = GoogleAppsScript.URL_Fetch.UrlFetchApp;
type Request = GoogleAppsScript.URL_Fetch.URLFetchRequest;
type Options = GoogleAppsScript.URL_Fetch.URLFetchRequestOptions;

export type ServiceTally = ServiceSeen;

export interface FetchTally {
  /** Requests sent (what the quota counts). */
  requests: number;
  services: Record<string, ServiceTally>;
}

/** Which Google API a URL belongs to, in the product's service names. */
export function serviceOf(url: string): string {
  const host = /^https?:\/\/([^/]+)(\/[^?]*)?/i.exec(url);
  const name = host?.[1]?.toLowerCase() ?? '';
  const path = host?.[2] ?? '';
  if (name === 'www.googleapis.com') {
    if (/^\/(upload\/|batch\/)?drive\//.test(path)) return 'drive';
    if (path.startsWith('/calendar/')) return 'calendar';
    return 'google';
  }
  if (name === 'iamcredentials.googleapis.com' || name === 'oauth2.googleapis.com') return 'auth';
  const first = name.split('.')[0] ?? name;
  return name.endsWith('.googleapis.com') ? first : name;
}

export class UsageCounter {
  private tally: FetchTally = { requests: 0, services: {} };

  /** What this execution has sent since the last take, and starts counting again. */
  take(): FetchTally {
    const out = this.tally;
    this.tally = { requests: 0, services: {} };
    return out;
  }

  /** Counts what another counter of this execution took (a part of the run composed apart). */
  add(more: FetchTally): void {
    this.tally.requests += more.requests;
    this.tally.services = addServicesSeen(this.tally.services, more.services);
  }

  /**
   * UrlFetchApp, counted. `refused` hears the bearer token of every request Google answered
   * 401 to ("Request had invalid authentication credentials").
   */
  wrap(urlFetch: UrlFetchApp, refused: (token: string) => void): UrlFetchApp {
    const fetch = (url: string, params?: Options) => {
      this.tally.requests += 1;
      const call = { service: serviceOf(url), method: methodOf(params) };
      try {
        const response = params ? urlFetch.fetch(url, params) : urlFetch.fetch(url);
        this.answered(call, response.getResponseCode(), params, refused);
        return response;
      } catch (error) {
        this.failed(call, error);
        throw error;
      }
    };
    const fetchAll = (requests: (Request | string)[]) => {
      this.tally.requests += requests.length;
      const callOf = (r: Request | string) =>
        typeof r === 'string'
          ? { service: serviceOf(r), method: methodOf(undefined) }
          : { service: serviceOf(r.url), method: methodOf(r) };
      try {
        const responses = urlFetch.fetchAll(requests);
        responses.forEach((response, i) => {
          const r = requests[i]!;
          this.answered(
            callOf(r),
            response.getResponseCode(),
            typeof r === 'string' ? undefined : r,
            refused,
          );
        });
        return responses;
      } catch (error) {
        for (const r of requests) this.failed(callOf(r), error);
        throw error;
      }
    };
    const counted: Pick<UrlFetchApp, 'fetch' | 'fetchAll' | 'getRequest'> = {
      fetch: fetch as UrlFetchApp['fetch'],
      fetchAll,
      getRequest: ((url: string, params?: Options) =>
        params
          ? urlFetch.getRequest(url, params)
          : urlFetch.getRequest(url)) as UrlFetchApp['getRequest'],
    };
    return counted as UrlFetchApp;
  }

  /** Counts one call to `service` of kind `method`, answered or failed. */
  private count(call: Call, answered: boolean, lastError: string | null = null): void {
    const s = this.tally.services[call.service] ?? { ok: 0, failed: 0, lastError: null };
    this.tally.services[call.service] = s;
    const ops = s.ops ?? {};
    s.ops = ops;
    const op = ops[call.method] ?? { ok: 0, failed: 0 };
    ops[call.method] = op;
    if (answered) {
      s.ok += 1;
      op.ok += 1;
    } else {
      s.failed += 1;
      op.failed += 1;
      s.lastError = lastError;
    }
  }

  private answered(
    call: Call,
    code: number,
    params: Options | undefined,
    refused: (token: string) => void,
  ): void {
    if (code >= 500 || code === 429) {
      this.count(call, false, `HTTP ${code}`);
      return;
    }
    this.count(call, true);
    if (code === 401) {
      const auth = (params?.headers as Record<string, string> | undefined)?.Authorization;
      const token = /^Bearer\s+(\S+)$/i.exec(auth ?? '')?.[1];
      if (token) refused(token);
    }
  }

  private failed(call: Call, error: unknown): void {
    const given = (error as { message?: unknown } | null)?.message;
    const message = typeof given === 'string' ? given : String(error);
    const code = /returned code (\d{3})/.exec(message)?.[1];
    if (code && Number(code) < 500 && Number(code) !== 429) {
      this.count(call, true);
      return;
    }
    this.count(call, false, code ? `HTTP ${code}` : 'no answer (time-out)');
  }
}

/** One request: which service, and which kind of call (its HTTP method). */
interface Call {
  service: string;
  method: string;
}

/** The request's HTTP method, as UrlFetchApp defaults it (GET). */
function methodOf(params: Options | undefined): string {
  return String(params?.method ?? 'get').toUpperCase();
}
