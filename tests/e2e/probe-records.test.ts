// Acceptance probe (R16, R17, R20, R27, R28) of the mess a real school makes around its lesson
// recordings, between the end of the call and the purge: the teacher's account deleted before
// Meet has made the file; the teacher binning, renaming, sharing or moving the file into
// another shared drive before collection; a file Meet makes days late; the school shortening or
// lengthening retention with recordings already in the folder; the DSL mistyping the lesson id
// of the recording an incident needs kept (policy 004: "evidence should be retained"); and
// who can find a recording once it is collected. Written from the policies (000: "recorded and
// saved for up to 30 days"; 004: images "stored only on the school's agreed secure networks",
// "rights of access ... restricted to approved staff", "transferred/deleted promptly") and
// Google's contracts, not from the product's code. Each test drives the shipped bundle and
// asserts what the simulated Drive, Meet, the log spreadsheet and the outbox hold.
//
// The probe first found four defects, pinned here with `it.failing` until fixed: a recording
// moved into another shared drive called missing and left there; Purge Due not following a
// retention change; retention counted from the file, not the lesson; a restarted call with
// pupils in it left unrecorded without a flag. Each is now a plain test, with its edges.
//
// Already covered elsewhere, so not repeated here: a recording hours late, moved into a folder of
// the teacher's own and shared by link (recordings.test.ts); the teacher deleting it for good
// (recordings.test.ts); recording stopped and restarted, the call emptied and restarted, a
// recording made on day 3 or never, the shared drive deleted, Drive refusing with 403
// (meet-artifacts.test.ts); purges through 429s, 500s, a lost answer and a 6-minute kill, two
// purges at once, day 30 against day 31, a DSL hold and release (recordings.test.ts).

import { DAY_MS, HOUR_MS } from '../../src/core/time';
import { schoolConfig } from '../bench/purge-bench';
import { DeployedSchool, monday } from './deployed-school';
import { audit, laterOn, lesson, noFailures, outsideTheVault, table } from './records-kit';
import { flagCodes } from './scenario-kit';
import { Timetable } from './timetable';

type Drive = ReturnType<DeployedSchool['ws']['drive']['advancedService']>;
type NoBlob = GoogleAppsScript.Base.Blob;

function recordingRow(school: DeployedSchool, lessonId: string) {
  return table(school, 'Recordings').find((r) => r['Lesson ID'] === lessonId);
}

/** The one file Meet put in the teacher's "Meet Recordings" folder. */
function recordingOf(school: DeployedSchool, teacher: string): string {
  const folder = school.ws.drive.ensureMyDriveFolder(teacher, 'Meet Recordings');
  const files = school.ws.drive.filesIn(folder);
  if (files.length !== 1) throw new Error(`expected one recording, found ${files.length}`);
  return files[0]!.id;
}

/** Runs Drive calls as a person in their own execution (as the Drive UI would). */
function asUser<T>(school: DeployedSchool, user: string, fn: (drive: Drive) => T): T {
  const result = school.ws.kernel.runExecution(
    { user, kind: 'editor', functionName: 'driveUi' },
    () => fn(school.ws.drive.advancedService()),
  );
  if (!result.ok) throw result.error;
  return result.value as T;
}

function subjectsTo(school: DeployedSchool, email: string): string[] {
  return school.mailTo(email).map((m) => m.subject);
}

