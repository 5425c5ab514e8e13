// Acceptance probe (R16, R17, R18, R20, R28) of this morning's recordings changes as a real
// school's mess would hit them: Google losing the answer in the middle of taking a recording
// back from another shared drive; the Purge Due cells rewritten through Sheets' 500s and lost
// answers; retention changed twice within the hour; retention typed as 0, a formula or 20,000
// characters; and a school upgrading, whose Recordings sheet lacks the new "Lesson Ended (UTC)"
// column and whose older recordings carry no lesson end (no `sllEnded`, no cell). Written from
// the policies (000: lessons "recorded and saved for up to 30 days"; 004: images "stored only on
// the school's agreed secure networks") and Google's contracts. Each test drives the shipped
// bundle and asserts what the simulated Drive, the log spreadsheet and the outbox hold.

import { purgeDueText } from '../../src/core/recording';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/core/time';
import { schoolConfig, seedRegisteredRecordings } from '../bench/purge-bench';
import { DeployedSchool, monday } from './deployed-school';
import { audit, laterOn, lesson, noFailures, table } from './records-kit';
import { flagCodes } from './scenario-kit';
import { Timetable } from './timetable';

type Drive = ReturnType<DeployedSchool['ws']['drive']['advancedService']>;
type NoBlob = GoogleAppsScript.Base.Blob;

function recordingRow(school: DeployedSchool, lessonId: string) {
  return table(school, 'Recordings').find((r) => r['Lesson ID'] === lessonId);
}

/** A Purge Due cell as the log shows it: the minute of `at`. */
const toTheMinute = (at: number) => new Date(Math.floor(at / MINUTE_MS) * MINUTE_MS);

function asUser<T>(school: DeployedSchool, user: string, fn: (drive: Drive) => T): T {
  const result = school.ws.kernel.runExecution(
    { user, kind: 'editor', functionName: 'driveUi' },
    () => fn(school.ws.drive.advancedService()),
  );
  if (!result.ok) throw result.error;
  return result.value as T;
}

