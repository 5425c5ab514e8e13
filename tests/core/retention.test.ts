// R17's arithmetic at its edges: exactly 30 days, other time zones, the days the clocks
// change, holds, and what a purge may touch. Pure functions, no Workspace.

import {
  afterCollection,
  type CollectionEntry,
  callSettled,
  collectionStep,
  EMPTY_TALLY,
  FIRST_LOOK_MS,
  type FoundCall,
  type FoundRecordings,
  firstCheckAt,
  LAST_LOOK_MS,
  LATE_LIMIT_MS,
  missingRecordingReason,
  nextCheckAt,
  parseRecordingRow,
  RECORDS_EXPIRE_MS,
  recordingFileName,
  recordingHealth,
  recordingRow,
} from '../../src/core/recording';
import {
  chunks,
  type DueCandidate,
  isExpired,
  isHoldText,
  lateDue,
  planPurge,
  purgeCutoff,
  purgeDueAt,
  type RegisteredRecording,
  RetentionError,
  retentionStart,
  selectExpired,
} from '../../src/core/retention';
import {
  DAY_MS,
  HOUR_MS,
  localDate,
  localTime,
  MINUTE_MS,
  zonedInstant,
} from '../../src/core/time';

const NOW = Date.UTC(2026, 11, 23, 11, 0); // Wed 23 Dec 2026, 11:00 GMT

function rec(
  fileId: string,
  createdAt: number,
  extra: Partial<RegisteredRecording> = {},
): RegisteredRecording {
  return {
    fileId,
    lessonId: `L-${fileId}`,
    fileName: fileId,
    createdAt,
    retainFrom: createdAt,
    hold: null,
    purgedAt: null,
    ...extra,
  };
}

describe('the purge cutoff (R17: kept up to 30 days)', () => {
  it('keeps a recording that is exactly 30 days old and purges it a millisecond later', () => {
    const cutoff = purgeCutoff(NOW, 30);
    expect(cutoff).toBe(NOW - 30 * DAY_MS);
    expect(isExpired(NOW - 30 * DAY_MS, cutoff)).toBe(false);
    expect(isExpired(NOW - 30 * DAY_MS - 1, cutoff)).toBe(true);
    expect(isExpired(NOW - 29 * DAY_MS, cutoff)).toBe(false);
  });

  it('is due on day 31 of its life and not on day 30', () => {
    const made = Date.UTC(2026, 10, 23, 10, 44); // Monday 23 November, day 1
    const due = purgeDueAt(made, 30);
    expect(localDate(due, 'Europe/London')).toBe('2026-12-23'); // day 31
    const endOfDay30 = zonedInstant('2026-12-22', '23:59', 'Europe/London');
    expect(isExpired(made, purgeCutoff(endOfDay30, 30))).toBe(false);
    expect(isExpired(made, purgeCutoff(due + 1, 30))).toBe(true);
  });

  it('counts elapsed time, so the school’s time zone does not move the due instant', () => {
    const made = zonedInstant('2026-11-23', '23:30', 'Europe/London');
    const due = purgeDueAt(made, 30);
    expect(due - made).toBe(30 * 24 * HOUR_MS);
    // The same instant reads as different days in other zones; it is still one instant.
    expect(localDate(due, 'Europe/London')).toBe('2026-12-23');
    expect(localDate(due, 'Australia/Sydney')).toBe('2026-12-24');
    expect(localDate(due, 'America/New_York')).toBe('2026-12-23');
    expect(localTime(due, 'America/New_York')).toBe('18:30');
  });

  it('is never longer than 30 × 24 hours across the autumn clock change (the wall clock reads an hour earlier)', () => {
    // Europe/London leaves BST on Sunday 25 October 2026.
    const made = zonedInstant('2026-10-10', '10:00', 'Europe/London'); // 09:00 UTC
    const due = purgeDueAt(made, 30);
    expect(due - made).toBe(30 * 24 * HOUR_MS);
    expect(localDate(due, 'Europe/London')).toBe('2026-11-09');
    expect(localTime(due, 'Europe/London')).toBe('09:00');
  });

  it('is never shorter than 30 × 24 hours across the spring clock change (the wall clock reads an hour later)', () => {
    // Europe/London enters BST on Sunday 28 March 2027.
    const made = zonedInstant('2027-03-20', '10:00', 'Europe/London');
    const due = purgeDueAt(made, 30);
    expect(due - made).toBe(30 * 24 * HOUR_MS);
    expect(localTime(due, 'Europe/London')).toBe('11:00');
    expect(isExpired(made, purgeCutoff(due, 30))).toBe(false);
    expect(isExpired(made, purgeCutoff(due + 1, 30))).toBe(true);
  });

  it('refuses a retention period that would purge everything or keep for ever', () => {
    for (const days of [0, -1, 1.5, 367, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => purgeCutoff(NOW, days)).toThrow(RetentionError);
      expect(() => purgeDueAt(NOW, days)).toThrow(RetentionError);
    }
    expect(purgeCutoff(NOW, 1)).toBe(NOW - DAY_MS);
    expect(purgeCutoff(NOW, 366)).toBe(NOW - 366 * DAY_MS);
  });
});

