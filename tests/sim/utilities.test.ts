// Proves the simulated Utilities keep Apps Script's contracts: SimpleDateFormat patterns with
// real time-zone rules (London's October clock change), base64 returning signed Java bytes,
// sleep on the simulated clock within the time limit; and that console/Logger write the
// execution's log the way Apps Script formats it.

import { SimKernel } from './kernel/kernel';
import { SimConsole } from './services/console';
import { MAX_SLEEP_MS, SimUtilities } from './services/utilities';

const TEACHER = 'teacher@school.test';

function setup() {
  const kernel = new SimKernel({
    start: Date.parse('2026-10-24T08:00:00Z'),
    domain: 'school.test',
  });
  const Utilities = new SimUtilities(kernel).global();
  const run = <T>(fn: () => T, kind: 'card' | 'trigger' = 'trigger') =>
    kernel.runExecution({ user: TEACHER, kind, functionName: 'f' }, fn);
  return { kernel, Utilities, run };
}

describe('formatDate', () => {
  const { Utilities } = setup();
  const at = (iso: string) => new Date(iso) as unknown as GoogleAppsScript.Base.Date;

  test('Europe/London is BST before 01:00Z on 25 October 2026 and GMT after', () => {
    const f = 'yyyy-MM-dd HH:mm z Z XXX';
    expect(Utilities.formatDate(at('2026-10-25T00:30:00Z'), 'Europe/London', f)).toBe(
      '2026-10-25 01:30 BST +0100 +01:00',
    );
    expect(Utilities.formatDate(at('2026-10-25T01:30:00Z'), 'Europe/London', f)).toBe(
      '2026-10-25 01:30 GMT +0000 Z',
    );
  });

  test('text, 12-hour and padding letters follow SimpleDateFormat', () => {
    const d = at('2026-03-09T13:05:07.042Z');
    expect(Utilities.formatDate(d, 'UTC', 'EEE d MMM yy, h:mm a')).toBe('Mon 9 Mar 26, 1:05 PM');
    expect(Utilities.formatDate(d, 'UTC', 'EEEE dd MMMM yyyy HH:mm:ss.SSS')).toBe(
      'Monday 09 March 2026 13:05:07.042',
    );
    expect(Utilities.formatDate(d, 'UTC', 'hh H M')).toBe('01 13 3');
    expect(Utilities.formatDate(d, 'Europe/London', 'zzzz')).toBe('Greenwich Mean Time');
    expect(Utilities.formatDate(at('2026-07-01T12:00:00Z'), 'Europe/London', 'zzzz')).toBe(
      'British Summer Time',
    );
  });

  test('quoted literals, including the doubled quote', () => {
    const d = at('2026-03-09T13:05:07Z');
    expect(Utilities.formatDate(d, 'UTC', "yyyy-MM-dd'T'HH:mm:ss'Z'")).toBe('2026-03-09T13:05:07Z');
    expect(Utilities.formatDate(d, 'UTC', "h 'o''clock'")).toBe("1 o'clock");
    expect(Utilities.formatDate(d, 'UTC', "''HH''")).toBe("'13'");
  });

  test('other zones, ISO offsets and fixed GMT offsets', () => {
    const d = at('2026-07-01T12:00:00Z');
    expect(Utilities.formatDate(d, 'America/New_York', 'HH:mm z X XX')).toBe('08:00 EDT -04 -0400');
    expect(Utilities.formatDate(d, 'GMT+05:30', 'HH:mm XXX')).toBe('17:30 +05:30');
    // Java reads an unknown zone id as GMT.
    expect(Utilities.formatDate(d, 'Not/AZone', 'HH:mm z')).toBe('12:00 GMT');
  });

  test('an unknown pattern letter is refused', () => {
    expect(() => Utilities.formatDate(at('2026-07-01T12:00:00Z'), 'UTC', 'yyyy-qq')).toThrow(
      "Illegal pattern character 'q'",
    );
  });
});

