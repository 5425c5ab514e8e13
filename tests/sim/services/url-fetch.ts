// UrlFetchApp: the product's only way to the REST APIs (Meet, OAuth, IAM, Admin...).
// Every request goes through the kernel (count, latency, faults) and comes back as
// Apps Script would hand it over: an HTTPResponse, or one of Apps Script's exceptions.

import { appsScriptException, GoogleApiError } from '../kernel/google-error';
import type { MatchedRoute, SimHttpRequest, SimHttpResponse } from '../kernel/http';
import { jsonResponse } from '../kernel/http';
import { type SimKernel, TransportTimeout } from '../kernel/kernel';
import type { Principal } from '../kernel/tokens';

type Options = GoogleAppsScript.URL_Fetch.URLFetchRequestOptions;
type Request = GoogleAppsScript.URL_Fetch.URLFetchRequest;
type Blob = GoogleAppsScript.Base.Blob;

const DAY_MS = 86_400_000;
// doc: https://developers.google.com/apps-script/guides/services/quotas (URL Fetch calls: 100,000 / day for Workspace accounts)
export const URLFETCH_DAILY_QUOTA = 100_000;
const EXTERNAL_REQUEST_SCOPE = 'https://www.googleapis.com/auth/script.external_request';

/** A minimal but complete Blob over a string body (responses here are text: JSON or HTML). */
class SimBlob implements Blob {
  constructor(
    private data: string,
    private contentType: string | null,
    private name: string | null = null,
  ) {}
  copyBlob(): Blob {
    return new SimBlob(this.data, this.contentType, this.name);
  }
  getAs(contentType: string): Blob {
    return new SimBlob(this.data, contentType, this.name);
  }
  getBytes(): number[] {
    return [...Buffer.from(this.data, 'utf8')].map((b) => (b > 127 ? b - 256 : b));
  }
  getContentType(): string | null {
    return this.contentType;
  }
  getDataAsString(_charset?: string): string {
    return this.data;
  }
  getName(): string | null {
    return this.name;
  }
  isGoogleType(): boolean {
    return false;
  }
  setBytes(data: number[]): Blob {
    this.data = Buffer.from(data.map((b) => b & 0xff)).toString('utf8');
    return this;
  }
  setContentType(contentType: string | null): Blob {
    this.contentType = contentType;
    return this;
  }
  setContentTypeFromExtension(): Blob {
    return this;
  }
  setDataFromString(data: string, _charset?: string): Blob {
    this.data = data;
    return this;
  }
  setName(name: string): Blob {
    this.name = name;
    return this;
  }
  getAllBlobs(): Blob[] {
    return [this];
  }
  getBlob(): Blob {
    return this;
  }
}

/** What UrlFetchApp.fetch returns. */
class SimHttpResponseObject implements GoogleAppsScript.URL_Fetch.HTTPResponse {
  constructor(private readonly response: SimHttpResponse) {}
  getResponseCode(): number {
    return this.response.code;
  }
  getContentText(_charset?: string): string {
    return this.response.body;
  }
  getContent(): number[] {
    return this.getBlob().getBytes();
  }
  getHeaders(): Record<string, string> {
    return { ...this.response.headers };
  }
  getAllHeaders(): Record<string, string> {
    return { ...this.response.headers };
  }
  getBlob(): Blob {
    return new SimBlob(this.response.body, this.response.headers['Content-Type'] ?? null);
  }
  getAs(contentType: string): Blob {
    return this.getBlob().getAs(contentType);
  }
}

/**
 * Google's front end answers an unknown path with its HTML 404 page (style block left out).
 * doc: none — the page shape is what https://www.googleapis.com/nope returns in a browser.
 */
function notFoundPage(path: string): SimHttpResponse {
  return {
    code: 404,
    headers: { 'Content-Type': 'text/html; charset=UTF-8' },
    body:
      '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n' +
      '  <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">\n' +
      '  <title>Error 404 (Not Found)!!1</title>\n' +
      '  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>\n' +
      '  <p><b>404.</b> <ins>That’s an error.</ins>\n' +
      `  <p>The requested URL <code>${path}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`,
  };
}

/**
 * True when `url` is allowed by one manifest prefix.
 * doc: https://developers.google.com/apps-script/manifest/allowlist-url — path matching is
 * case-sensitive; the URL must equal the prefix or be a child of it (`/foo` matches `/foo/bar`,
 * `/foo?bar`, `/foo#bar`); a single leading `*.` matches one or more subdomains (not the bare domain).
 */