describe('selecting what is expired', () => {
  const cutoff = purgeCutoff(NOW, 30);
  const old = NOW - 31 * DAY_MS;

  it('selects only recordings past retention that are not purged and not held', () => {
    const records = [
      rec('a', old),
      rec('b', NOW - DAY_MS),
      rec('c', old, { purgedAt: '2026-12-20 02:00 deleted' }),
      rec('d', old, { lessonId: 'L-held' }),
      rec('e', old, { hold: 'held by dsl@school.org since 2026-11-30: incident' }),
      rec('f', old, { hold: 'released by dsl@school.org' }),
    ];
    const chosen = selectExpired(records, cutoff, new Set(['L-held']));
    expect(chosen.map((r) => r.fileId)).toEqual(['a', 'f']);
  });

  it('reads only "held ..." as a hold', () => {
    expect(isHoldText('held by dsl@x.org since 2026-11-30')).toBe(true);
    expect(isHoldText('  Held by someone')).toBe(true);
    expect(isHoldText('released by dsl@x.org')).toBe(false);
    expect(isHoldText('')).toBe(false);
    expect(isHoldText(null)).toBe(false);
  });
});

describe('planning a purge from what Drive returned', () => {
  const cutoff = purgeCutoff(NOW, 30);
  const old = NOW - 40 * DAY_MS;
  const due = (fileId: string, createdAt = old, heldOnFile = false): DueCandidate => ({
    fileId,
    createdAt,
    heldOnFile,
  });

  it('never touches a file that is not in the registry, whatever Drive says', () => {
    const plan = planPurge([due('stranger'), due('ours')], [rec('ours', old)], cutoff, new Set());
    expect(plan.purge.map((r) => r.fileId)).toEqual(['ours']);
    expect(plan.unregistered.map((c) => c.fileId)).toEqual(['stranger']);
  });

  it('needs both Drive and the registry to say it is past retention', () => {
    const plan = planPurge(
      [due('young-in-registry'), due('young-in-drive', NOW - DAY_MS)],
      [rec('young-in-registry', NOW - DAY_MS), rec('young-in-drive', old)],
      cutoff,
      new Set(),
    );
    expect(plan.purge).toEqual([]);
    expect(plan.held).toEqual([]);
  });

  it('keeps anything held by the DSL’s list, the sheet or the file’s own marker', () => {
    const plan = planPurge(
      [due('listed'), due('sheet'), due('marker', old, true), due('free'), due('free')],
      [
        rec('listed', old, { lessonId: 'L-incident' }),
        rec('sheet', old, { hold: 'held by dsl@x.org since 2026-11-30' }),
        rec('marker', old),
        rec('free', old),
      ],
      cutoff,
      new Set(['L-incident']),
    );
    expect(plan.purge.map((r) => r.fileId)).toEqual(['free']);
    expect(plan.held.map((r) => r.fileId).sort()).toEqual(['listed', 'marker', 'sheet']);
  });

  it('skips what the registry says is already purged', () => {
    const plan = planPurge([due('x')], [rec('x', old, { purgedAt: 'deleted' })], cutoff, new Set());
    expect(plan.purge).toEqual([]);
  });

  it('sends deletions 100 to a request', () => {
    const ids = Array.from({ length: 250 }, (_, i) => i);
    expect(chunks(ids, 100).map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunks([], 100)).toEqual([]);
    expect(() => chunks(ids, 0)).toThrow(RetentionError);
  });
});