describe('the teacher’s account deleted after the lesson, before Meet has made the file (R16, R28)', () => {
  it('tells the DSL and the admin within the hour, once, that the recording cannot be collected, and collects it once the account is restored', () => {
    // Meet makes the file three hours after the call; the teacher leaves the school at 10:40.
    const school = new DeployedSchool({ recordingDelayMs: 3 * HOUR_MS });
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const id = lesson(t, course);
    t.runUntil(monday(10, 40));
    expect(school.sessionRow(id)?.Status).toBe('closed');
    ws.auth.deleteUser(teacher);

    // Only the owner may move the file into the shared drive, and Google refuses the owner.
    school.advanceTo(monday(11, 40));
    const subject = `Lesson ${id}: recording not yet in the safeguarding folder`;
    const told = school.mailTo(school.school.dsl.email).filter((m) => m.subject === subject);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(teacher);
    expect(told[0]!.body).toMatch(/deleted, suspended or renamed/);
    expect(told[0]!.body).toMatch(/Restore the account/);
    expect(subjectsTo(school, school.school.automation.email)).toContain(subject);
    expect(audit(school, 'not-collected', id)).toHaveLength(1);

    // 13:32: Meet makes the file in the deleted account's Drive; nobody is told twice.
    school.advanceTo(monday(16, 0));
    expect(outsideTheVault(school).map((m) => m.file!.owners)).toEqual([[teacher]]);
    expect(table(school, 'Recordings')).toEqual([]);
    expect(subjectsTo(school, school.school.dsl.email).filter((s) => s === subject)).toHaveLength(
      1,
    );

    // Restored: the next look collects it, and the log links it.
    ws.auth.restoreUser(teacher);
    school.advanceTo(monday(17, 0));
    expect(outsideTheVault(school)).toEqual([]);
    expect(recordingRow(school, id)).toBeDefined();
    expect(String(school.sessionRow(id)?.Recording)).toContain('https://drive.google.com/file/d/');
    expect(ws.drive.canRead(teacher, String(recordingRow(school, id)!['File ID']))).toBe(false);
    expect(audit(school, 'not-collected', id)).toHaveLength(1);
    noFailures(school);
  });
});

