// R16, R17 end to end, on the simulated Workspace through the built bundle: recordings reach
// the safeguarding folder whoever remembers, are kept 30 days, are purged with an audit,
// holds are honoured, and nothing else in the folder is ever touched, faults or not.

import { DAY_MS, HOUR_MS } from '../../src/core/time';
import { schoolConfig, seedRegisteredRecordings } from '../bench/purge-bench';
import type { ExecutionResult } from '../sim/kernel/execution';
import type { SimCourse } from '../sim/school';
import { DeployedSchool, monday } from './deployed-school';
import { Timetable } from './timetable';

interface Config {
  sharedDriveId: string;
  recordingsFolderId: string;
}

function config(school: DeployedSchool): Config {
  return schoolConfig(school);
}

function table(school: DeployedSchool, sheet: 'Recordings' | 'Audit'): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, sheet);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

function audit(school: DeployedSchool, action?: string) {
  return table(school, 'Audit').filter((r) => !action || r.Action === action);
}

function lesson(
  t: Timetable,
  course: SimCourse,
  options: { teacherJoins?: number | null; start?: number } = {},
) {
  const plan = t.add({
    course,
    title: 'Phonics',
    start: options.start ?? monday(10),
    minutes: 30,
    teacherJoins: options.teacherJoins === undefined ? -3 : options.teacherJoins,
    pupils: course.pupils.slice(0, 3),
    intruder: null,
  });
  if (!plan.lessonId) throw new Error('lesson not scheduled');
  return plan.lessonId;
}

/** The Drive file id Meet gave the room's recording (the teacher's "Meet Recordings"). */
function recordingOf(school: DeployedSchool, teacher: string): string {
  const folder = school.ws.drive.ensureMyDriveFolder(teacher, 'Meet Recordings');
  const files = school.ws.drive.filesIn(folder);
  if (files.length !== 1) throw new Error(`expected one recording, found ${files.length}`);
  return files[0]!.id;
}

/** Runs a Drive call as a person in their own execution (as the Drive UI would). */
function asUser(
  school: DeployedSchool,
  user: string,
  fn: (drive: ReturnType<DeployedSchool['ws']['drive']['advancedService']>) => void,
) {
  const result = school.ws.kernel.runExecution(
    { user, kind: 'editor', functionName: 'driveUi' },
    () => fn(school.ws.drive.advancedService()),
  );
  if (!result.ok) throw result.error;
}

/** Moves the clock with nothing happening (no trigger runs): a quiet stretch of days. */
function skipTo(school: DeployedSchool, at: number) {
  school.ws.kernel.clock.advanceTo(at);
}

function noFailures(school: DeployedSchool) {
  expect(
    school.ws.kernel.failures.map((f) => `${f.execution.functionName}: ${String(f.error)}`),
  ).toEqual([]);
}