describe('collecting a lesson’s recordings (R16, R27)', () => {
  const callStart = Date.UTC(2026, 10, 23, 9, 57);
  const ended = Date.UTC(2026, 10, 23, 10, 32);
  const entry = (extra: Partial<CollectionEntry> = {}): CollectionEntry => ({
    lessonId: 'L-20261123-abcdef',
    teacher: 't@school.org',
    space: 'spaces/x',
    courseName: 'Year 3 / Class A',
    start: Date.UTC(2026, 10, 23, 10, 0),
    endedAt: ended,
    hadCall: true,
    oneStaff: false,
    nextCheck: ended,
    handled: [],
    flagged: false,
    ...extra,
  });
  const made = (fileId: string, start: number, end: number) => ({
    name: `r/${fileId}`,
    state: 'FILE_GENERATED',
    fileId,
    start,
    end,
  });
  const call = (recordings: FoundCall['recordings'], from = callStart, to = ended): FoundCall => ({
    name: 'conferenceRecords/c1',
    start: from,
    end: to,
    recordings,
  });
  const found = (...calls: FoundCall[]): FoundRecordings => ({ calls });
  const whole = made('f1', callStart + 5_000, ended);

  it('collects each file Meet has made, once', () => {
    expect(collectionStep(entry(), found(call([whole])), ended + 15 * MINUTE_MS)).toEqual({
      kind: 'collect',
      fileIds: ['f1'],
    });
    expect(
      collectionStep(entry({ handled: ['f1'] }), found(call([whole])), ended + 15 * MINUTE_MS),
    ).toEqual({ kind: 'done', why: 'collected' });
  });

  it('says "collected" at once when the recordings cover every call from start to end', () => {
    const first = made('f1', callStart + 5_000, callStart + 10 * MINUTE_MS);
    const second = made('f2', callStart + 10 * MINUTE_MS + 30_000, ended);
    expect(callSettled(call([second, first]))).toBe(true);
    expect(
      afterCollection(
        entry({ handled: ['f1', 'f2'] }),
        found(call([first, second])),
        ended + HOUR_MS,
      ),
    ).toEqual({ kind: 'done', why: 'collected' });
  });

  it('keeps looking while a gap could hold another recording, and calls it collected at the 24-hour limit', () => {
    // Stopped at 10:07 and started again at 10:20: a recording of 10:07-10:20 may still appear.
    const first = made('f1', callStart + 5_000, callStart + 10 * MINUTE_MS);
    const second = made('f2', callStart + 23 * MINUTE_MS, ended);
    const answer = found(call([first, second]));
    const both = entry({ handled: ['f1', 'f2'] });
    expect(callSettled(answer.calls[0]!)).toBe(false);
    expect(afterCollection(both, answer, ended + 3 * HOUR_MS)).toEqual({
      kind: 'wait',
      flagMissing: false,
    });
    expect(afterCollection(both, answer, ended + LATE_LIMIT_MS)).toEqual({
      kind: 'done',
      why: 'collected',
    });
  });

  it('does not call a lesson collected while a call runs, a recording is still being made, or a second call has none yet', () => {
    const handled = entry({ handled: ['f1'] });
    const later = ended + HOUR_MS;
    expect(
      afterCollection(handled, found(call([whole], callStart, null as unknown as number)), later)
        .kind,
    ).toBe('wait');
    const making = { ...whole, name: 'r/2', state: 'ENDED', fileId: null };
    expect(afterCollection(handled, found(call([whole, making])), later).kind).toBe('wait');
    const second = { ...call([]), name: 'conferenceRecords/c2' };
    expect(afterCollection(handled, found(call([whole]), second), later).kind).toBe('wait');
  });

  it('asks who was in a second call that left no recording at the 24-hour limit, flags it once, and looks until Meet forgets it', () => {
    const first = made('f1', callStart + 5_000, callStart + 12 * MINUTE_MS);
    const silent = { ...call([], callStart + 16 * MINUTE_MS, ended), name: 'conferenceRecords/c2' };
    const answer = found(call([first], callStart, callStart + 13 * MINUTE_MS), silent);
    const handled = entry({ handled: ['f1'] });
    expect(afterCollection(handled, answer, ended + LATE_LIMIT_MS - 1)).toEqual({
      kind: 'wait',
      flagMissing: false,
    });
    expect(afterCollection(handled, answer, ended + LATE_LIMIT_MS)).toEqual({
      kind: 'wait',
      flagMissing: true,
      silentCalls: ['conferenceRecords/c2'],
    });
    const flagged = { ...handled, flagged: true };
    expect(afterCollection(flagged, answer, ended + 2 * DAY_MS)).toMatchObject({
      kind: 'wait',
      flagMissing: false,
    });
    expect(afterCollection(flagged, answer, ended + LAST_LOOK_MS)).toEqual({
      kind: 'done',
      why: 'collected',
    });
    // Only staff were in it (Meet said so): nothing to flag, collected.
    const quiet = { ...handled, quietCalls: ['conferenceRecords/c2'] };
    expect(afterCollection(quiet, answer, ended + LATE_LIMIT_MS)).toEqual({
      kind: 'done',
      why: 'collected',
    });
    // The school's policy did not record this lesson: no call needs a recording.
    expect(
      afterCollection({ ...handled, recordingExpected: false }, answer, ended + LATE_LIMIT_MS),
    ).toEqual({ kind: 'done', why: 'collected' });
  });

  it('looks once more at the retention date of a recording left outside the folder, if that comes before the next look', () => {
    const waiting = entry();
    const day3 = ended + 3 * DAY_MS;
    expect(nextCheckAt(waiting, day3)).toBe(ended + 4 * DAY_MS);
    expect(nextCheckAt(waiting, day3, ended + 3.5 * DAY_MS)).toBe(ended + 3.5 * DAY_MS);
    expect(nextCheckAt(waiting, day3, ended + 7 * DAY_MS)).toBe(ended + 4 * DAY_MS);
    expect(nextCheckAt(waiting, day3, day3 - 1)).toBe(ended + 4 * DAY_MS);
  });

  it('finishes a lesson nobody joined without waiting', () => {
    expect(collectionStep(entry({ hadCall: false }), found(), ended)).toEqual({
      kind: 'done',
      why: 'no-call',
    });
  });

  it('flags a call with no recording once, at the 24-hour limit, keeps looking until Meet forgets the call, then gives up', () => {
    const none = found(call([]));
    expect(collectionStep(entry(), none, ended + LATE_LIMIT_MS - 1)).toEqual({
      kind: 'wait',
      flagMissing: false,
    });
    expect(collectionStep(entry(), none, ended + LATE_LIMIT_MS)).toEqual({
      kind: 'wait',
      flagMissing: true,
    });
    expect(collectionStep(entry({ flagged: true }), none, ended + 2 * DAY_MS)).toEqual({
      kind: 'wait',
      flagMissing: false,
    });
    expect(collectionStep(entry({ flagged: true }), none, ended + LAST_LOOK_MS)).toEqual({
      kind: 'done',
      why: 'gave-up',
    });
    expect(LAST_LOOK_MS).toBeLessThan(RECORDS_EXPIRE_MS);
  });

  it('flags at once a call in which nobody who may record was present', () => {
    expect(
      collectionStep(entry({ staffJoined: false }), found(call([])), ended + FIRST_LOOK_MS),
    ).toEqual({
      kind: 'wait',
      flagMissing: true,
    });
    expect(
      collectionStep(entry({ staffJoined: true }), found(call([])), ended + FIRST_LOOK_MS),
    ).toEqual({
      kind: 'wait',
      flagMissing: false,
    });
  });

  it('still collects a recording that appears after the flag', () => {
    expect(
      collectionStep(entry({ flagged: true }), found(call([whole])), ended + 3 * DAY_MS),
    ).toEqual({
      kind: 'collect',
      fileIds: ['f1'],
    });
  });

  it('tries a file Drive refused until the last look, then gives up on it', () => {
    const refused = found(call([whole]));
    expect(afterCollection(entry(), refused, ended + 5 * DAY_MS)).toEqual({
      kind: 'wait',
      flagMissing: false,
    });
    expect(afterCollection(entry(), refused, ended + LAST_LOOK_MS)).toEqual({
      kind: 'done',
      why: 'gave-up',
    });
  });

  it('does not flag a lesson the school chose not to record, but collects any recording made by hand', () => {
    const unrecorded = entry({ recordingExpected: false });
    expect(collectionStep(unrecorded, found(call([])), ended + LATE_LIMIT_MS)).toEqual({
      kind: 'done',
      why: 'not-recorded',
    });
    expect(collectionStep(unrecorded, found(call([whole])), ended + HOUR_MS).kind).toBe('collect');
  });

  it('looks 15 minutes after the call, then at growing intervals up to the limit, then on a few days only', () => {
    const e = entry();
    expect(firstCheckAt(ended, ended + MINUTE_MS)).toBe(ended + 15 * MINUTE_MS);
    expect(firstCheckAt(ended, ended + HOUR_MS)).toBe(ended + HOUR_MS);
    const looks: number[] = [];
    let at = ended + 15 * MINUTE_MS;
    while (at < ended + LAST_LOOK_MS) {
      looks.push(at);
      at = nextCheckAt(e, at);
    }
    looks.push(at);
    const beforeLimit = looks.filter((t) => t <= ended + LATE_LIMIT_MS);
    expect(beforeLimit.length).toBeLessThanOrEqual(12);
    expect(beforeLimit.at(-1)).toBe(ended + LATE_LIMIT_MS);
    const gaps = beforeLimit.slice(1).map((t, i) => t - beforeLimit[i]!);
    expect(gaps[0]).toBe(15 * MINUTE_MS);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(6 * HOUR_MS);
    expect(looks.filter((t) => t > ended + LATE_LIMIT_MS).map((t) => (t - ended) / DAY_MS)).toEqual(
      [2, 4, 8, 16, 29],
    );
  });

  it('gives the DSL the likely reason a call left no recording', () => {
    expect(
      missingRecordingReason({ calls: 1, staffJoined: false, schoolHasRecorded: true }),
    ).toMatch(/No member of staff was seen/);
    expect(
      missingRecordingReason({ calls: 1, staffJoined: true, schoolHasRecorded: false }),
    ).toMatch(/No lesson at this school has been recorded yet.*Education Plus/);
    expect(
      missingRecordingReason({ calls: 1, staffJoined: true, schoolHasRecorded: true }),
    ).toMatch(/may not be licensed to record.*stopped in the call/);
    expect(
      missingRecordingReason({ calls: 0, staffJoined: true, schoolHasRecorded: true }),
    ).toMatch(/Meet lists no call/);
  });

  it('tells setup whether the school’s Meet can record, from the school’s own lessons', () => {
    const tz = 'Europe/London';
    expect(recordingHealth(EMPTY_TALLY, tz)).toMatchObject({ ok: true });
    expect(recordingHealth(EMPTY_TALLY, tz).line).toMatch(/not yet known/);
    const never = recordingHealth({ ...EMPTY_TALLY, missing: 3, lastMissingAt: ended }, tz);
    expect(never.ok).toBe(false);
    expect(never.line).toMatch(/^FLAG Recording: none of the 3 lesson/);
    const some = recordingHealth(
      { recorded: 2, missing: 1, lastRecordedAt: ended, lastMissingAt: ended + DAY_MS },
      tz,
    );
    expect(some.ok).toBe(true);
    expect(some.line).toMatch(
      /1 had no recording \(the last on 2026-11-24 10:32\): see the Audit sheet/,
    );
    const records = recordingHealth({ ...EMPTY_TALLY, recorded: 5, lastRecordedAt: ended }, tz);
    expect(records).toEqual({
      ok: true,
      line: expect.stringMatching(/records: 5 lesson\(s\) recorded, the last on 2026-11-23 10:32/),
    });
  });

  it('names the file by course, date and lesson', () => {
    expect(recordingFileName(entry(), 1, 'Europe/London')).toBe(
      'Year 3   Class A 2026-11-23 10:00 L-20261123-abcdef',
    );
    expect(recordingFileName(entry(), 2, 'Europe/London')).toMatch(/ part 2$/);
  });

  it('reads back the exact instant it registered, and keeps sheet text inert', () => {
    const createdAt = Date.UTC(2026, 10, 23, 10, 44, 11, 730);
    const row = recordingRow(
      {
        lessonId: 'L-1',
        fileId: 'f1',
        fileName: '=HYPERLINK("x")',
        courseName: 'C',
        lessonStart: createdAt,
        teacher: 't@school.org',
        createdAt,
        movedAt: createdAt,
        purgeDue: purgeDueAt(createdAt, 30),
        hold: null,
      },
      'Europe/London',
    );
    expect(row[2]).toBe(`'=HYPERLINK("x")`);
    // Sheets stores the text without its apostrophe.
    const stored = row.map((c) => (typeof c === 'string' ? c.replace(/^'/, '') : c));
    expect(parseRecordingRow(stored)).toEqual({
      fileId: 'f1',
      lessonId: 'L-1',
      fileName: '=HYPERLINK("x")',
      createdAt,
      // A row without the lesson's end (registered before it was kept) counts from the file.
      retainFrom: createdAt,
      hold: null,
      purgedAt: null,
    });
    expect(parseRecordingRow(['', '', '', '', '', '', 'not a date'])).toBeNull();
  });

  it('counts retention from the end of the lesson’s call, however late Meet made the file', () => {
    const ended = Date.UTC(2026, 10, 23, 10, 32);
    const createdAt = ended + 3 * DAY_MS;
    const row = recordingRow(
      {
        lessonId: 'L-1',
        fileId: 'f1',
        fileName: 'n',
        courseName: 'C',
        lessonStart: ended - 32 * MINUTE_MS,
        teacher: 't@school.org',
        createdAt,
        lessonEndedAt: ended,
        movedAt: createdAt,
        purgeDue: purgeDueAt(retentionStart(createdAt, ended), 30),
        hold: null,
      },
      'Europe/London',
    );
    const stored = row.map((c) => (typeof c === 'string' ? c.replace(/^'/, '') : c));
    const parsed = parseRecordingRow(stored)!;
    expect(parsed.retainFrom).toBe(ended);
    expect(row[8]).toBe('2026-12-23 10:32');
    // Due by the lesson, though Drive's date query (made before the cutoff) cannot find it.
    const cutoff = purgeCutoff(ended + 30 * DAY_MS + HOUR_MS, 30);
    expect(lateDue([parsed], cutoff, new Set())).toEqual(['f1']);
    expect(lateDue([parsed], cutoff, new Set(['L-1']))).toEqual([]);
    // The file's own marker agrees, so the purge may delete it; without the marker it may not.
    const onDrive = { fileId: 'f1', createdAt, heldOnFile: false };
    expect(
      planPurge([{ ...onDrive, lessonEndedAt: ended }], [parsed], cutoff, new Set()).purge,
    ).toEqual([parsed]);
    expect(planPurge([onDrive], [parsed], cutoff, new Set()).purge).toEqual([]);
    // A file made before the lesson's recorded end (a damaged or early end) counts from the file.
    expect(retentionStart(createdAt, createdAt + DAY_MS)).toBe(createdAt);
    expect(retentionStart(createdAt, Number.NaN)).toBe(createdAt);
  });
});