describe('Google loses the answer while the product takes a recording back from another shared drive (R16, R20)', () => {
  /** The teacher, a manager of the year team's drive (a pupil a viewer), moves Meet's file there at 10:45. */
  function movedIntoYearTeamDrive() {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const pupil = course.pupils[0]!.email;
    const yearTeam = ws.drive.createSharedDrive('Year 3 team', [
      { email: school.school.slt.email, role: 'organizer' },
      { email: teacher, role: 'organizer' },
      { email: pupil, role: 'reader' },
    ]);
    const id = lesson(t, course);
    t.runUntil(monday(10, 45));
    const folder = ws.drive.ensureMyDriveFolder(teacher, 'Meet Recordings');
    const [made] = ws.drive.filesIn(folder);
    const fileId = made!.id;
    asUser(school, teacher, (Drive) =>
      Drive.Files.update({}, fileId, null as unknown as NoBlob, {
        addParents: yearTeam,
        removeParents: ws.drive.file(fileId)!.parents.join(','),
        supportsAllDrives: true,
      }),
    );
    expect(ws.drive.canRead(pupil, fileId)).toBe(true);
    return { school, ws, id, fileId, pupil, dsl: school.school.dsl.email };
  }

  function takenBackNotices(school: DeployedSchool, dsl: string, id: string) {
    return school
      .mailTo(dsl)
      .filter((m) => m.subject === `Lesson ${id}: recording taken back from another shared drive`);
  }

  it.each([
    ['the teacher’s move out of the other drive', 1],
    ['both moves (out of the other drive, then into the folder)', 2],
  ])(
    'still tells the DSL once where the recording had been when Google loses the answer to %s, and files it once',
    (_what, lost) => {
      const { school, ws, id, fileId, pupil, dsl } = movedIntoYearTeamDrive();
      // Drive makes each move and answers 504 (the change made, the answer lost).
      ws.kernel.faults.inject({ match: 'drive.files.update', kind: 'lost-answer', times: lost });
      school.advanceTo(monday(13, 0));
      expect(ws.kernel.faults.injected.filter((f) => f.kind === 'lost-answer')).toHaveLength(lost);

      const { recordingsFolderId } = schoolConfig(school);
      expect(ws.drive.file(fileId)!.parents).toEqual([recordingsFolderId]);
      expect(ws.drive.canRead(pupil, fileId)).toBe(false);
      expect(ws.drive.permissionsOf(fileId)).toEqual([]);
      expect(table(school, 'Recordings').filter((r) => r['File ID'] === fileId)).toHaveLength(1);
      const collected = audit(school, 'collected', id);
      expect(collected).toHaveLength(1);
      expect(String(collected[0]!.Why)).toContain('Taken back from the shared drive "Year 3 team"');
      const told = takenBackNotices(school, dsl, id);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain('"Year 3 team"');
      // Later looks and a retention change tell nobody again.
      school.advance(6 * HOUR_MS);
      expect(takenBackNotices(school, dsl, id)).toHaveLength(1);
      noFailures(school);
    },
  );

  it('tells the DSL once, not twice, when the Recordings sheet refuses the first registration after the take-back', () => {
    const { school, ws, id, fileId, dsl } = movedIntoYearTeamDrive();
    // The Recordings sheet answers 500 to the first block written after the move.
    let refused = 0;
    ws.kernel.duringCall('drive.files.update', () => {
      if (refused === 0)
        ws.kernel.faults.inject({ match: 'sheets.Range.setValues', kind: 500, times: 1 });
      refused += 1;
    });
    school.advanceTo(monday(13, 0));
    expect(ws.kernel.faults.injected.some((f) => f.kind === 500)).toBe(true);
    expect(table(school, 'Recordings').filter((r) => r['File ID'] === fileId)).toHaveLength(1);
    expect(audit(school, 'collected', id)).toHaveLength(1);
    expect(takenBackNotices(school, dsl, id)).toHaveLength(1);
    noFailures(school);
  });
});

