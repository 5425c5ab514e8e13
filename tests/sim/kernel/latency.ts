// One table of how long each simulated Google call takes, in milliseconds.
//
// Sources (public measurements; Google publishes no latencies):
// - Google, "Best practices" for Apps Script (developers.google.com/apps-script/guides/support/best-practices):
//   calls to other services are the slow part of a script; batch reads and writes.
// - Tanaike, "Benchmark: Reading and Writing Spreadsheet using Google Apps Script" and
//   "Benchmark: fetchAll method in UrlFetch service" (gist.github.com/tanaikech): a
//   UrlFetchApp call to a Google REST API costs ~0.2-0.4 s; fetchAll runs its requests
//   concurrently; one getValues/setValues on a small range ~0.1-0.2 s.
// - Drive API batch (developers.google.com/drive/api/guides/performance#batch): one HTTP
//   request carries up to 100 calls; we charge a round trip plus a small per-part cost.
// - PropertiesService / CacheService / LockService: tens of milliseconds in practice.
// The figures are estimates used to compare approaches on the same simulated work,
// not predictions of a school's wall-clock time.

import { seededRandom } from './faults';

/** Latency in ms by call key prefix; the longest matching prefix wins. */
export const LATENCY_MS: Record<string, number> = {
  // REST / advanced services
  meet: 300,
  classroom: 300,
  calendar: 250,
  drive: 300,
  'drive.batch.part': 40,
  'drive.batch': 400,
  oauth: 200,
  iam: 200,
  admin: 250,
  // DriveApp (the naive purge): a folder lookup, then a page of files per ~100 next() calls
  driveapp: 250,
  'driveapp.files.next': 25,
  'driveapp.file.getDateCreated': 0,
  // Read from the file the iterator already fetched (no request of its own), like getDateCreated.
  'driveapp.file.getLastUpdated': 0,
  'driveapp.file.isTrashed': 0,
  'driveapp.file.setTrashed': 350,
  // SpreadsheetApp
  sheets: 120,
  'sheets.openById': 350,
  'sheets.create': 900,
  // Everything else Apps Script offers
  mail: 500,
  properties: 30,
  cache: 20,
  lock: 40,
  script: 60,
  card: 0,
  session: 0,
  utilities: 0,
};

export const DEFAULT_LATENCY_MS = 200;

export function latencyFor(key: string, table: Record<string, number> = LATENCY_MS): number {
  let best: string | undefined;
  for (const prefix of Object.keys(table)) {
    if (
      (key === prefix || key.startsWith(`${prefix}.`)) &&
      (!best || prefix.length > best.length)
    ) {
      best = prefix;
    }
  }
  return best === undefined ? DEFAULT_LATENCY_MS : table[best]!;
}

/** How long UrlFetchApp waits before giving up on a request (Apps Script's deadline is about 60 s). */
export const URLFETCH_TIMEOUT_MS = 60_000;

/** The Google REST APIs (reached by UrlFetchApp or an advanced service): one network round trip each. */
const ROUND_TRIP_SERVICES = new Set([
  'meet',
  'classroom',
  'calendar',
  'drive',
  'admin',
  'oauth',
  'iam',
]);

/**
 * A realistic round trip, for the benchmarks: drawn from a log-normal with p50 300 ms and
 * p95 800 ms, plus a 1% tail of 5 s (a slow back end, a retried connection). The fixed table
 * above stays the default so tests are exact; a fetchAll costs its slowest member either way
 * (SimKernel.parallel). What it leaves out: per-user rate limits, DNS, and latencies that
 * depend on payload size or time of day.
 */
export function tailLatency(seed: number): (key: string, base: number) => number {
  const random = seededRandom(seed);
  const P50 = 300;
  // ln(p95 / p50) / z(0.95)
  const SIGMA = Math.log(800 / 300) / 1.6449;
  const TAIL_P = 0.01;
  const TAIL_MS = 5_000;
  return (key, base) => {
    if (!ROUND_TRIP_SERVICES.has(key.split('.')[0]!) || key.startsWith('drive.batch.part'))
      return base;
    if (random() < TAIL_P) return TAIL_MS;
    // Box-Muller: a standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(P50 * Math.exp(SIGMA * z));
  };
}