describe('collecting recordings into the safeguarding folder (R16)', () => {
  it('collects a recording that appears hours late, even after the teacher moved it and shared it by link', () => {
    const school = new DeployedSchool({ recordingDelayMs: 2.5 * HOUR_MS });
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const id = lesson(t, course);
    t.runUntil(monday(11));
    expect(school.sessionRow(id)?.Status).toBe('closed');
    expect(table(school, 'Recordings')).toEqual([]);

    // 13:02: Meet makes the file in the teacher's My Drive; the teacher files it and shares it.
    school.advanceTo(monday(13, 5));
    const fileId = recordingOf(school, teacher);
    asUser(school, teacher, (Drive) => {
      const mine = Drive.Files.create({
        name: 'Lessons',
        mimeType: 'application/vnd.google-apps.folder',
      });
      const from = ws.drive.file(fileId)!.parents.join(',');
      Drive.Files.update({}, fileId, null as unknown as GoogleAppsScript.Base.Blob, {
        addParents: mine.id,
        removeParents: from,
      });
    });
    ws.drive.share(fileId, { type: 'anyone', role: 'reader' });

    school.advanceTo(monday(14, 30));
    const { sharedDriveId, recordingsFolderId } = config(school);
    const file = ws.drive.file(fileId)!;
    expect(file.parents).toEqual([recordingsFolderId]);
    expect(file.driveId).toBe(sharedDriveId);
    expect(file.owners).toEqual([]); // the school owns it now
    expect(file.name).toBe(`Year 3 Class A 2026-11-23 10:00 ${id}`);
    expect(file.appProperties).toMatchObject({ sllRecording: '1', sllLesson: id });
    // Nothing shared by link, and no access of its own: only the drive's approved members (R16, R20).
    expect(ws.drive.permissionsOf(fileId)).toEqual([]);
    expect(ws.drive.canRead(teacher, fileId)).toBe(false);
    expect(ws.drive.canRead(course.pupils[0]!.email, fileId)).toBe(false);
    expect(ws.drive.canRead(school.school.dsl.email, fileId)).toBe(true);
    expect(ws.drive.canRead(school.school.slt.email, fileId)).toBe(true);

    const [row] = table(school, 'Recordings');
    expect(row).toMatchObject({ 'Lesson ID': id, 'File ID': fileId, Hold: '', 'Purged At': '' });
    // 30 × 24 h after the lesson's call ended at 10:32, not after Meet made the file at 13:02
    // (policy 000: the lesson is "saved for up to 30 days"; shown to the minute, London time).
    expect(row!['Purge Due']).toEqual(new Date(Date.UTC(2026, 11, 23, 10, 32)));
    const session = school.sessionRow(id)!;
    expect(session.Recording).toBe(`https://drive.google.com/file/d/${fileId}/view`);
    expect(session['Recording Purge Due']).not.toBe('');
    expect(audit(school, 'collected')).toHaveLength(1);
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
    noFailures(school);
  });

  it('finishes a lesson nobody joined, and flags a call with no recording after a day', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const [first, second] = school.school.courses;
    const empty = lesson(t, first!, { teacherJoins: null });
    const unrecorded = lesson(t, second!);
    // Recording fails in the second room (Meet's own setting turned off before anyone joins).
    t.runUntil(monday(9, 52));
    const code = (school.lesson(unrecorded).room as { meetingCode: string }).meetingCode;
    const space = [...ws.meet.spaces.values()].find((s) => s.meetingCode === code)!;
    space.config.artifactConfig.recordingConfig.autoRecordingGeneration = 'OFF';
    t.runUntil(monday(12));

    expect(school.sessionRow(empty)?.Recording).toBe('none: nobody joined the call');
    expect(String(school.sessionRow(empty)?.Flags)).not.toContain('not-recorded');
    expect(String(school.sessionRow(unrecorded)?.Flags)).not.toContain('not-recorded');

    // A day later (R11): flagged, the DSL told, and the audit says so.
    skipTo(school, monday(10) + DAY_MS);
    school.advance(2 * HOUR_MS);
    expect(String(school.sessionRow(unrecorded)?.Flags)).toContain('not-recorded');
    expect(school.sessionRow(unrecorded)?.Serious).toBe('yes');
    const told = school
      .mailTo(school.school.dsl.email)
      .filter((m) => m.subject === `Lesson ${unrecorded}: no recording`);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /Recording still missing 24 hours after the call\. Likely reason: /,
    );
    expect(audit(school, 'not-recorded').map((r) => r['Lesson ID'])).toEqual([unrecorded]);
    noFailures(school);
  });

  it('logs and flags a recording the teacher deleted, and still collects the other lessons', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const [first, second] = school.school.courses;
    const deleted = lesson(t, first!);
    const kept = lesson(t, second!);
    t.runUntil(monday(10, 45));
    const doomed = recordingOf(school, first!.teacher.email);
    asUser(school, first!.teacher.email, (Drive) => Drive.Files.remove(doomed));
    school.advanceTo(monday(11, 5));

    expect(audit(school, 'missing').map((r) => r['Lesson ID'])).toEqual([deleted]);
    expect(String(school.sessionRow(deleted)?.Flags)).toContain('not-recorded');
    const rows = table(school, 'Recordings');
    expect(rows.map((r) => r['Lesson ID'])).toEqual([kept]);
    expect(ws.drive.file(String(rows[0]!['File ID']))?.parents).toEqual([
      config(school).recordingsFolderId,
    ]);
    noFailures(school);
  });
});

describe('who can open the safeguarding folder (R16, R20)', () => {
  it('is made by setup for SLT and the DSL only, and setup flags a link share or an unexpected member', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const automation = school.school.automation.email;
    const { sharedDriveId, recordingsFolderId } = config(school);
    const members = ws.drive
      .sharedDrive(sharedDriveId)!
      .members.map((m) => `${m.emailAddress}:${m.role}`);
    expect(members.sort()).toEqual(
      [
        `${automation}:organizer`,
        `${school.school.dsl.email}:reader`,
        `${school.school.slt.email}:reader`,
      ].sort(),
    );
    expect(ws.drive.canRead(school.school.teachers[0]!.email, recordingsFolderId)).toBe(false);
    const clean = school.run('setup', {}, automation, 'editor') as { ok: boolean; lines: string[] };
    expect(clean.lines.join('\n')).toMatch(/Recordings folder: only SLT\/DSL/);
    expect(clean.lines.join('\n')).not.toMatch(/FLAG/);

    ws.drive.share(recordingsFolderId, { type: 'anyone', role: 'reader' });
    ws.drive.share(recordingsFolderId, {
      type: 'user',
      role: 'reader',
      emailAddress: school.school.teachers[1]!.email,
    });
    const drifted = school.run('setup', {}, automation, 'editor') as {
      ok: boolean;
      lines: string[];
    };
    expect(drifted.ok).toBe(false);
    const flagLine = drifted.lines.find((l) => l.startsWith('FLAG Recordings folder sharing'));
    expect(flagLine).toContain('anyone who has the link');
    expect(flagLine).toContain(school.school.teachers[1]!.email);
    // Setup adopted the same drive and folder; it made nothing new.
    expect(config(school)).toMatchObject({ sharedDriveId, recordingsFolderId });
  });
});

