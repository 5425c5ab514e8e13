// R28: one execution's UrlFetch requests, counted per Google service, also when part of the run
// was composed apart (housekeeping starting a new log runs setup, then composes afresh).

import { UsageCounter } from '../../src/adapters/usage-counter';

type UrlFetchApp = GoogleAppsScript.URL_Fetch.UrlFetchApp;

/** A UrlFetchApp that answers every request with `code`. */
function answering(code: number): UrlFetchApp {
  const response = { getResponseCode: () => code } as GoogleAppsScript.URL_Fetch.HTTPResponse;
  return {
    fetch: () => response,
    fetchAll: (requests: unknown[]) => requests.map(() => response),
  } as unknown as UrlFetchApp;
}

describe('the run’s UrlFetch tally', () => {
  it('adds what another counter of the same execution took, service by service and call by call', () => {
    const first = new UsageCounter();
    const firstFetch = first.wrap(answering(200), () => {});
    firstFetch.fetch('https://meet.googleapis.com/v2/spaces', { method: 'post' });
    firstFetch.fetch('https://www.googleapis.com/drive/v3/files/x');
    const second = new UsageCounter();
    const secondFetch = second.wrap(answering(503), () => {});
    secondFetch.fetchAll([
      { url: 'https://meet.googleapis.com/v2/spaces/a', method: 'get' },
      { url: 'https://meet.googleapis.com/v2/spaces/b', method: 'get' },
    ]);
    second.add(first.take());
    const tally = second.take();
    expect(tally.requests).toBe(4);
    expect(tally.services.meet).toMatchObject({ ok: 1, failed: 2, lastError: 'HTTP 503' });
    expect(tally.services.meet!.ops).toEqual({
      GET: { ok: 0, failed: 2 },
      POST: { ok: 1, failed: 0 },
    });
    expect(tally.services.drive).toMatchObject({ ok: 1, failed: 0 });
    expect(first.take()).toEqual({ requests: 0, services: {} });
  });
});
