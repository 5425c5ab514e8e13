// Call counters: every simulated service call is counted by key, so tests and
// benchmarks can say how many Google calls a use case made.

/** Services that are a Google API call (quota, network); the rest are Apps Script local services. */
export const GOOGLE_SERVICES = new Set([
  'meet',
  'classroom',
  'calendar',
  'drive',
  'driveapp',
  'sheets',
  'mail',
  'oauth',
  'iam',
  'admin',
]);

export class CallCounter {
  private counts = new Map<string, number>();

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  count(prefix = ''): number {
    let total = 0;
    for (const [key, n] of this.counts) {
      if (prefix === '' || key === prefix || key.startsWith(`${prefix}.`)) total += n;
    }
    return total;
  }

  /** Calls to Google APIs (not PropertiesService, CacheService, LockService...). */
  googleCalls(): number {
    let total = 0;
    for (const [key, n] of this.counts) if (GOOGLE_SERVICES.has(key.split('.')[0]!)) total += n;
    return total;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }
}
