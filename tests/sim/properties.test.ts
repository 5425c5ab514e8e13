// Proves the simulated PropertiesService keeps Apps Script's contracts: string coercion,
// per-user stores, copies not live views, the 9 KB / 500 KB limits with their message, and
// no document store outside a document.

import { SimKernel } from './kernel/kernel';
import {
  PROPERTY_QUOTA_MESSAGE,
  PROPERTY_STORE_MAX_BYTES,
  PROPERTY_VALUE_MAX_BYTES,
  SimProperties,
} from './services/properties';

const TEACHER = 'teacher@school.test';
const HEAD = 'head@school.test';

function setup(documentId?: string) {
  const kernel = new SimKernel({
    start: Date.parse('2026-01-05T08:00:00Z'),
    domain: 'school.test',
  });
  const properties = new SimProperties(kernel, documentId);
  const PropertiesService = properties.global();
  const as = <T>(user: string, fn: () => T): T => {
    const result = kernel.runExecution({ user, kind: 'trigger', functionName: 't' }, fn);
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  return { kernel, properties, PropertiesService, as };
}

describe('property stores', () => {
  test('script properties are shared; user properties belong to the effective user', () => {
    const { properties, PropertiesService, as } = setup();
    as(TEACHER, () => {
      PropertiesService.getScriptProperties().setProperty('MODE', 'live');
      PropertiesService.getUserProperties().setProperty('UNITS', 'metric');
    });
    as(HEAD, () => {
      expect(PropertiesService.getScriptProperties().getProperty('MODE')).toBe('live');
      expect(PropertiesService.getUserProperties().getProperty('UNITS')).toBeNull();
    });
    expect(properties.scriptStore()).toEqual({ MODE: 'live' });
    expect(properties.userStore(TEACHER)).toEqual({ UNITS: 'metric' });
    expect(properties.userStore(HEAD)).toEqual({});
  });

  test('values are stored as strings and reads return copies', () => {
    const { PropertiesService, as } = setup();
    as(TEACHER, () => {
      const store = PropertiesService.getScriptProperties();
      store.setProperty('N', 42 as unknown as string);
      store.setProperties({ FLAG: true as unknown as string, OBJ: { a: 1 } as unknown as string });
      expect(store.getProperty('N')).toBe('42');
      expect(store.getProperty('FLAG')).toBe('true');
      expect(store.getProperty('OBJ')).toBe('[object Object]');
      const all = store.getProperties();
      all.N = 'changed';
      expect(store.getProperty('N')).toBe('42');
      expect(store.getKeys().sort()).toEqual(['FLAG', 'N', 'OBJ']);
    });
  });

  test('setProperties(props, true) deletes all others; delete and deleteAll; chaining', () => {
    const { PropertiesService, as } = setup();
    as(TEACHER, () => {
      const store = PropertiesService.getScriptProperties();
      const chained = store.setProperty('A', '1').setProperty('B', '2');
      expect(chained.getProperty('B')).toBe('2');
      store.setProperties({ C: '3' }, true);
      expect(store.getProperties()).toEqual({ C: '3' });
      store.setProperties({ D: '4' });
      expect(store.getProperties()).toEqual({ C: '3', D: '4' });
      store.deleteProperty('C');
      expect(store.getProperty('C')).toBeNull();
      store.deleteAllProperties();
      expect(store.getKeys()).toEqual([]);
    });
  });

  test('getDocumentProperties is null for a script with no document, a store with one', () => {
    const plain = setup();
    expect(plain.as(TEACHER, () => plain.PropertiesService.getDocumentProperties())).toBeNull();
    const withDoc = setup('doc-1');
    withDoc.as(TEACHER, () => {
      const store = withDoc.PropertiesService.getDocumentProperties();
      store.setProperty('K', 'v');
      expect(withDoc.PropertiesService.getDocumentProperties().getProperty('K')).toBe('v');
    });
  });

  test('each call is counted as properties.<method> and costs latency', () => {
    const { kernel, PropertiesService, as } = setup();
    const before = kernel.now();
    as(TEACHER, () => {
      const store = PropertiesService.getScriptProperties();
      store.setProperty('A', '1');
      store.getProperty('A');
      store.getProperty('B');
    });
    expect(kernel.calls.count('properties.getProperty')).toBe(2);
    expect(kernel.calls.count('properties.setProperty')).toBe(1);
    expect(kernel.calls.googleCalls()).toBe(0);
    expect(kernel.now()).toBeGreaterThan(before);
  });
});

describe('storage limits (quotas page: 9 KB / value, 500 KB / store)', () => {
  test('a value of exactly 9 KB is stored; one byte more is refused and nothing changes', () => {
    const { PropertiesService, as } = setup();
    as(TEACHER, () => {
      const store = PropertiesService.getScriptProperties();
      store.setProperty('OK', 'x'.repeat(PROPERTY_VALUE_MAX_BYTES));
      expect(store.getProperty('OK')?.length).toBe(9216);
      expect(() => store.setProperty('BIG', 'x'.repeat(PROPERTY_VALUE_MAX_BYTES + 1))).toThrow(
        PROPERTY_QUOTA_MESSAGE,
      );
      expect(store.getProperty('BIG')).toBeNull();
    });
  });

  test('sizes are UTF-8 bytes, not characters', () => {
    const { PropertiesService, as } = setup();
    as(TEACHER, () => {
      // 'é' is two bytes: 4609 of them is 9218 bytes.
      expect(() =>
        PropertiesService.getScriptProperties().setProperty('E', 'é'.repeat(4609)),
      ).toThrow(PROPERTY_QUOTA_MESSAGE);
    });
  });

  test('the store refuses a write past 500 KB, and setProperties is all or nothing', () => {
    const { PropertiesService, as } = setup();
    as(TEACHER, () => {
      const store = PropertiesService.getScriptProperties();
      const nine = 'y'.repeat(9000);
      let n = 0;
      let error: unknown;
      try {
        for (;;) {
          store.setProperty(`K${n}`, nine);
          n += 1;
        }
      } catch (e) {
        error = e;
      }
      expect((error as Error).message).toBe(PROPERTY_QUOTA_MESSAGE);
      expect((error as Error).name).toBe('Exception');
      // Keys count too: K0..K9 are 2 bytes, K10.. are 3.
      let fits = 0;
      let total = 0;
      while (total + `K${fits}`.length + 9000 <= PROPERTY_STORE_MAX_BYTES) {
        total += `K${fits}`.length + 9000;
        fits += 1;
      }
      expect(n).toBe(fits);
      expect(n).toBe(56);
      const keys = store.getKeys().length;
      expect(() => store.setProperties({ X1: 'a', X2: nine })).toThrow(PROPERTY_QUOTA_MESSAGE);
      expect(store.getKeys().length).toBe(keys);
      expect(store.getProperty('X1')).toBeNull();
      // Overwriting a key counts its new size only.
      store.setProperty('K0', 'small');
      store.setProperty('X1', 'a'.repeat(8000));
      expect(store.getProperty('X1')?.length).toBe(8000);
    });
  });
});
