// Proves the simulated CacheService keeps Apps Script's contracts: expiry on the simulated
// clock (600 s default, 6 h at most), key and value limits with their messages, per-user
// caches, and the 1,000-item cap that keeps the 900 entries farthest from expiry.

import { SimKernel } from './kernel/kernel';
import {
  CACHE_ITEM_CAP,
  CACHE_ITEMS_KEPT,
  CACHE_KEY_MAX_CHARS,
  CACHE_VALUE_MAX_BYTES,
  SimCache,
} from './services/cache';

const TEACHER = 'teacher@school.test';
const HEAD = 'head@school.test';

function setup() {
  const kernel = new SimKernel({
    start: Date.parse('2026-01-05T08:00:00Z'),
    domain: 'school.test',
  });
  const cache = new SimCache(kernel);
  const CacheService = cache.global();
  const as = <T>(user: string, fn: () => T): T => {
    const result = kernel.runExecution({ user, kind: 'trigger', functionName: 't' }, fn);
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  return { kernel, cache, CacheService, as };
}

describe('expiry', () => {
  test('put without expiry keeps the value 600 seconds', () => {
    const { kernel, CacheService, as } = setup();
    as(TEACHER, () => CacheService.getScriptCache().put('k', 'v'));
    kernel.clock.advance(599_000);
    expect(as(TEACHER, () => CacheService.getScriptCache().get('k'))).toBe('v');
    kernel.clock.advance(1_000);
    expect(as(TEACHER, () => CacheService.getScriptCache().get('k'))).toBeNull();
  });

  test('an explicit expiry is honoured, and held to 21600 seconds at most', () => {
    const { kernel, CacheService, as } = setup();
    as(TEACHER, () => {
      const cache = CacheService.getScriptCache();
      cache.put('short', 'v', 60);
      cache.put('long', 'v', 100_000);
    });
    kernel.clock.advance(61_000);
    expect(as(TEACHER, () => CacheService.getScriptCache().get('short'))).toBeNull();
    kernel.clock.advance(21_600_000 - 62_000);
    expect(as(TEACHER, () => CacheService.getScriptCache().get('long'))).toBe('v');
    kernel.clock.advance(2_000);
    expect(as(TEACHER, () => CacheService.getScriptCache().get('long'))).toBeNull();
  });
});

describe('operations', () => {
  test('getAll returns only the keys found; putAll, remove, removeAll', () => {
    const { CacheService, as } = setup();
    as(TEACHER, () => {
      const cache = CacheService.getScriptCache();
      cache.putAll({ a: '1', b: '2', c: '3' });
      expect(cache.getAll(['a', 'b', 'missing'])).toEqual({ a: '1', b: '2' });
      cache.remove('a');
      cache.removeAll(['b']);
      expect(cache.getAll(['a', 'b', 'c'])).toEqual({ c: '3' });
    });
  });

  test('values are strings', () => {
    const { CacheService, as } = setup();
    as(TEACHER, () => {
      CacheService.getScriptCache().put('n', 5 as unknown as string);
      expect(CacheService.getScriptCache().get('n')).toBe('5');
    });
  });

  test('user caches are private to the effective user; the script cache is shared', () => {
    const { CacheService, as } = setup();
    as(TEACHER, () => {
      CacheService.getUserCache().put('mine', 'teacher');
      CacheService.getScriptCache().put('shared', 'all');
    });
    as(HEAD, () => {
      expect(CacheService.getUserCache().get('mine')).toBeNull();
      expect(CacheService.getScriptCache().get('shared')).toBe('all');
    });
  });

  test('getDocumentCache is null for a script with no document', () => {
    const { CacheService, as } = setup();
    expect(as(TEACHER, () => CacheService.getDocumentCache())).toBeNull();
  });

  test('calls are counted as cache.<method>', () => {
    const { kernel, CacheService, as } = setup();
    as(TEACHER, () => {
      CacheService.getScriptCache().put('k', 'v');
      CacheService.getScriptCache().get('k');
    });
    expect(kernel.calls.count('cache.put')).toBe(1);
    expect(kernel.calls.count('cache.get')).toBe(1);
  });
});

describe('limits', () => {
  test('a key over 250 characters is refused', () => {
    const { CacheService, as } = setup();
    as(TEACHER, () => {
      const cache = CacheService.getScriptCache();
      cache.put('k'.repeat(CACHE_KEY_MAX_CHARS), 'ok');
      expect(() => cache.put('k'.repeat(CACHE_KEY_MAX_CHARS + 1), 'v')).toThrow(
        'Argument too large: key',
      );
    });
  });

  test('a value over 100 KB is refused, and putAll stores nothing when one value is too big', () => {
    const { CacheService, as } = setup();
    as(TEACHER, () => {
      const cache = CacheService.getScriptCache();
      cache.put('max', 'x'.repeat(CACHE_VALUE_MAX_BYTES));
      expect(() => cache.put('big', 'x'.repeat(CACHE_VALUE_MAX_BYTES + 1))).toThrow(
        'Argument too large: value',
      );
      expect(() =>
        cache.putAll({ small: 's', big: 'x'.repeat(CACHE_VALUE_MAX_BYTES + 1) }),
      ).toThrow('Argument too large: value');
      expect(cache.get('small')).toBeNull();
    });
  });

  test('past 1,000 items the cache keeps the 900 farthest from expiry', () => {
    const { cache, CacheService, as } = setup();
    as(TEACHER, () => {
      const script = CacheService.getScriptCache();
      // Item i expires after 1000 + i seconds: the lowest numbers are nearest to expiry.
      for (let i = 0; i <= CACHE_ITEM_CAP; i += 1) script.put(`k${i}`, 'v', 1000 + i);
      expect(script.get('k0')).toBeNull();
      expect(script.get(`k${CACHE_ITEM_CAP}`)).toBe('v');
    });
    const live = Object.keys(cache.scriptEntries());
    expect(live).toHaveLength(CACHE_ITEMS_KEPT);
    expect(live).not.toContain('k100');
    expect(live).toContain('k101');
  });
});