describe('what the teacher does with the file before collection (R16, R20, R27)', () => {
  it('collects a recording the teacher binned, renamed to a 20,000-character formula and shared with a pupil and by link, under the product’s own name and with none of that sharing', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const pupil = course.pupils[0]!.email;
    const id = lesson(t, course);
    // 10:44: Meet makes the file; a minute later the teacher "tidies" it.
    t.runUntil(monday(10, 45));
    const fileId = recordingOf(school, teacher);
    const formula = `=IMPORTRANGE("https://docs.google.com/spreadsheets/d/x","A1")${'x'.repeat(20_000)}`;
    asUser(school, teacher, (Drive) => Drive.Files.update({ name: formula }, fileId));
    ws.drive.share(fileId, { type: 'user', role: 'reader', emailAddress: pupil });
    ws.drive.share(fileId, { type: 'anyone', role: 'reader' });
    ws.drive.trash(fileId, teacher);
    expect(ws.drive.canRead(pupil, fileId)).toBe(true);

    school.advanceTo(monday(11, 30));
    const { recordingsFolderId } = schoolConfig(school);
    const file = ws.drive.file(fileId)!;
    expect(file.parents).toEqual([recordingsFolderId]);
    expect(file.trashed).toBe(false);
    expect(file.name).toBe(`Year 3 Class A 2026-11-23 10:00 ${id}`);
    expect(ws.drive.permissionsOf(fileId)).toEqual([]);
    for (const who of [pupil, teacher, course.assistant.email])
      expect(ws.drive.canRead(who, fileId)).toBe(false);
    // Nothing left in the teacher's Bin or folder, nothing of the formula in the log.
    expect(ws.drive.filesIn(ws.drive.ensureMyDriveFolder(teacher, 'Meet Recordings'))).toEqual([]);
    expect(recordingRow(school, id)?.['File Name']).toBe(file.name);
    expect(JSON.stringify(ws.sheets.table(school.logId, 'Audit'))).not.toContain('IMPORTRANGE');
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
    noFailures(school);
  });

  it('lets no teacher, second adult or pupil find the recording once collected: the folder is closed to them and the teacher’s drop folder is empty', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const id = lesson(t, course);
    t.runUntil(monday(11, 30));
    const fileId = String(recordingRow(school, id)?.['File ID']);
    const { recordingsFolderId, sharedDriveId } = schoolConfig(school);
    for (const who of [teacher, course.assistant.email, course.pupils[0]!.email]) {
      expect(ws.drive.canRead(who, recordingsFolderId)).toBe(false);
      expect(ws.drive.canRead(who, fileId)).toBe(false);
      // Searching Drive, as they would, finds no file of the lesson anywhere.
      const found = asUser(school, who, (Drive) =>
        Drive.Files.list({
          q: `name contains '${id}'`,
          corpora: 'allDrives',
          includeItemsFromAllDrives: true,
          supportsAllDrives: true,
        }),
      );
      expect(found.files ?? []).toEqual([]);
    }
    // The teacher's drop folder on the shared drive (the only place they may write) holds nothing.
    const drops = ws.drive
      .allFiles()
      .filter((f) => f.driveId === sharedDriveId && f.parents[0] !== recordingsFolderId);
    expect(drops).toEqual([]);
    expect(ws.drive.sharedDrive(sharedDriveId)!.members.map((m) => m.emailAddress)).not.toContain(
      teacher,
    );
    noFailures(school);
  });

  /** The teacher moves the recording Meet made into another shared drive, as the Drive UI would. */
  function movedIntoAnotherDrive(
    teacherRole: 'organizer' | 'writer',
    settings?: Record<string, string>,
  ) {
    const school = new DeployedSchool();
    if (settings) school.writeSettings(settings);
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const pupil = course.pupils[0]!.email;
    const headOfYear = school.school.slt.email;
    // The year team's drive: the teacher a manager of it or only a contributor, a pupil a viewer.
    const yearTeam = ws.drive.createSharedDrive('Year 3 team', [
      { email: headOfYear, role: 'organizer' },
      { email: teacher, role: teacherRole },
      { email: pupil, role: 'reader' },
    ]);
    const id = lesson(t, course);
    t.runUntil(monday(10, 45));
    const fileId = recordingOf(school, teacher);
    asUser(school, teacher, (Drive) =>
      Drive.Files.update({}, fileId, null as unknown as NoBlob, {
        addParents: yearTeam,
        removeParents: ws.drive.file(fileId)!.parents.join(','),
        supportsAllDrives: true,
      }),
    );
    expect(ws.drive.canRead(pupil, fileId)).toBe(true);
    return { school, ws, id, fileId, pupil, headOfYear, dsl: school.school.dsl.email };
  }

  it('takes back, as the teacher, a recording they moved into another shared drive they manage, tells the DSL where it was, and does not call it missing', () => {
    const { school, ws, id, fileId, pupil, dsl } = movedIntoAnotherDrive('organizer');
    school.advanceTo(monday(12, 0));
    // The product acts as the teacher, who may move items out of a drive they manage.
    const { recordingsFolderId } = schoolConfig(school);
    expect(ws.drive.file(fileId)!.parents).toEqual([recordingsFolderId]);
    expect(ws.drive.canRead(pupil, fileId)).toBe(false);
    expect(ws.drive.permissionsOf(fileId)).toEqual([]);
    expect(recordingRow(school, id)?.['File ID']).toBe(fileId);
    expect(String(audit(school, 'collected', id)[0]?.Why)).toContain(
      'Taken back from the shared drive "Year 3 team"',
    );
    // The DSL hears it was in a drive a pupil could open; it is not called missing.
    const told = school
      .mailTo(dsl)
      .filter((m) => m.subject === `Lesson ${id}: recording taken back from another shared drive`);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('"Year 3 team"');
    expect(subjectsTo(school, dsl)).not.toContain(`Lesson ${id}: no recording`);
    expect(flagCodes(school.sessionRow(id))).not.toContain('not-recorded');

    laterOn(school, monday(10) + 31 * DAY_MS, 2 * HOUR_MS);
    expect(ws.drive.file(fileId)).toBeUndefined();
    expect(audit(school, 'deleted').map((r) => r['Lesson ID'])).toEqual([id]);
    noFailures(school);
  });

  it('keeps telling the DSL that a recording the teacher moved into another shared drive is outside the safeguarding folder, and does not call it missing', () => {
    // The teacher is only a contributor there: Drive lets only a manager move it out.
    const { school, ws, id, fileId, pupil, headOfYear, dsl } = movedIntoAnotherDrive('writer');
    school.advanceTo(monday(12, 0));
    const outside = `Lesson ${id}: recording not yet in the safeguarding folder`;
    expect(subjectsTo(school, dsl)).toContain(outside);
    expect(subjectsTo(school, dsl)).not.toContain(`Lesson ${id}: no recording`);
    expect(flagCodes(school.sessionRow(id))).not.toContain('not-recorded');
    expect(audit(school, 'missing', id)).toEqual([]);
    expect(audit(school, 'not-collected', id)).toHaveLength(1);

    // Still looked for, and told no more in between: the head of year, asked by the DSL, makes
    // the teacher a manager of the year team's drive on day 3 (as the DSL's email suggests), and
    // the next look takes it back and files it (named, marked, registered) like any other.
    laterOn(school, monday(10) + 2 * DAY_MS, 2 * HOUR_MS);
    expect(subjectsTo(school, dsl).filter((s) => s === outside)).toHaveLength(1);
    expect(ws.drive.canRead(pupil, fileId)).toBe(true);
    const yearTeam = ws.drive.file(fileId)!.driveId!;
    asUser(school, headOfYear, (Drive) =>
      Drive.Permissions.create(
        { type: 'user', role: 'organizer', emailAddress: school.school.courses[0]!.teacher.email },
        yearTeam,
        { supportsAllDrives: true, sendNotificationEmail: false },
      ),
    );
    laterOn(school, monday(10, 32) + 4 * DAY_MS, 2 * HOUR_MS);
    expect(recordingRow(school, id)?.['File ID']).toBe(fileId);
    expect(ws.drive.file(fileId)!.parents).toEqual([schoolConfig(school).recordingsFolderId]);
    expect(ws.drive.canRead(pupil, fileId)).toBe(false);
    expect(ws.drive.file(fileId)!.appProperties).toMatchObject({
      sllRecording: '1',
      sllLesson: id,
    });

    laterOn(school, monday(10) + 31 * DAY_MS, 2 * HOUR_MS);
    const stillThere = ws.drive.file(fileId);
    expect(stillThere === undefined || !ws.drive.canRead(pupil, fileId)).toBe(true);
    expect(stillThere).toBeUndefined();
    expect(subjectsTo(school, dsl).filter((s) => s === outside)).toHaveLength(1);
    expect(subjectsTo(school, dsl)).not.toContain(`Lesson ${id}: no recording`);
    noFailures(school);
  });

  it('reminds the DSL once when a recording left in another shared drive falls past retention, and says when it stops looking, with no mail in between', () => {
    const { school, ws, id, fileId, pupil, dsl } = movedIntoAnotherDrive('writer', {
      retentionDays: '7',
    });
    school.advanceTo(monday(12, 0));
    const mine = () => subjectsTo(school, dsl).filter((s) => s.startsWith(`Lesson ${id}:`));
    expect(mine()).toEqual([`Lesson ${id}: recording not yet in the safeguarding folder`]);
    // Day 6: nothing more; day 7 (its retention date): one reminder.
    laterOn(school, monday(10) + 6 * DAY_MS, 2 * HOUR_MS);
    expect(mine()).toHaveLength(1);
    laterOn(school, monday(10, 33) + 7 * DAY_MS, 2 * HOUR_MS);
    expect(mine()).toEqual([
      `Lesson ${id}: recording not yet in the safeguarding folder`,
      `Lesson ${id}: recording still outside the safeguarding folder, past retention`,
    ]);
    // Day 29, before Meet forgets the call: the last word, then nothing.
    laterOn(school, monday(10) + 20 * DAY_MS, 2 * HOUR_MS);
    expect(mine()).toHaveLength(2);
    laterOn(school, monday(10, 33) + 29 * DAY_MS, 2 * HOUR_MS);
    expect(mine()).toHaveLength(3);
    expect(mine()[2]).toBe(`Lesson ${id}: recording left outside the safeguarding folder`);
    expect(flagCodes(school.sessionRow(id))).not.toContain('not-recorded');
    expect(audit(school, 'missing', id)).toEqual([]);
    // Nobody acted: it is still where the teacher put it (the product could not move it).
    expect(ws.drive.canRead(pupil, fileId)).toBe(true);
    noFailures(school);
  });
});

