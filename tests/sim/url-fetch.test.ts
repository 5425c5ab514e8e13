// UrlFetchApp at the simulated network edge: responses vs Apps Script's exceptions,
// injected faults, time-outs, the manifest allowlist, quota and fetchAll's concurrency.

import { GoogleApiError } from './kernel/google-error';
import { SimKernel } from './kernel/kernel';
import { matchesAllowlistPrefix, SimUrlFetch } from './services/url-fetch';

const START = Date.UTC(2026, 10, 23, 9, 0, 0);
const WHITELIST = ['https://meet.googleapis.com/', 'https://www.googleapis.com/'];

function setup(whitelist = WHITELIST) {
  const kernel = new SimKernel({ start: START, domain: 'school.test' });
  kernel.http.route('GET https://meet.googleapis.com/v2/echo/{x}', 'meet.echo.get', (ctx) => ({
    x: ctx.params.x,
    user: ctx.principal.user,
  }));
  kernel.http.route('POST https://meet.googleapis.com/v2/form', 'meet.form.post', (ctx) => ({
    body: ctx.request.body,
    contentType: ctx.request.contentType,
  }));
  kernel.http.route('GET https://meet.googleapis.com/v2/missing', 'meet.missing.get', () => {
    throw new GoogleApiError('NOT_FOUND', `Requested entity was not found. ${'x'.repeat(300)}`);
  });
  const token = kernel.tokens.issue({
    user: 'teacher@school.test',
    scopes: [],
    project: kernel.projectNumber,
    via: 'apps-script',
    expiresAt: START + 3_600_000,
  });
  const urlFetch = new SimUrlFetch(kernel, whitelist);
  const app = urlFetch.global();
  const auth = { headers: { Authorization: `Bearer ${token}` } };
  return { kernel, urlFetch, app, auth };
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}