describe('the school changes retention while Google is unsettled (R17, R18)', () => {
  /** Class A's lesson on Monday 23rd, class B's on Wednesday 2nd (9 days later). */
  function twoLessons() {
    const school = new DeployedSchool({ teachers: 2 });
    const t = new Timetable(school);
    const [a, b] = school.school.courses;
    const old = lesson(t, a!);
    t.runUntil(monday(11, 30));
    school.ws.kernel.clock.advanceTo(monday(7) + 9 * DAY_MS);
    const young = lesson(t, b!, monday(10) + 9 * DAY_MS);
    t.runUntil(monday(11, 30) + 9 * DAY_MS);
    const ended = (id: string) =>
      Date.parse(String(recordingRow(school, id)!['Lesson Ended (UTC)']).replace(/^'/, ''));
    return { school, ws: school.ws, old, young, ended };
  }

  function shownDue(school: DeployedSchool, id: string) {
    return {
      recordings: recordingRow(school, id)!['Purge Due'],
      sessions: school.sessionRow(id)?.['Recording Purge Due'],
    };
  }

  it('shows the dates of the last retention typed when SLT change it twice within the hour, through Sheets 500s and a lost answer, writing no row twice', () => {
    const { school, ws, old, young, ended } = twoLessons();
    const rowsBefore = table(school, 'Recordings').length;
    ws.kernel.faults
      .inject({ match: 'sheets.Range.setValues', kind: 'lost-response', times: 1 })
      .inject({ match: 'sheets.Range.setValues', kind: 500, times: 2 });
    school.writeSettings({ retentionDays: '14' });
    school.advance(20 * MINUTE_MS);
    school.writeSettings({ retentionDays: '45' });
    school.advance(2 * HOUR_MS);
    expect(ws.kernel.faults.injected.map((f) => f.kind)).toEqual(
      expect.arrayContaining(['lost-response', 500]),
    );
    for (const id of [old, young]) {
      const due = toTheMinute(ended(id) + 45 * DAY_MS);
      expect(shownDue(school, id)).toEqual({ recordings: due, sessions: due });
    }
    // Nothing written twice, nothing lost: the same rows, nothing purged (neither is 14 days old).
    expect(table(school, 'Recordings')).toHaveLength(rowsBefore);
    expect(audit(school, 'deleted')).toEqual([]);
    // The purge keeps to the date shown.
    laterOn(school, ended(old) + 45 * DAY_MS - 2 * HOUR_MS, HOUR_MS);
    const oldFile = String(recordingRow(school, old)!['File ID']);
    expect(ws.drive.exists(oldFile)).toBe(true);
    school.advance(2 * HOUR_MS);
    expect(ws.drive.exists(oldFile)).toBe(false);
    expect(String(audit(school, 'deleted', old)[0]?.Why)).toMatch(/^Past retention \(45 days/);
    noFailures(school);
  });

  it.each([
    ['0 days', '0', /got "0"/],
    ['a formula', '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/x","A1")', /retentionDays/],
    ['20,000 nines', '9'.repeat(20_000), /retentionDays/],
  ])(
    'keeps the 60 days in force, and the dates shown for them, when SLT then type a retention of %s',
    (_what, typed, why) => {
      const { school, ws, old, ended } = twoLessons();
      school.writeSettings({ retentionDays: '60' });
      school.advance(2 * HOUR_MS);
      const due60 = toTheMinute(ended(old) + 60 * DAY_MS);
      expect(shownDue(school, old)).toEqual({ recordings: due60, sessions: due60 });

      school.writeSettings({ retentionDays: typed });
      school.advance(2 * HOUR_MS);
      const told = school
        .mailTo(school.school.slt.email)
        .filter((m) => m.subject === 'Safe Live Lessons: the Settings sheet has problems');
      expect(told.length).toBeGreaterThan(0);
      expect(told.at(-1)!.body).toMatch(why);
      expect(told.at(-1)!.body.length).toBeLessThan(5_000);
      // The log shows the 60 days still, not the default 30.
      expect(shownDue(school, old)).toEqual({ recordings: due60, sessions: due60 });
      expect(ws.sheets.formulaCells(school.logId).filter((c) => c.sheet !== 'Settings')).toEqual(
        [],
      );
      // Day 31 of the lesson: kept, as 60 days say.
      laterOn(school, ended(old) + 31 * DAY_MS, 2 * HOUR_MS);
      expect(ws.drive.exists(String(recordingRow(school, old)!['File ID']))).toBe(true);
      expect(audit(school, 'deleted')).toEqual([]);
      noFailures(school);
    },
  );
});

describe('a school upgrading: recordings collected before retention counted from the lesson (R17, R18)', () => {
  it('purges a recording that carries no lesson end (no file marker, no cell, an old sheet without the column) 30 days after Drive made it, and names the column at its first write, moving no cell', () => {
    const school = new DeployedSchool({ teachers: 2 });
    const { ws } = school;
    const t = new Timetable(school);
    const [a, b] = school.school.courses;
    const before = lesson(t, a!);
    t.runUntil(monday(11, 30));
    // As the older version left it: the file has no `sllEnded`, the sheet has twelve columns.
    const oldFile = String(recordingRow(school, before)!['File ID']);
    const file = ws.drive.file(oldFile)!;
    delete file.appProperties.sllEnded;
    const header = ws.sheets.table(school.logId, 'Recordings')[0]!;
    const column = header.indexOf('Lesson Ended (UTC)');
    expect(column).toBe(12);
    const createdAt = Date.parse(file.createdTime);
    // The older version's Purge Due counted from when Drive made the file.
    ws.sheets.editAsUser(school.school.automation.email, school.logId, 'Recordings!I2', [
      [purgeDueText(createdAt + 30 * DAY_MS, 'Europe/London')],
    ]);
    ws.sheets.editAsUser(school.school.automation.email, school.logId, 'Recordings!M1:M2', [
      [''],
      [''],
    ]);

    // The new version collects the next day's lesson into the old sheet.
    school.ws.kernel.clock.advanceTo(monday(7) + DAY_MS);
    const after = lesson(t, b!, monday(10) + DAY_MS);
    t.runUntil(monday(11, 30) + DAY_MS);
    const newRow = recordingRow(school, after)!;
    expect(String(newRow['File ID'])).not.toBe('');
    // Its lesson end is in the thirteenth column, which the first write named: SLT never read a
    // value under a blank header, whether or not setup is run again after the upgrade.
    const rows = ws.sheets.table(school.logId, 'Recordings');
    const newEnded = rows.find((r) => r[0] === after)![12];
    expect(String(newEnded)).toMatch(/^'?2026-11-24T/);
    expect(rows[0]!.slice(0, 13)).toEqual([...header.slice(0, 12), 'Lesson Ended (UTC)']);

    // Setup run again (the upgrade's step) keeps the column's name and moves nothing.
    school.run('setup', {}, school.school.automation.email, 'editor');
    const upgraded = ws.sheets.table(school.logId, 'Recordings');
    expect(upgraded[0]![12]).toBe('Lesson Ended (UTC)');
    expect(upgraded.slice(1).map((r) => [r[0], r[1], r[12]])).toEqual(
      rows.slice(1).map((r) => [r[0], r[1], r[12]]),
    );

    // The old recording: due 30 days after Drive made it, shown so, and purged then.
    expect(recordingRow(school, before)!['Purge Due']).toEqual(
      toTheMinute(createdAt + 30 * DAY_MS),
    );
    laterOn(school, createdAt + 30 * DAY_MS - 2 * HOUR_MS, HOUR_MS);
    expect(ws.drive.exists(oldFile)).toBe(true);
    school.advance(2 * HOUR_MS);
    expect(ws.drive.exists(oldFile)).toBe(false);
    expect(audit(school, 'deleted').map((r) => r['Lesson ID'])).toEqual([before]);
    expect(String(audit(school, 'deleted')[0]!.Why)).toMatch(/^Past retention \(30 days/);

    // Shortened to 7 days: the old one's neighbour is shown 7 days from its lesson's end.
    school.writeSettings({ retentionDays: '7' });
    school.advance(2 * HOUR_MS);
    const newFile = String(newRow['File ID']);
    expect(ws.drive.exists(newFile)).toBe(false);
    expect(audit(school, 'deleted').map((r) => r['Lesson ID'])).toEqual([before, after]);
    noFailures(school);
  });
});

describe('a school upgrading after changing retention under the older version (R17, R18)', () => {
  it('rewrites the Purge Due the older version left at 30 days once the school’s 14 days are in force, at the first run after the upgrade', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const id = lesson(t, school.school.courses[0]!);
    t.runUntil(monday(11, 30));
    const row = recordingRow(school, id)!;
    const ended = Date.parse(String(row['Lesson Ended (UTC)']).replace(/^'/, ''));
    expect(row['Purge Due']).toEqual(toTheMinute(ended + 30 * DAY_MS));
    // Under the older version SLT shortened retention to 14 days; it kept no note of the
    // retention its dates were written for and did not rewrite them: they still say 30.
    school.writeSettings({ retentionDays: '14' });
    school.advance(2 * HOUR_MS);
    ws.properties.deleteScript(['recshown:retention']);
    const old = purgeDueText(ended + 30 * DAY_MS, 'Europe/London');
    const at = ws.sheets.table(school.logId, 'Recordings').findIndex((r) => r[0] === id) + 1;
    ws.sheets.editAsUser(school.school.automation.email, school.logId, `Recordings!I${at}`, [
      [old],
    ]);
    expect(recordingRow(school, id)!['Purge Due']).toEqual(toTheMinute(ended + 30 * DAY_MS));

    // The upgraded version's first runs.
    school.advance(2 * HOUR_MS);
    const due = toTheMinute(ended + 14 * DAY_MS);
    expect(recordingRow(school, id)!['Purge Due']).toEqual(due);
    expect(school.sessionRow(id)?.['Recording Purge Due']).toEqual(due);
    // And the purge keeps to it.
    const fileId = String(row['File ID']);
    laterOn(school, ended + 14 * DAY_MS - 2 * HOUR_MS, HOUR_MS);
    expect(ws.drive.exists(fileId)).toBe(true);
    school.advance(2 * HOUR_MS);
    expect(ws.drive.exists(fileId)).toBe(false);
    noFailures(school);
  });
});

describe('the purge cut off at 6 minutes while it rewrites thousands of Purge Due cells (R17, R18)', () => {
  it('finishes the rewrite at a later run: every kept row shows the new date, each due file deleted once, no row written twice', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const seeded = seedRegisteredRecordings(school, 3_000, 30);
    const rowsBefore = table(school, 'Recordings').length;
    const deletedTimes = new Map<string, number>();
    const realDelete = ws.drive.filesDelete.bind(ws.drive);
    ws.drive.filesDelete = (principal, fileId, args) => {
      realDelete(principal, fileId, args);
      deletedTimes.set(fileId, (deletedTimes.get(fileId) ?? 0) + 1);
    };
    school.writeSettings({ retentionDays: '7' });
    // The hourly housekeeping reads the Settings sheet: 7 days are in force.
    expect(
      school.tryRun('hourlyHousekeeping', {}, school.school.automation.email, 'trigger').ok,
    ).toBe(true);
    // Sheets so slow that the first run is killed inside the rewrite.
    ws.kernel.latency['sheets.Range.setValues'] = 7 * MINUTE_MS;
    const purge = () =>
      school.tryRun('purgeRecordings', {}, school.school.automation.email, 'trigger');
    expect(purge().killed).toBe(true);
    delete ws.kernel.latency['sheets.Range.setValues'];
    for (let i = 0; i < 4; i++) {
      ws.kernel.clock.advance(HOUR_MS);
      const run = purge();
      expect(run.ok).toBe(true);
    }

    const rows = table(school, 'Recordings');
    expect(rows).toHaveLength(rowsBefore);
    const now = ws.now();
    let kept = 0;
    for (const r of rows) {
      const recorded = Date.parse(String(r['Recorded At (UTC)']).replace(/^'/, ''));
      const fileId = String(r['File ID']);
      if (recorded + 7 * DAY_MS < now - 4 * HOUR_MS) {
        expect(ws.drive.file(fileId)).toBeUndefined();
        expect(r['Purged At']).not.toBe('');
      } else {
        kept += 1;
        expect(ws.drive.file(fileId)).toBeDefined();
        expect(r['Purge Due']).toEqual(toTheMinute(recorded + 7 * DAY_MS));
      }
    }
    expect(kept).toBeGreaterThan(0);
    expect([...deletedTimes.values()].every((n) => n === 1)).toBe(true);
    const deletions = audit(school, 'deleted').map((r) => String(r['File ID']));
    expect(new Set(deletions).size).toBe(deletions.length);
    expect(deletions.length).toBe(deletedTimes.size);
    expect(seeded.due.every((id) => !ws.drive.file(id))).toBe(true);
  });
});

describe('a call of the lesson with only its staff in it, left unrecorded (R11, R16, R28)', () => {
  it('does not flag the lesson nor tell the DSL when the only unrecorded call held the teacher and the teaching assistant alone', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const assistant = course.assistant.email;
    const id = lesson(t, course);
    // Everyone drops out at 10:12; the teacher and the TA come back to talk the lesson over,
    // leave, and the teacher starts the call again with the class: three calls, the middle one
    // staff only, whose recording Meet never makes.
    ws.meet.nextRecordingDelays.push(12 * MINUTE_MS, 'never', 12 * MINUTE_MS);
    t.runUntil(monday(10, 12));
    const code = (school.lesson(id).room as { meetingCode: string }).meetingCode;
    for (const who of ws.meet.participantsNow(code)) ws.meet.leave(who, code);
    school.advance(MINUTE_MS);
    expect(ws.meet.join(teacher, code)).toBe('joined');
    if (ws.meet.join(assistant, code) === 'knocking') ws.meet.admit(teacher, code, assistant);
    school.advance(2 * MINUTE_MS);
    ws.meet.leave(assistant, code);
    ws.meet.leave(teacher, code);
    school.advance(MINUTE_MS);
    expect(ws.meet.join(teacher, code)).toBe('joined');
    for (const who of [assistant, ...course.pupils.slice(0, 3).map((p) => p.email)])
      if (ws.meet.join(who, code) === 'knocking') ws.meet.admit(teacher, code, who);
    t.runUntil(monday(12, 0));
    laterOn(school, monday(10, 32) + 2 * DAY_MS, 2 * HOUR_MS);

    const calls = [...ws.meet.conferences.values()].filter(
      (c) => ws.meet.spaces.get(c.spaceId)?.meetingCode === code,
    );
    expect(calls.map((c) => c.participants.length)).toEqual([5, 2, 5]);
    expect(calls.map((c) => c.recordings.filter((r) => r.fileId).length)).toEqual([1, 0, 1]);
    expect(table(school, 'Recordings').filter((r) => r['Lesson ID'] === id)).toHaveLength(2);
    expect(school.sessionRow(id)).toBeDefined();
    expect(flagCodes(school.sessionRow(id))).not.toContain('not-recorded');
    expect(school.mailTo(school.school.dsl.email).map((m) => m.subject)).not.toContain(
      `Lesson ${id}: no recording`,
    );
    expect(audit(school, 'not-recorded', id)).toEqual([]);
    noFailures(school);
  });
});

describe('retention shortened while a recording is left in another shared drive (R17, R27, R28)', () => {
  it('reminds the DSL within two hours of SLT shortening retention to 7 days on day 9, not at the next scheduled look a week later', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    // The teacher is only a contributor on the year team's drive: the product cannot take it back.
    const yearTeam = ws.drive.createSharedDrive('Year 3 team', [
      { email: school.school.slt.email, role: 'organizer' },
      { email: teacher, role: 'writer' },
    ]);
    const id = lesson(t, course);
    t.runUntil(monday(10, 45));
    const folder = ws.drive.ensureMyDriveFolder(teacher, 'Meet Recordings');
    const fileId = ws.drive.filesIn(folder)[0]!.id;
    asUser(school, teacher, (Drive) =>
      Drive.Files.update({}, fileId, null as unknown as NoBlob, {
        addParents: yearTeam,
        removeParents: ws.drive.file(fileId)!.parents.join(','),
        supportsAllDrives: true,
      }),
    );
    school.advanceTo(monday(12, 0));
    const dsl = school.school.dsl.email;
    const mine = () =>
      school
        .mailTo(dsl)
        .map((m) => m.subject)
        .filter((s) => s.startsWith(`Lesson ${id}:`));
    expect(mine()).toEqual([`Lesson ${id}: recording not yet in the safeguarding folder`]);
    // Day 8's look has been; the next is on day 16. On day 9 SLT shorten retention to 7 days.
    laterOn(school, monday(10) + 9 * DAY_MS, 2 * HOUR_MS);
    expect(mine()).toHaveLength(1);
    school.writeSettings({ retentionDays: '7' });
    school.advance(2 * HOUR_MS);
    expect(mine()).toEqual([
      `Lesson ${id}: recording not yet in the safeguarding folder`,
      `Lesson ${id}: recording still outside the safeguarding folder, past retention`,
    ]);
    // Once: the later looks say nothing more until the last word.
    laterOn(school, monday(10) + 20 * DAY_MS, 2 * HOUR_MS);
    expect(mine()).toHaveLength(2);
    noFailures(school);
  });
});
