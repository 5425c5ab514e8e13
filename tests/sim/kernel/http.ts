// The simulated network: REST endpoints (Meet, Classroom, Calendar, Drive, OAuth,
// IAM...) registered by each simulated service, reached through UrlFetchApp.

import { GoogleApiError } from './google-error';
import type { Principal } from './tokens';

export interface SimHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The request body as text (JSON, form-encoded, or multipart). */
  body: string;
  contentType?: string;
}

export interface SimHttpResponse {
  code: number;
  headers: Record<string, string>;
  body: string;
}

export interface RouteContext {
  request: SimHttpRequest;
  /** Path parameters named `{x}` in the route pattern (a `{x=**}` takes the rest of the path). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The caller, from the bearer token (undefined for routes with `auth: 'none'`). */
  principal: Principal;
  json<T = Record<string, unknown>>(): T;
}

/** A handler returns a JSON-able value (200), or a full response. */
export type RouteHandler = (ctx: RouteContext) => unknown;

interface Route {
  method: string;
  host: string;
  regex: RegExp;
  names: string[];
  /** Call-counter key, e.g. `meet.spaces.create`. */
  key: string;
  auth: 'bearer' | 'none';
  handler: RouteHandler;
}

export class RawResponse {
  constructor(readonly response: SimHttpResponse) {}
}

export class HttpRouter {
  private routes: Route[] = [];

  /**
   * Registers `METHOD https://host/path/{param}/...`. A pattern segment `{name}` matches one
   * path segment; `{name=**}` matches the rest; a `:verb` suffix (Google's custom methods)
   * is literal.
   */
  route(
    spec: string,
    key: string,
    handler: RouteHandler,
    options: { auth?: 'bearer' | 'none' } = {},
  ): void {
    const [method, url] = spec.split(' ') as [string, string];
    const { host, pathname } = new URL(url.replace(/[{}]/g, (c) => (c === '{' ? '%7B' : '%7D')));
    const names: string[] = [];
    const decoded = decodeURIComponent(pathname);
    const source = decoded
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const m = /^\{([^}=]+)(=\*\*)?\}$/.exec(part);
        if (!m) return part.replace(/[.+?^$()|[\]\\*]/g, '\\$&');
        names.push(m[1]!);
        return m[2] ? '(.+)' : '([^/:]+)';
      })
      .join('');
    this.routes.push({
      method,
      host,
      regex: new RegExp(`^${source}$`),
      names,
      key,
      auth: options.auth ?? 'bearer',
      handler,
    });
  }

  /** Finds the route for a request, or undefined (the caller answers 404). */
  match(
    request: SimHttpRequest,
  ): { route: Route; params: Record<string, string>; url: URL } | undefined {
    const url = new URL(request.url);
    for (const route of this.routes) {
      if (route.method !== request.method.toUpperCase() || route.host !== url.host) continue;
      const m = route.regex.exec(decodeURIComponent(url.pathname));
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = m[i + 1]!;
      });
      return { route, params, url };
    }
    return undefined;
  }

  /** Runs the handler; Google errors become Google's JSON error responses. */
  handle(
    matched: { route: Route; params: Record<string, string>; url: URL },
    request: SimHttpRequest,
    principal: Principal | undefined,
  ): SimHttpResponse {
    const ctx: RouteContext = {
      request,
      params: matched.params,
      query: matched.url.searchParams,
      principal: principal as Principal,
      json<T>() {
        if (!request.body) return {} as T;
        try {
          return JSON.parse(request.body) as T;
        } catch {
          throw new GoogleApiError('INVALID_ARGUMENT', 'Invalid JSON payload received.');
        }
      },
    };
    try {
      const result = matched.route.handler(ctx);
      if (result instanceof RawResponse) return result.response;
      return jsonResponse(200, result ?? {});
    } catch (error) {
      if (error instanceof GoogleApiError) return jsonResponse(error.code, error.toJsonBody());
      throw error;
    }
  }
}

export function jsonResponse(code: number, value: unknown): SimHttpResponse {
  return {
    code,
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: JSON.stringify(value, null, 2),
  };
}

export type MatchedRoute = NonNullable<ReturnType<HttpRouter['match']>>;
export type { Route };