describe('SimUrlFetch', () => {
  test('a 2xx response carries the route JSON and the bearer principal', () => {
    const { app, auth } = setup();
    const response = app.fetch('https://meet.googleapis.com/v2/echo/hello', auth);
    expect(response.getResponseCode()).toBe(200);
    expect(JSON.parse(response.getContentText())).toEqual({
      x: 'hello',
      user: 'teacher@school.test',
    });
    expect(response.getHeaders()).toMatchObject({
      'Content-Type': 'application/json; charset=UTF-8',
    });
    expect(response.getBlob().getDataAsString()).toBe(response.getContentText());
  });

  test('non-2xx throws Apps Script wording naming only scheme and host, body truncated', () => {
    const { app, auth } = setup();
    const error = thrown(() => app.fetch('https://meet.googleapis.com/v2/missing', auth));
    expect(error.name).toBe('Exception');
    expect(error.message).toMatch(
      /^Request failed for https:\/\/meet\.googleapis\.com returned code 404\. Truncated server response: \{/,
    );
    expect(error.message).toMatch(
      /\.\.\. \(use muteHttpExceptions option to examine full response\)$/,
    );
    expect(error.message).not.toContain('/v2/missing');
    expect(error.message.length).toBeLessThan(320);
  });

  test('muteHttpExceptions returns the error response with Google JSON body', () => {
    const { app, auth } = setup();
    const response = app.fetch('https://meet.googleapis.com/v2/missing', {
      ...auth,
      muteHttpExceptions: true,
    });
    expect(response.getResponseCode()).toBe(404);
    const body = JSON.parse(response.getContentText());
    expect(body.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });

  test('a missing or unknown bearer token is a 401 UNAUTHENTICATED response', () => {
    const { app } = setup();
    const response = app.fetch('https://meet.googleapis.com/v2/echo/x', {
      headers: { Authorization: 'Bearer nope' },
      muteHttpExceptions: true,
    });
    expect(response.getResponseCode()).toBe(401);
    expect(JSON.parse(response.getContentText()).error.status).toBe('UNAUTHENTICATED');
  });

  test('unknown path on a Google host is the HTML 404 page; an unknown host is a DNS error', () => {
    const { app } = setup(['https://meet.googleapis.com/', 'https://example.invalid/']);
    const response = app.fetch('https://meet.googleapis.com/v2/nothing-here', {
      muteHttpExceptions: true,
    });
    expect(response.getResponseCode()).toBe(404);
    expect(response.getContentText()).toContain('<title>Error 404 (Not Found)!!1</title>');
    expect(response.getContentText()).toContain('<code>/v2/nothing-here</code>');
    expect(thrown(() => app.fetch('https://example.invalid/x')).message).toBe(
      'DNS error: https://example.invalid/x',
    );
  });

  test.each([
    [429, 'RESOURCE_EXHAUSTED'],
    [500, 'INTERNAL'],
    [503, 'UNAVAILABLE'],
  ] as const)('an injected %i is an HTTP response, not an exception', (code, status) => {
    const { kernel, app, auth } = setup();
    kernel.faults.inject({ match: 'meet.echo.get', kind: code, times: 1 });
    const response = app.fetch('https://meet.googleapis.com/v2/echo/x', {
      ...auth,
      muteHttpExceptions: true,
    });
    expect(response.getResponseCode()).toBe(code);
    expect(JSON.parse(response.getContentText()).error.status).toBe(status);
    // Without muting, Apps Script throws its "Request failed" exception for it.
    kernel.faults.inject({ match: 'meet.echo.get', kind: code, times: 1 });
    expect(
      thrown(() => app.fetch('https://meet.googleapis.com/v2/echo/x', auth)).message,
    ).toContain(`returned code ${code}.`);
  });

  test('a transport time-out throws Apps Script\'s "Timeout: <url>" after ~60 s', () => {
    const { kernel, app, auth } = setup();
    kernel.faults.inject({ match: 'meet.echo.get', kind: 'timeout', times: 1 });
    const before = kernel.now();
    const error = thrown(() =>
      app.fetch('https://meet.googleapis.com/v2/echo/x', { ...auth, muteHttpExceptions: true }),
    );
    expect(error.name).toBe('Exception');
    expect(error.message).toBe('Timeout: https://meet.googleapis.com/v2/echo/x');
    expect(kernel.now() - before).toBeGreaterThanOrEqual(60_000);
  });

  test('a URL outside urlFetchWhitelist is refused before any call is made', () => {
    const { kernel, app, auth } = setup(['https://www.googleapis.com/']);
    const error = thrown(() => app.fetch('https://meet.googleapis.com/v2/echo/x', auth));
    expect(error.name).toBe('Exception');
    expect(error.message).toBe(
      'URL (https://meet.googleapis.com/v2/echo/x) does not match any of the prefixes whitelisted for use in the add-on.',
    );
    expect(kernel.calls.count('meet')).toBe(0);
  });

  test('allowlist prefix rules from the manifest guide', () => {
    const p = 'https://example.com/foo';
    for (const ok of ['/foo', '/foo/', '/foo/bar', '/foo?bar', '/foo#bar']) {
      expect(matchesAllowlistPrefix(p, `https://example.com${ok}`)).toBe(true);
    }
    expect(matchesAllowlistPrefix(p, 'https://example.com/foobar')).toBe(false);
    expect(matchesAllowlistPrefix(p, 'https://example.com/Foo')).toBe(false);
    const w = 'https://*.example.com/foo';
    expect(matchesAllowlistPrefix(w, 'https://a.b.example.com/foo')).toBe(true);
    expect(matchesAllowlistPrefix(w, 'https://example.com/foo')).toBe(false);
    expect(matchesAllowlistPrefix(w, 'https://sub.example.com/bar')).toBe(false);
  });

  test('an object payload is form-encoded with the default content type', () => {
    const { app, auth } = setup();
    const response = app.fetch('https://meet.googleapis.com/v2/form', {
      ...auth,
      method: 'post',
      payload: { grant_type: 'a b', n: 1 },
    });
    expect(JSON.parse(response.getContentText())).toEqual({
      body: 'grant_type=a%20b&n=1',
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  test('fetchAll counts each request but moves the clock once, by the slowest', () => {
    const { kernel, app, auth } = setup();
    kernel.latency['meet.form'] = 900;
    const before = kernel.now();
    const responses = app.fetchAll([
      { url: 'https://meet.googleapis.com/v2/echo/a', ...auth },
      { url: 'https://meet.googleapis.com/v2/form', method: 'post', payload: 'z', ...auth },
      { url: 'https://meet.googleapis.com/v2/echo/c', ...auth },
    ]);
    expect(kernel.now() - before).toBe(900);
    expect(kernel.calls.count('meet')).toBe(3);
    expect(JSON.parse(responses[0]!.getContentText()).x).toBe('a');
    expect(JSON.parse(responses[2]!.getContentText()).x).toBe('c');
  });

  test('fetchAll sends every request, then throws for an unmuted failure', () => {
    const { kernel, app, auth } = setup();
    expect(() =>
      app.fetchAll([
        { url: 'https://meet.googleapis.com/v2/missing', ...auth },
        { url: 'https://meet.googleapis.com/v2/echo/b', ...auth },
      ]),
    ).toThrow(/returned code 404/);
    expect(kernel.calls.count('meet.echo')).toBe(1);
  });

  test('a time-out on one request of a fetchAll loses every answer of the round, after ~60 s', () => {
    const { kernel, app, auth } = setup();
    // Only the request for echo/b times out.
    kernel.faults.inject({ match: 'meet.echo.get', kind: 'timeout', target: 'echo/b', times: 1 });
    const before = kernel.now();
    const error = thrown(() =>
      app.fetchAll([
        { url: 'https://meet.googleapis.com/v2/echo/a', ...auth, muteHttpExceptions: true },
        { url: 'https://meet.googleapis.com/v2/echo/b', ...auth, muteHttpExceptions: true },
      ]),
    );
    expect(error.message).toBe('Timeout: https://meet.googleapis.com/v2/echo/b');
    expect(kernel.now() - before).toBeGreaterThanOrEqual(60_000);
    expect(kernel.faults.injected).toHaveLength(1);
    // The rule is spent: the next round answers.
    expect(
      app
        .fetchAll([{ url: 'https://meet.googleapis.com/v2/echo/c', ...auth }])[0]!
        .getResponseCode(),
    ).toBe(200);
  });

  test('the daily URL Fetch quota is per simulated day', () => {
    const { kernel, urlFetch, app, auth } = setup();
    urlFetch.dailyQuota = 2;
    app.fetch('https://meet.googleapis.com/v2/echo/1', auth);
    app.fetch('https://meet.googleapis.com/v2/echo/2', auth);
    expect(thrown(() => app.fetch('https://meet.googleapis.com/v2/echo/3', auth)).message).toBe(
      'Service invoked too many times for one day: urlfetch.',
    );
    kernel.clock.advance(24 * 3_600_000);
    // The next day (with a fresh token: the old one lived an hour) the quota is back.
    const fresh = kernel.tokens.issue({
      user: 'teacher@school.test',
      scopes: [],
      project: kernel.projectNumber,
      via: 'apps-script',
      expiresAt: kernel.now() + 3_600_000,
    });
    const response = app.fetch('https://meet.googleapis.com/v2/echo/4', {
      headers: { Authorization: `Bearer ${fresh}` },
    });
    expect(response.getResponseCode()).toBe(200);
  });

  test('a manifest scope list without script.external_request cannot fetch', () => {
    const { kernel, app, auth } = setup();
    kernel.manifestScopes = ['https://www.googleapis.com/auth/drive'];
    expect(thrown(() => app.fetch('https://meet.googleapis.com/v2/echo/x', auth)).message).toBe(
      'You do not have permission to call UrlFetchApp.fetch. Required permissions: https://www.googleapis.com/auth/script.external_request',
    );
  });
});