describe('keeping and purging recordings (R17)', () => {
  it('purges on day 31 and not on day 30, keeps a held recording until the DSL releases it, and never touches a stranger’s file', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const [first, second] = school.school.courses;
    const plain = lesson(t, first!);
    const held = lesson(t, second!);
    t.runUntil(monday(11, 10));
    const files = Object.fromEntries(
      table(school, 'Recordings').map((r) => [String(r['Lesson ID']), String(r['File ID'])]),
    );
    expect(Object.keys(files).sort()).toEqual([plain, held].sort());
    const { recordingsFolderId } = config(school);
    const longAgo = monday(10) - 90 * DAY_MS;
    const stranger = ws.drive.addFile({
      name: 'Governors minutes.pdf',
      parentId: recordingsFolderId,
      createdTime: longAgo,
    });
    const lookalike = ws.drive.addFile({
      name: 'Not ours.mp4',
      parentId: recordingsFolderId,
      createdTime: longAgo,
      appProperties: { sllRecording: '1' },
    });

    // Only the DSL (or SLT) hold; only the DSL releases.
    const dsl = school.school.dsl.email;
    expect(school.run('holdRecording', held, first!.teacher.email, 'editor')).toMatch(
      /Only the DSL or SLT/,
    );
    expect(
      school.run('holdRecording', { lessonId: held, reason: 'incident 12' }, dsl, 'editor'),
    ).toMatch(/on hold/);
    school.advance(HOUR_MS);
    const heldRow = table(school, 'Recordings').find((r) => r['Lesson ID'] === held)!;
    expect(String(heldRow.Hold)).toMatch(/^held by dsl@.* incident 12$/);
    expect(ws.drive.file(files[held]!)?.appProperties.sllHold).toBe('1');
    expect(audit(school, 'hold').map((r) => r['Lesson ID'])).toEqual([held]);

    // Day 30 (Tuesday 22 December): nothing is due yet.
    skipTo(school, Date.UTC(2026, 11, 22, 20, 0));
    school.advance(4 * HOUR_MS);
    expect(ws.drive.file(files[plain]!)).toBeDefined();
    expect(ws.drive.file(files[held]!)).toBeDefined();
    expect(audit(school, 'deleted')).toEqual([]);

    // Day 31: the plain recording is deleted for good by the hourly purge, the held one kept.
    skipTo(school, Date.UTC(2026, 11, 23, 9, 0));
    school.advance(3 * HOUR_MS);
    expect(ws.drive.file(files[plain]!)).toBeUndefined();
    expect(ws.drive.file(files[held]!)).toBeDefined();
    const [deletion] = audit(school, 'deleted');
    expect(deletion).toMatchObject({
      'Lesson ID': plain,
      'File ID': files[plain],
      By: school.school.automation.email,
    });
    expect(String(deletion!.Why)).toMatch(/Past retention \(30 days\)/);
    expect(String(deletion!.Run)).not.toBe('');
    expect(
      table(school, 'Recordings').find((r) => r['Lesson ID'] === plain)?.['Purged At'],
    ).toMatch(/deleted$/);

    // Released by the DSL: logged, and purged by the next run.
    expect(school.run('releaseRecording', held, school.school.slt.email, 'editor')).toMatch(
      /Only the DSL/,
    );
    expect(school.run('releaseRecording', held, dsl, 'editor')).toMatch(/released/);
    school.advance(HOUR_MS);
    expect(ws.drive.file(files[held]!)).toBeUndefined();
    expect(audit(school, 'release').map((r) => r['Lesson ID'])).toEqual([held]);
    expect(audit(school, 'deleted').map((r) => r['Lesson ID'])).toEqual([plain, held]);

    // Whatever else is in the folder is untouched, and reported once.
    expect(ws.drive.file(stranger)?.trashed).toBe(false);
    expect(ws.drive.file(lookalike)?.trashed).toBe(false);
    expect(audit(school, 'unregistered-file').map((r) => r['File ID'])).toEqual([lookalike]);
    noFailures(school);
  });

  it('moves recordings to the trash instead when the school chooses it', () => {
    const school = new DeployedSchool({ settings: { purgeMode: 'trash' } });
    const seeded = seedRegisteredRecordings(school, 6, 3);
    school.run('purgeRecordings', {}, school.school.automation.email, 'trigger');
    for (const id of seeded.due) expect(school.ws.drive.file(id)?.trashed).toBe(true);
    for (const id of seeded.kept) expect(school.ws.drive.file(id)?.trashed).toBe(false);
    expect(audit(school, 'trashed')).toHaveLength(seeded.due.length);
  });

  it('loses nothing and deletes nothing twice through 429s, 500s, a lost answer and a 6-minute cut-off', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const seeded = seedRegisteredRecordings(school, 400, 250);
    expect(seeded.due).toHaveLength(250);
    const deletedTimes = new Map<string, number>();
    const realDelete = ws.drive.filesDelete.bind(ws.drive);
    ws.drive.filesDelete = (principal, fileId, args) => {
      realDelete(principal, fileId, args);
      deletedTimes.set(fileId, (deletedTimes.get(fileId) ?? 0) + 1);
    };
    ws.kernel.faults
      .inject({ match: 'drive.batch.part.files.delete', kind: 429, rate: 0.15 })
      .inject({ match: 'drive.batch.part.files.delete', kind: 500, rate: 0.1 })
      .inject({ match: 'drive.batch', kind: 'lost-response', times: 1 });
    // Drive so slow that one batch outlasts the run: the first run is cut off at 6 minutes in
    // the middle of it (the run's hard stop at 4:45 holds back only requests not yet started).
    ws.kernel.latency['drive.batch.part'] = 4_000;
    const runs: ExecutionResult<unknown>[] = [];
    const purge = () => {
      const result = school.tryRun(
        'purgeRecordings',
        {},
        school.school.automation.email,
        'trigger',
      );
      runs.push(result);
      return result;
    };
    expect(purge().killed).toBe(true);
    expect(deletedTimes.size).toBeGreaterThan(0);
    expect(deletedTimes.size).toBeLessThan(250);
    delete ws.kernel.latency['drive.batch.part'];
    ws.kernel.latency['drive.batch.part'] = 40;
    for (let i = 0; i < 6 && seeded.due.some((id) => ws.drive.file(id)); i++) {
      ws.kernel.clock.advance(HOUR_MS);
      purge();
    }

    for (const id of seeded.due) expect(ws.drive.file(id)).toBeUndefined();
    for (const id of seeded.kept) expect(ws.drive.file(id)?.trashed).toBe(false);
    expect([...deletedTimes.values()].every((n) => n === 1)).toBe(true);
    expect(deletedTimes.size).toBe(250);
    const deletions = audit(school, 'deleted').map((r) => String(r['File ID']));
    expect(deletions.sort()).toEqual([...seeded.due].sort());
    const purged = table(school, 'Recordings').filter((r) => r['Purged At'] !== '');
    expect(purged).toHaveLength(250);
    expect(ws.kernel.faults.injected.some((f) => f.kind === 429)).toBe(true);
    expect(ws.kernel.faults.injected.some((f) => f.kind === 'lost-response')).toBe(true);
    expect(runs.slice(1).every((r) => r.ok)).toBe(true);
    // The run after the cut-off confirmed what the killed one had deleted, without deleting it again.
    expect(
      runs.some((r) => ((r.value as { resumed?: number } | undefined)?.resumed ?? 0) > 0),
    ).toBe(true);
  });

  it('never runs two purges at once', () => {
    const school = new DeployedSchool();
    seedRegisteredRecordings(school, 20, 10);
    let nested: ExecutionResult<unknown> | undefined;
    school.ws.kernel.duringCall('drive.batch', () => {
      nested = school.tryRun('purgeRecordings', {}, school.school.automation.email, 'trigger');
    });
    const outer = school.tryRun('purgeRecordings', {}, school.school.automation.email, 'trigger');
    expect(nested?.value).toMatchObject({ skipped: true });
    expect(outer.value).toMatchObject({ skipped: false, purged: 10 });
  });

  it('asks Drive only for what is due: one query when nothing is', () => {
    const school = new DeployedSchool();
    seedRegisteredRecordings(school, 50, 0);
    const result = school.tryRun('purgeRecordings', {}, school.school.automation.email, 'trigger');
    expect(result.value).toMatchObject({ purged: 0, due: 0 });
    expect(result.execution.calls.count('drive')).toBe(1);
  });
});