describe('the school changes retention with recordings already in the folder (R17)', () => {
  /** Class A's lesson on Monday 23rd, class B's on Wednesday 2nd and class C's (held by the DSL) on the 23rd. */
  function twoWeeksOfRecordings() {
    const school = new DeployedSchool({ teachers: 3 });
    const t = new Timetable(school);
    const [a, b, c] = school.school.courses;
    const old = lesson(t, a!);
    const held = lesson(t, c!);
    t.runUntil(monday(11, 30));
    expect(
      school.run(
        'holdRecording',
        { lessonId: held, reason: 'incident 3' },
        school.school.dsl.email,
        'editor',
      ),
    ).toMatch(/on hold/);
    school.ws.kernel.clock.advanceTo(monday(7) + 9 * DAY_MS);
    const young = lesson(t, b!, monday(10) + 9 * DAY_MS);
    t.runUntil(monday(11, 30) + 9 * DAY_MS);
    const fileOf = (id: string) => String(recordingRow(school, id)!['File ID']);
    return { school, ws: school.ws, old, held, young, files: [old, held, young].map(fileOf) };
  }

  it('purges within two hours every recording older than a shortened retention (7 days), keeps the younger and the held ones, and audits the 7 days', () => {
    const { school, ws, old, young, files } = twoWeeksOfRecordings();
    const [oldFile, heldFile, youngFile] = files;
    school.writeSettings({ retentionDays: '7' });
    school.advance(2 * HOUR_MS);
    expect(ws.drive.file(oldFile!)).toBeUndefined();
    expect(ws.drive.file(heldFile!)).toBeDefined();
    expect(ws.drive.file(youngFile!)).toBeDefined();
    const [deletion] = audit(school, 'deleted');
    expect(deletion?.['Lesson ID']).toBe(old);
    expect(String(deletion?.Why)).toMatch(/^Past retention \(7 days\)/);

    // The younger one goes once it is seven days old, the held one stays.
    laterOn(school, monday(11) + 16 * DAY_MS, 2 * HOUR_MS);
    expect(ws.drive.file(youngFile!)).toBeUndefined();
    expect(ws.drive.file(heldFile!)).toBeDefined();
    expect(audit(school, 'deleted').map((r) => r['Lesson ID'])).toEqual([old, young]);
    noFailures(school);
  });

  it('keeps recordings past day 30 when retention is lengthened to 60 days, and purges them after day 60', () => {
    const { school, ws, files } = twoWeeksOfRecordings();
    const [oldFile, heldFile] = files;
    school.writeSettings({ retentionDays: '60' });
    laterOn(school, monday(11) + 31 * DAY_MS, 2 * HOUR_MS);
    expect(ws.drive.file(oldFile!)).toBeDefined();
    expect(audit(school, 'deleted')).toEqual([]);
    laterOn(school, monday(11) + 61 * DAY_MS, 2 * HOUR_MS);
    expect(ws.drive.file(oldFile!)).toBeUndefined();
    expect(ws.drive.file(heldFile!)).toBeDefined();
    noFailures(school);
  });

  it('purges nothing early when SLT type a retention of 0 days: the settings are left as they were, SLT are told why, and the 30 days hold', () => {
    const { school, ws, files } = twoWeeksOfRecordings();
    const [oldFile, , youngFile] = files;
    school.writeSettings({ retentionDays: '0' });
    school.advance(2 * HOUR_MS);
    expect(ws.drive.file(oldFile!)).toBeDefined();
    expect(ws.drive.file(youngFile!)).toBeDefined();
    const told = school
      .mailTo(school.school.slt.email)
      .filter((m) => m.subject === 'Safe Live Lessons: the Settings sheet has problems');
    expect(told.length).toBeGreaterThan(0);
    expect(told[0]!.body).toContain(
      'retentionDays must be a whole number from 1 to 366 days (got "0")',
    );
    laterOn(school, monday(11) + 31 * DAY_MS, 2 * HOUR_MS);
    expect(ws.drive.file(oldFile!)).toBeUndefined();
    expect(ws.drive.file(youngFile!)).toBeDefined();
    expect(String(audit(school, 'deleted')[0]?.Why)).toMatch(/^Past retention \(30 days\)/);
    noFailures(school);
  });

  it('shows in the Recordings and Sessions sheets the purge date the purge keeps to once SLT change retention, counted from the end of the lesson’s call', () => {
    const { school, ws, young, files } = twoWeeksOfRecordings();
    const youngFile = files[2]!;
    // Retention counts from when Meet says the lesson's call ended (policy 000: the lesson's
    // recording is "saved for up to 30 days"), shown to the minute.
    const call = [...ws.meet.conferences.values()].find((c) =>
      c.recordings.some((r) => r.fileId === youngFile),
    )!;
    const dueAfter = (days: number) =>
      new Date(Math.floor((call.endTime! + days * DAY_MS) / 60_000) * 60_000);
    expect(recordingRow(school, young)!['Purge Due']).toEqual(dueAfter(30));

    school.writeSettings({ retentionDays: '7' });
    school.advance(2 * HOUR_MS);
    expect(recordingRow(school, young)!['Purge Due']).toEqual(dueAfter(7));
    expect(school.sessionRow(young)?.['Recording Purge Due']).toEqual(dueAfter(7));
    // The held recording shows its date too (the hold, not the date, keeps it).
    expect(table(school, 'Recordings').map((r) => r['Purge Due'])).not.toContain(dueAfter(30));

    // The purge keeps to the date shown: there an hour before it, gone within the hour after.
    const shown = (recordingRow(school, young)!['Purge Due'] as Date).getTime();
    laterOn(school, shown - 3 * HOUR_MS, 2 * HOUR_MS);
    expect(ws.drive.file(youngFile)).toBeDefined();
    school.advance(2 * HOUR_MS);
    expect(ws.drive.file(youngFile)).toBeUndefined();

    // Lengthened to 60: the log says 60 days for every recording still kept.
    school.writeSettings({ retentionDays: '60' });
    school.advance(2 * HOUR_MS);
    const kept = table(school, 'Recordings').filter((r) => r['Purged At'] === '');
    expect(kept.length).toBeGreaterThan(0);
    for (const row of kept) {
      const ended = Date.parse(String(row['Lesson Ended (UTC)']).replace(/^'/, ''));
      expect(row['Purge Due']).toEqual(
        new Date(Math.floor((ended + 60 * DAY_MS) / 60_000) * 60_000),
      );
      expect(school.sessionRow(String(row['Lesson ID']))?.['Recording Purge Due']).toEqual(
        row['Purge Due'],
      );
    }
    noFailures(school);
  });
});

describe('a recording Meet makes days after the lesson (R17, R27)', () => {
  // Retention counts from the lesson (the end of its call), not from when Meet made the file:
  // policy 000's "saved for up to 30 days" is about the lesson.
  it('leaves nothing of the lesson in Drive 31 days after it, however late Meet made the file', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    ws.meet.nextRecordingDelays.push(3 * DAY_MS);
    const t = new Timetable(school);
    const id = lesson(t, school.school.courses[0]!);
    t.runUntil(monday(12, 0));
    for (const day of [1, 2, 4]) laterOn(school, monday(10, 32) + day * DAY_MS, HOUR_MS);
    const row = recordingRow(school, id)!;
    expect(row).toBeDefined();
    // Shown due 30 days after the lesson (Wednesday 23 December), not after the file (the 26th).
    expect((row['Purge Due'] as Date).toISOString().slice(0, 10)).toBe('2026-12-23');
    const fileId = String(row['File ID']);
    // Day 30 of the lesson: kept ("up to 30 days").
    laterOn(school, monday(10) + 30 * DAY_MS - 2 * HOUR_MS, HOUR_MS);
    expect(ws.drive.exists(fileId)).toBe(true);
    laterOn(school, monday(10) + 31 * DAY_MS, 2 * HOUR_MS);
    expect(ws.meet.made.filter((m) => ws.drive.exists(m.fileId))).toEqual([]);
    expect(String(audit(school, 'deleted', id)[0]?.Why)).toMatch(/^Past retention \(30 days\)/);
    noFailures(school);
  });

  it('keeps a late recording of a lesson the DSL holds past day 31, and purges it once released', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    ws.meet.nextRecordingDelays.push(3 * DAY_MS);
    const t = new Timetable(school);
    const id = lesson(t, school.school.courses[0]!);
    t.runUntil(monday(12, 0));
    const dsl = school.school.dsl.email;
    expect(
      school.run('holdRecording', { lessonId: id, reason: 'incident 9' }, dsl, 'editor'),
    ).toMatch(/on hold/);
    for (const day of [1, 2, 4]) laterOn(school, monday(10, 32) + day * DAY_MS, HOUR_MS);
    const fileId = String(recordingRow(school, id)!['File ID']);
    laterOn(school, monday(10) + 34 * DAY_MS, 2 * HOUR_MS);
    expect(ws.drive.exists(fileId)).toBe(true);
    expect(school.run('releaseRecording', { lessonId: id }, dsl, 'editor')).toMatch(/released/);
    school.advance(2 * HOUR_MS);
    expect(ws.drive.exists(fileId)).toBe(false);
    expect(audit(school, 'deleted').map((r) => r['Lesson ID'])).toEqual([id]);
    noFailures(school);
  });
});

