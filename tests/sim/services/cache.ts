// CacheService: short-lived key-value caches (script-wide and per user) whose entries
// expire on the simulated clock, with Apps Script's key, value and item limits.
// doc: https://developers.google.com/apps-script/reference/cache/cache-service
// doc: https://developers.google.com/apps-script/reference/cache/cache

import { appsScriptException } from '../kernel/google-error';
import type { SimKernel } from '../kernel/kernel';

type Cache = GoogleAppsScript.Cache.Cache;

/** doc: cache#put(String,String) "The maximum length of a key is 250 characters." */
export const CACHE_KEY_MAX_CHARS = 250;
/** doc: same, "The maximum amount of data that can be stored per key is 100KB." */
export const CACHE_VALUE_MAX_BYTES = 100 * 1024;
/** doc: cache#put(String,String) "The value expires from the cache after 600 seconds (10 minutes)." */
export const CACHE_DEFAULT_SECONDS = 600;
/** doc: cache#put(String,String,Integer) "The maximum time ... is 21600 seconds (6 hours)." */
export const CACHE_MAX_SECONDS = 21_600;
/**
 * doc: cache (class description) "The cap for cached items is 1,000. If more than 1,000 items
 * are written, the cache stores the 900 items farthest from expiration."
 */
export const CACHE_ITEM_CAP = 1000;
export const CACHE_ITEMS_KEPT = 900;

interface Entry {
  value: string;
  expiresAt: number;
}

export class SimCache {
  private script = new Map<string, Entry>();
  private users = new Map<string, Map<string, Entry>>();

  constructor(private readonly kernel: SimKernel) {}

  global(): Pick<
    GoogleAppsScript.Cache.CacheService,
    'getScriptCache' | 'getUserCache' | 'getDocumentCache'
  > {
    return {
      getScriptCache: () => this.facade(() => this.script),
      getUserCache: () =>
        this.facade(() => {
          const user = this.kernel.effectiveUser();
          let map = this.users.get(user);
          if (!map) {
            map = new Map();
            this.users.set(user, map);
          }
          return map;
        }),
      // doc: cache-service#getDocumentCache returns null "if called from a standalone script or
      // webapp" — Safe Live Lessons has no containing document.
      getDocumentCache: () => null,
    };
  }

  // --- world API ---

  /** Live (unexpired) script-cache entries. */
  scriptEntries(): Record<string, string> {
    this.sweep(this.script);
    return Object.fromEntries([...this.script].map(([k, e]) => [k, e.value]));
  }

  /** Empties every cache, as Google may at any time (cache entries are best effort). */
  evictAll(): void {
    this.script.clear();
    this.users.clear();
  }

  private sweep(map: Map<string, Entry>): void {
    const now = this.kernel.now();
    for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
  }

  private facade(resolve: () => Map<string, Entry>): Cache {
    const k = this.kernel;
    const call = <T>(method: string, op: (map: Map<string, Entry>) => T): T =>
      k.invoke(`cache.${method}`, () => {
        const map = resolve();
        this.sweep(map);
        return op(map);
      });
    const store = (map: Map<string, Entry>, values: [string, string][], seconds?: number) => {
      const ttl = expirySeconds(seconds);
      for (const [key, value] of values) checkEntry(key, value);
      for (const [key, value] of values) {
        map.set(key, { value, expiresAt: k.now() + ttl * 1000 });
      }
      if (map.size > CACHE_ITEM_CAP) {
        const kept = [...map].sort(([, a], [, b]) => b.expiresAt - a.expiresAt);
        map.clear();
        for (const [key, entry] of kept.slice(0, CACHE_ITEMS_KEPT)) map.set(key, entry);
      }
    };
    const cache: Pick<Cache, 'get' | 'getAll' | 'put' | 'putAll' | 'remove' | 'removeAll'> = {
      // doc: cache#get "Gets the cached value for the given key, or null if none is found."
      get: (key) => call('get', (m) => m.get(String(key))?.value ?? null),
      // doc: cache#getAll "Returns a JavaScript Object containing all key/value pairs found".
      getAll: (keys) =>
        call('getAll', (m) => {
          const out: Record<string, string> = {};
          for (const key of keys) {
            const entry = m.get(String(key));
            if (entry) out[String(key)] = entry.value;
          }
          return out;
        }),
      put: (key, value, expirationInSeconds?: number) =>
        call('put', (m) => store(m, [[String(key), String(value)]], expirationInSeconds)),
      putAll: (values, expirationInSeconds?: number) =>
        call('putAll', (m) =>
          store(
            m,
            Object.entries(values ?? {}).map(([key, v]) => [key, String(v)]),
            expirationInSeconds,
          ),
        ),
      remove: (key) => call('remove', (m) => void m.delete(String(key))),
      removeAll: (keys) =>
        call('removeAll', (m) => {
          for (const key of keys) m.delete(String(key));
        }),
    };
    return cache as Cache;
  }
}

function expirySeconds(seconds: number | undefined): number {
  if (seconds === undefined || seconds === null) return CACHE_DEFAULT_SECONDS;
  const n = Math.floor(Number(seconds));
  if (!Number.isFinite(n) || n < 1)
    throw appsScriptException('Invalid argument: expirationInSeconds');
  // The reference gives 6 hours as the longest an entry stays; longer requests are held to it.
  return Math.min(n, CACHE_MAX_SECONDS);
}

/**
 * The reference states the limits but not the error; "Argument too large: key|value" is what
 * Apps Script throws (widely reported by its users).
 */
function checkEntry(key: string, value: string): void {
  if (key.length > CACHE_KEY_MAX_CHARS) throw appsScriptException('Argument too large: key');
  if (Buffer.byteLength(value, 'utf8') > CACHE_VALUE_MAX_BYTES) {
    throw appsScriptException('Argument too large: value');
  }
}