export function matchesAllowlistPrefix(prefix: string, url: string): boolean {
  const p = /^https:\/\/([^/]+)(\/.*)$/.exec(prefix);
  const u = /^https:\/\/([^/?#]+)([/?#].*)?$/.exec(url);
  if (!p || !u) return false;
  const [, prefixHost, prefixPath] = p as unknown as [string, string, string];
  const urlHost = u[1]!.toLowerCase();
  const urlPath = u[2] ?? '/';
  const hostOk = prefixHost.startsWith('*.')
    ? urlHost.endsWith(prefixHost.slice(1).toLowerCase())
    : urlHost === prefixHost.toLowerCase();
  if (!hostOk || !urlPath.startsWith(prefixPath)) return false;
  if (urlPath.length === prefixPath.length || prefixPath.endsWith('/')) return true;
  return '/?#'.includes(urlPath[prefixPath.length]!);
}

/**
 * Apps Script's form encoding of an object payload.
 * doc: https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#advanced-parameters
 * ("a JavaScript object ... is interpreted as a map of form field names to values").
 */
function formEncode(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

function headerLookup(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Apps Script's exception for a non-2xx response when muteHttpExceptions is off. */
function requestFailed(url: string, response: SimHttpResponse): Error {
  // Observed wording (e.g. "Request failed for https://api.openai.com returned code 404. Truncated
  // server response: {...} (use muteHttpExceptions option to examine full response)"): it names the
  // scheme and host only, and keeps about 150 characters of the body ("..." included).
  const { protocol, host } = new URL(url);
  const body = response.body.length > 150 ? `${response.body.slice(0, 147)}...` : response.body;
  return appsScriptException(
    `Request failed for ${protocol}//${host} returned code ${response.code}. ` +
      `Truncated server response: ${body} (use muteHttpExceptions option to examine full response)`,
  );
}

export interface SimUrlFetchOptions {
  /** URL Fetch calls a user may make per day (tests lower it). */
  dailyQuota?: number;
}

/** The counter key of one UrlFetch request on the wire (not a Google service prefix). */
export const URLFETCH_REQUEST = 'urlfetch.request';

export class SimUrlFetch {
  /** Calls counted per user per simulated (UTC) day, for the daily quota. */
  private daily = new Map<string, number>();
  dailyQuota: number;

  constructor(
    private readonly kernel: SimKernel,
    /** The manifest's `urlFetchWhitelist`; empty means no allowlist was defined. */
    private readonly whitelist: string[],
    options: SimUrlFetchOptions = {},
  ) {
    this.dailyQuota = options.dailyQuota ?? URLFETCH_DAILY_QUOTA;
  }

  global() {
    const app = {
      fetch: (url: string, params: Options = {}) => this.fetch(url, params),
      fetchAll: (requests: Array<Request | string>) => this.fetchAll(requests),
      getRequest: (url: string, params: Options = {}) => this.getRequest(url, params),
    };
    return app satisfies GoogleAppsScript.URL_Fetch.UrlFetchApp;
  }

  fetch(url: string, params: Options = {}): GoogleAppsScript.URL_Fetch.HTTPResponse {
    const request = this.prepare(url, params);
    const response = this.send(request);
    if (!params.muteHttpExceptions && (response.code < 200 || response.code >= 300)) {
      throw requestFailed(url, response);
    }
    return new SimHttpResponseObject(response);
  }

  /**
   * doc: https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)
   * The requests run concurrently (the clock moves once, by the slowest); responses keep the
   * request order. Every request is sent before the first failure is thrown.
   */
  fetchAll(requests: Array<Request | string>): GoogleAppsScript.URL_Fetch.HTTPResponse[] {
    const specs = requests.map((r) => (typeof r === 'string' ? { url: r } : r));
    const prepared = specs.map((r) => this.prepare(r.url, r));
    const outcomes = this.kernel.parallel(() =>
      prepared.map((request) => {
        try {
          return { response: this.send(request) };
        } catch (error) {
          return { error };
        }
      }),
    );
    return outcomes.map((outcome, i) => {
      if ('error' in outcome) throw outcome.error;
      const { response } = outcome;
      if (!specs[i]!.muteHttpExceptions && (response.code < 200 || response.code >= 300)) {
        throw requestFailed(specs[i]!.url, response);
      }
      return new SimHttpResponseObject(response);
    });
  }

  /** doc: https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#getRequest(String,Object) */
  getRequest(url: string, params: Options = {}): Request {
    const request = this.buildRequest(url, params);
    return {
      url,
      method: (params.method ?? 'get') as GoogleAppsScript.URL_Fetch.HttpMethod,
      headers: { ...(params.headers ?? {}) },
      contentType: request.contentType,
      payload: request.body,
      followRedirects: params.followRedirects ?? true,
      validateHttpsCertificates: params.validateHttpsCertificates ?? true,
      useIntranet: false,
    };
  }

  /** Calls made today by the current user (for tests and the soak report). */
  usedToday(): number {
    return this.daily.get(this.quotaKey()) ?? 0;
  }

  /** Calls made by `user` on the simulated (UTC) day holding `at` (for benchmarks). */
  usedBy(user: string, at: number): number {
    return this.daily.get(`${user.toLowerCase()}|${Math.floor(at / DAY_MS)}`) ?? 0;
  }

  private quotaKey(): string {
    const user = this.kernel.current()?.user ?? '(no execution)';
    return `${user}|${Math.floor(this.kernel.now() / DAY_MS)}`;
  }

  private buildRequest(url: string, params: Options): SimHttpRequest {
    const headers: Record<string, string> = { ...(params.headers ?? {}) };
    let body = '';
    let contentType = params.contentType;
    const payload = params.payload;
    if (typeof payload === 'string') body = payload;
    else if (payload && typeof (payload as Blob).getDataAsString === 'function') {
      body = (payload as Blob).getDataAsString();
      contentType ??= (payload as Blob).getContentType() ?? undefined;
    } else if (payload && typeof payload === 'object') {
      body = formEncode(payload as Record<string, unknown>);
    }
    // doc: https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#advanced-parameters
    // (contentType defaults to 'application/x-www-form-urlencoded')
    if (payload !== undefined) contentType ??= 'application/x-www-form-urlencoded';
    if (contentType) headers['Content-Type'] = contentType;
    return {
      method: (params.method ?? 'get').toUpperCase(),
      url,
      headers,
      body,
      ...(contentType ? { contentType } : {}),
    };
  }

  /** The checks Apps Script makes before anything leaves the runtime. */
  private prepare(url: string, params: Options): SimHttpRequest {
    // An explicit oauthScopes list must include external_request; when the manifest lists no
    // scopes, Apps Script detects the scope from the code, so the call is allowed.
    // doc: https://developers.google.com/apps-script/concepts/scopes
    const scopes = this.kernel.manifestScopes;
    if (scopes.length > 0 && !scopes.includes(EXTERNAL_REQUEST_SCOPE)) {
      throw appsScriptException(
        `You do not have permission to call UrlFetchApp.fetch. Required permissions: ${EXTERNAL_REQUEST_SCOPE}`,
      );
    }
    if (!/^https?:\/\//i.test(url)) throw appsScriptException(`Invalid argument: ${url}`);
    // doc: https://developers.google.com/apps-script/manifest/allowlist-url ("when you define an
    // allowlist, script projects can't access URLs that have not been added"). The exception's
    // wording is not documented; this is the add-on allowlist wording reported by Google
    // (github.com/googleworkspace/apps-script-oauth2/issues/96).
    if (this.whitelist.length > 0 && !this.whitelist.some((p) => matchesAllowlistPrefix(p, url))) {
      throw appsScriptException(
        `URL (${url}) does not match any of the prefixes whitelisted for use in the add-on.`,
      );
    }
    return this.buildRequest(url, params);
  }

  /** One request on the wire: quota, kernel (latency, faults), router, bearer token. */
  private send(request: SimHttpRequest): SimHttpResponse {
    const key = this.quotaKey();
    const used = this.daily.get(key) ?? 0;
    // doc: https://developers.google.com/apps-script/guides/services/quotas
    if (used >= this.dailyQuota) {
      throw appsScriptException('Service invoked too many times for one day: urlfetch.');
    }
    this.daily.set(key, used + 1);
    // Counted apart from the API's own key, so a benchmark can tell UrlFetch requests from
    // advanced-service calls (both reach the same simulated API).
    this.kernel.calls.add(URLFETCH_REQUEST);
    this.kernel.current()?.calls.add(URLFETCH_REQUEST);

    const matched = this.kernel.http.match(request);
    const url = new URL(request.url);
    if (!matched) {
      // An unknown host does not resolve; a Google host answers its HTML 404.
      const googleHost = /(^|\.)(googleapis|google)\.com$/i.test(url.hostname);
      return this.kernel.invoke('urlfetch.unrouted', () => {
        if (!googleHost) throw appsScriptException(`DNS error: ${request.url}`);
        return notFoundPage(url.pathname);
      });
    }
    try {
      return this.kernel.invoke(matched.route.key, () => this.dispatch(matched, request), {
        target: request.url,
      });
    } catch (error) {
      // Injected 429/500/503: Google answered with an error body; that is a response, not a throw.
      if (error instanceof GoogleApiError) return jsonResponse(error.code, error.toJsonBody());
      // Apps Script's own wording when a fetch exceeds its deadline (e.g. "Timeout: https://...").
      if (error instanceof TransportTimeout) throw appsScriptException(`Timeout: ${request.url}`);
      throw error;
    }
  }

  private dispatch(matched: MatchedRoute, request: SimHttpRequest): SimHttpResponse {
    let principal: Principal | undefined;
    if (matched.route.auth === 'bearer') {
      try {
        principal = this.kernel.tokens.resolve(
          headerLookup(request.headers, 'Authorization'),
          this.kernel.now(),
        );
      } catch (error) {
        // doc: https://cloud.google.com/apis/design/errors (401 UNAUTHENTICATED JSON body)
        if (error instanceof GoogleApiError) {
          const response = jsonResponse(error.code, error.toJsonBody());
          response.headers['WWW-Authenticate'] = 'Bearer realm="https://accounts.google.com/"';
          return response;
        }
        throw error;
      }
    }
    return this.kernel.http.handle(matched, request, principal);
  }
}