describe('the DSL keeps an incident’s recording past retention (R17, policy 004: evidence retained)', () => {
  it('refuses a hold on a lesson id with a character missing instead of confirming it, holds one typed in small letters, and keeps that recording past day 30 until the DSL releases it', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const id = lesson(t, school.school.courses[0]!);
    t.runUntil(monday(11, 30));
    const fileId = String(recordingRow(school, id)!['File ID']);
    const dsl = school.school.dsl.email;
    const hold = (lessonId: string) =>
      String(school.run('holdRecording', { lessonId, reason: 'incident 7' }, dsl, 'editor'));

    expect(hold(id.slice(0, -1))).toMatch(/is not a lesson id.*nothing was put on hold/);
    expect(hold(` ${id.toLowerCase()}\n`)).toBe(
      `Recordings of ${id} are on hold: they will not be purged until the DSL releases them.`,
    );
    expect(hold(id.toUpperCase())).toBe(`Recordings of ${id} were already on hold.`);
    expect(hold('x'.repeat(20_000))).toMatch(/^"x{40}" is not a lesson id/);

    laterOn(school, monday(11) + 31 * DAY_MS, 2 * HOUR_MS);
    expect(ws.drive.file(fileId)).toBeDefined();
    expect(String(recordingRow(school, id)!.Hold)).toMatch(/^held by dsl@.*: incident 7$/);
    expect(audit(school, 'hold').map((r) => r['Lesson ID'])).toEqual([id]);

    expect(school.run('releaseRecording', { lessonId: id.toLowerCase() }, dsl, 'editor')).toMatch(
      /released/,
    );
    school.advance(2 * HOUR_MS);
    expect(ws.drive.file(fileId)).toBeUndefined();
    expect(audit(school, 'deleted').map((r) => r['Lesson ID'])).toEqual([id]);
    noFailures(school);
  });
});