describe('base64', () => {
  const { Utilities } = setup();

  test('decode returns signed Java bytes, not a string', () => {
    expect(Utilities.base64Decode('/w==')).toEqual([-1]);
    expect(Utilities.base64Decode(Utilities.base64Encode('héllo'))).toEqual([
      104, -61, -87, 108, 108, 111,
    ]);
    const bytes = Utilities.base64Decode('aGk=');
    expect(Utilities.newBlob(bytes).getDataAsString()).toBe('hi');
  });

  test('byte[] and string forms encode the same bytes; web-safe uses - and _', () => {
    expect(Utilities.base64Encode([-1, -2, 0])).toBe('//4A');
    expect(Utilities.base64EncodeWebSafe([-1, -2, 0])).toBe('__4A');
    expect(Utilities.base64DecodeWebSafe('__4A')).toEqual([-1, -2, 0]);
    expect(Utilities.base64Encode([-5, -1])).toBe('+/8=');
    expect(Utilities.base64EncodeWebSafe([-5, -1])).toBe('-_8=');
  });

  test('an undecodable string is refused', () => {
    expect(() => Utilities.base64Decode('***')).toThrow('Could not decode string.');
    expect(() => Utilities.base64Decode('__4A')).toThrow('Could not decode string.');
  });
});

describe('sleep, uuid, blobs, digests, csv', () => {
  test('sleep moves the simulated clock and is counted', () => {
    const { kernel, Utilities, run } = setup();
    const before = kernel.now();
    run(() => Utilities.sleep(5000));
    expect(kernel.now() - before).toBe(5000);
    expect(kernel.calls.count('utilities.sleep')).toBe(1);
  });

  test('sleep counts toward the time limit, and refuses more than 300000 ms', () => {
    const { Utilities, run } = setup();
    const card = run(() => {
      Utilities.sleep(20_000);
      Utilities.sleep(20_000);
    }, 'card');
    expect(card.killed).toBe(true);
    expect(run(() => Utilities.sleep(MAX_SLEEP_MS + 1)).ok).toBe(false);
    expect(run(() => Utilities.sleep(MAX_SLEEP_MS)).ok).toBe(true);
  });

  test('getUuid is a lower-case version-4 UUID, reproducible from the seed', () => {
    const a = setup().Utilities.getUuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(setup().Utilities.getUuid()).toBe(a);
  });

  test('newBlob keeps data, content type and name', () => {
    const { Utilities } = setup();
    const blob = Utilities.newBlob('{"a":1}', 'application/json', 'a.json');
    expect(blob.getContentType()).toBe('application/json');
    expect(blob.getName()).toBe('a.json');
    expect(blob.getBytes()).toEqual([123, 34, 97, 34, 58, 49, 125]);
    blob.setName('b.json');
    expect(blob.getName()).toBe('b.json');
    expect(blob.getDataAsString()).toBe('{"a":1}');
  });

  test('computeDigest returns signed bytes', () => {
    const { Utilities } = setup();
    const digest = Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, 'abc');
    expect(digest).toHaveLength(32);
    // SHA-256("abc") begins ba 78 16 bf.
    expect(digest.slice(0, 4)).toEqual([-70, 120, 22, -65]);
  });

  test('parseCsv handles quotes, doubled quotes and line breaks in fields', () => {
    const { Utilities } = setup();
    expect(Utilities.parseCsv('a,"b,c","say ""hi"""\n1,"2\n3",4')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['1', '2\n3', '4'],
    ]);
  });
});

describe('console and Logger', () => {
  test('write to the execution log with levels, format strings and JSON objects', () => {
    const kernel = new SimKernel({ start: 0, domain: 'school.test' });
    const { console: sconsole, Logger } = new SimConsole(kernel).global();
    const result = kernel.runExecution(
      { user: TEACHER, kind: 'trigger', functionName: 'f' },
      () => {
        sconsole.log('created %s lessons', 3);
        sconsole.warn({ lesson: 'L1', n: 2 });
        sconsole.error('failed', new Error('nope').message);
        Logger.log('Hello %s', 'world');
        return kernel.current()!.id;
      },
    );
    expect(
      kernel.logs.map(({ level, message, execution }) => ({ level, message, execution })),
    ).toEqual([
      { level: 'log', message: 'created 3 lessons', execution: result.value },
      { level: 'warn', message: '{"lesson":"L1","n":2}', execution: result.value },
      { level: 'error', message: 'failed nope', execution: result.value },
      { level: 'info', message: 'Hello world', execution: result.value },
    ]);
    expect(Logger.getLog()).toBe('Hello world\n');
  });
});