describe('the call ended and started again within the lesson (R11, R16, R28)', () => {
  // The whole second half of a lesson with pupils in it, unrecorded: policy 000 says lessons
  // "will be recorded", so each call with pupils in it must have its recording.
  it('flags the lesson and tells the DSL when the second call, with pupils in it, left no recording', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const id = lesson(t, course);
    // The first call's recording comes 12 minutes after it ends; Meet never makes the second's.
    ws.meet.nextRecordingDelays.push(12 * 60_000, 'never');
    t.runUntil(monday(10, 12));
    const code = (school.lesson(id).room as { meetingCode: string }).meetingCode;
    // Everyone drops out (the school's network fails); the teacher starts the call again and
    // lets the TA and three pupils back in.
    for (const who of ws.meet.participantsNow(code)) ws.meet.leave(who, code);
    school.advance(60_000);
    expect(ws.meet.join(teacher, code)).toBe('joined');
    for (const who of [course.assistant.email, ...course.pupils.slice(0, 3).map((p) => p.email)])
      if (ws.meet.join(who, code) === 'knocking') ws.meet.admit(teacher, code, who);
    t.runUntil(monday(12, 0));
    laterOn(school, monday(10, 32) + 2 * DAY_MS, 2 * HOUR_MS);

    const calls = [...ws.meet.conferences.values()].filter(
      (c) => ws.meet.spaces.get(c.spaceId)?.meetingCode === code,
    );
    expect(calls.map((c) => c.participants.length)).toEqual([5, 5]);
    expect(table(school, 'Recordings').filter((r) => r['Lesson ID'] === id)).toHaveLength(1);
    expect(flagCodes(school.sessionRow(id))).toContain('not-recorded');
    expect(subjectsTo(school, school.school.dsl.email)).toContain(`Lesson ${id}: no recording`);
    const [told] = school
      .mailTo(school.school.dsl.email)
      .filter((m) => m.subject === `Lesson ${id}: no recording`);
    expect(told!.body).toMatch(/the call from 10:13 to 10:32 \(3 people in it besides/);
    // Dates as a UK teacher writes them, not ISO.
    expect(told!.body).toContain(`Lesson ${id} (Year 3 Class A,`);
    expect(told!.body).toMatch(/, Mon 23 Nov\): /);
    expect(audit(school, 'not-recorded', id)).toHaveLength(1);
    // Told once, however many looks follow.
    laterOn(school, monday(10, 32) + 9 * DAY_MS, 2 * HOUR_MS);
    expect(
      subjectsTo(school, school.school.dsl.email).filter((s) => s.endsWith(': no recording')),
    ).toHaveLength(1);
    noFailures(school);
  });

  it('does not flag a lesson whose only unrecorded call had nobody but the teacher in it', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const id = lesson(t, course);
    // Everyone drops out at 10:12; the teacher comes back alone for a minute, leaves, and starts
    // the call again with the class: three calls, the middle one the teacher's alone, whose
    // recording Meet never makes. Nobody it could matter to was in it.
    ws.meet.nextRecordingDelays.push(12 * 60_000, 'never', 12 * 60_000);
    t.runUntil(monday(10, 12));
    const code = (school.lesson(id).room as { meetingCode: string }).meetingCode;
    for (const who of ws.meet.participantsNow(code)) ws.meet.leave(who, code);
    school.advance(60_000);
    expect(ws.meet.join(teacher, code)).toBe('joined');
    school.advance(60_000);
    ws.meet.leave(teacher, code);
    school.advance(60_000);
    expect(ws.meet.join(teacher, code)).toBe('joined');
    for (const who of [course.assistant.email, ...course.pupils.slice(0, 3).map((p) => p.email)])
      if (ws.meet.join(who, code) === 'knocking') ws.meet.admit(teacher, code, who);
    t.runUntil(monday(12, 0));
    laterOn(school, monday(10, 32) + 2 * DAY_MS, 2 * HOUR_MS);

    const calls = [...ws.meet.conferences.values()].filter(
      (c) => ws.meet.spaces.get(c.spaceId)?.meetingCode === code,
    );
    expect(calls.map((c) => c.recordings.filter((r) => r.fileId).length)).toEqual([1, 0, 1]);
    expect(table(school, 'Recordings').filter((r) => r['Lesson ID'] === id)).toHaveLength(2);
    expect(flagCodes(school.sessionRow(id))).not.toContain('not-recorded');
    expect(subjectsTo(school, school.school.dsl.email)).not.toContain(`Lesson ${id}: no recording`);
    expect(audit(school, 'not-recorded', id)).toEqual([]);
    noFailures(school);
  });
});
