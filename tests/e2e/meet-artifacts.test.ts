// R16, R17, R27 end to end through the shipped bundle: every file Meet makes for a lesson ends up
// in the safeguarding shared drive, or is never made; nothing with pupils' data is left in a
// teacher's Drive once collection is done, and nothing is left anywhere 31 days after the lesson
// unless held. A recording that is missing, late, refused by Drive, or has nowhere to go is
// told to the person who can act, and nothing is lost.

import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/core/time';
import { schoolConfig } from '../bench/purge-bench';
import { DeployedSchool, monday } from './deployed-school';
import { audit, laterOn, lesson, noFailures, outsideTheVault, table } from './records-kit';
import { Timetable } from './timetable';

function meetingCode(school: DeployedSchool, lessonId: string): string {
  return (school.lesson(lessonId).room as { meetingCode: string }).meetingCode;
}

/** Files Meet made that still exist anywhere (trashed or not). */
function stillAnywhere(school: DeployedSchool) {
  return school.ws.meet.made.filter((m) => school.ws.drive.file(m.fileId) !== undefined);
}

/** Lessons whose collection has not ended (the recordings job's queue). */
function stillCollecting(school: DeployedSchool): string[] {
  return Object.keys(school.ws.properties.scriptStore())
    .filter((k) => k.startsWith('recq:'))
    .map((k) => k.slice('recq:'.length));
}

describe('every recording of every call is collected (R16, R27)', () => {
  it('collects both recordings of a lesson whose recording was stopped and started again, however late the second appears, and says "collected" only when none can still appear', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const id = lesson(t, course);
    // The first file comes 12 minutes after its recording stops, the second five hours after.
    ws.meet.nextRecordingDelays.push(12 * MINUTE_MS, 5 * HOUR_MS);
    t.runUntil(monday(10, 10));
    const code = meetingCode(school, id);
    expect(ws.meet.isRecording(code)).toBe(true);
    ws.meet.stopRecording(teacher, code);
    t.runUntil(monday(10, 15));
    ws.meet.startRecording(teacher, code);
    t.runUntil(monday(11, 0));

    // The first is in the folder and on the Sessions row; the second has not been made yet.
    const first = table(school, 'Recordings');
    expect(first.map((r) => r['Lesson ID'])).toEqual([id]);
    expect(String(school.sessionRow(id)?.Recording)).toContain(String(first[0]!['File ID']));
    expect(stillCollecting(school)).toEqual([id]);
    expect(outsideTheVault(school)).toEqual([]);

    // 15:32: Meet makes the second file in the teacher's Drive; the next look collects it.
    school.advanceTo(monday(21, 0));
    const both = table(school, 'Recordings');
    expect(both).toHaveLength(2);
    expect(both.map((r) => String(r['File Name']))).toEqual([
      `Year 3 Class A 2026-11-23 10:00 ${id}`,
      `Year 3 Class A 2026-11-23 10:00 ${id} part 2`,
    ]);
    expect(outsideTheVault(school)).toEqual([]);
    // A gap from 10:10 to 10:15 could still hold a recording: not "collected" until the limit.
    expect(stillCollecting(school)).toEqual([id]);

    laterOn(school, monday(10, 32) + DAY_MS);
    expect(stillCollecting(school)).toEqual([]);
    const links = String(school.sessionRow(id)?.Recording).split('\n');
    expect(links).toHaveLength(2);
    expect(audit(school, 'collected', id)).toHaveLength(2);
    expect(audit(school, 'not-recorded')).toEqual([]);
    noFailures(school);
  });

  it('collects the recording of every call in the room when the call empties and the teacher starts it again', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const id = lesson(t, course);
    t.runUntil(monday(10, 12));
    const code = meetingCode(school, id);
    // Everyone drops out (a network failure): the conference ends. The teacher comes back alone.
    for (const who of ws.meet.participantsNow(code)) ws.meet.leave(who, code);
    school.advance(MINUTE_MS);
    expect(ws.meet.join(teacher, code)).toBe('joined');
    t.runUntil(monday(12, 0));

    const calls = [...ws.meet.conferences.values()].filter(
      (c) => ws.meet.spaces.get(c.spaceId)?.meetingCode === code,
    );
    expect(calls).toHaveLength(2);
    const rows = table(school, 'Recordings').filter((r) => r['Lesson ID'] === id);
    expect(rows).toHaveLength(2);
    // Each call is covered by its recording from start to end: collected without waiting a day.
    expect(stillCollecting(school)).toEqual([]);
    expect(outsideTheVault(school)).toEqual([]);
    noFailures(school);
  });

  it('costs four Drive calls and one Meet call per recording once the monitor has passed the room’s calls on', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const first = lesson(t, course, monday(10));
    const second = lesson(t, course, monday(13));
    const calls = new Map<string, Record<string, number>>();
    const tally = (name: string, snapshot: Record<string, number>) => {
      if (name !== 'collectRecordings') return;
      for (const [key, n] of Object.entries(snapshot)) {
        const owner = key.split('.')[0]!;
        if (owner !== 'meet' && owner !== 'drive') continue;
        const bucket = ws.now() < monday(12, 30) ? 'first' : 'second';
        const seen = calls.get(bucket) ?? {};
        seen[key] = (seen[key] ?? 0) + n;
        calls.set(bucket, seen);
      }
    };
    const advance = school.advance.bind(school);
    school.advance = (ms, onRun) =>
      advance(ms, (name, result) => {
        tally(name, result.execution.calls.snapshot());
        onRun?.(name, result);
      });
    t.runUntil(monday(15, 0));
    expect(table(school, 'Recordings').map((r) => r['Lesson ID'])).toEqual([first, second]);
    expect(stillCollecting(school)).toEqual([]);
    // The monitor keeps the room's calls on the closed lesson, so collection never lists them
    // again; the teacher's first lesson also makes their drop folder, once.
    const firstCalls = calls.get('first')!;
    expect(firstCalls['meet.conferenceRecords.list']).toBeUndefined();
    expect(firstCalls['meet.conferenceRecords.recordings.list']).toBe(1);
    // The second: one recordings list, then read, move as owner, move as automation, unshare.
    expect(calls.get('second')).toEqual({
      'meet.conferenceRecords.recordings.list': 1,
      'drive.files.get': 1,
      'drive.files.update': 2,
      'drive.permissions.delete': 1,
    });
    noFailures(school);
  });
});

describe('collection within Apps Script’s 6 minutes (issue 8: every job bounded and resumable)', () => {
  it('starts no Drive request after 4:45 when Drive answers in 30 s, so no collection is killed at 6 minutes, and collects every recording over the next runs', () => {
    const school = new DeployedSchool({ teachers: 6 });
    const { ws } = school;
    const t = new Timetable(school);
    const ids = school.school.courses.map((course) => lesson(t, course, monday(10)));
    t.runUntil(monday(10, 31));
    const slow = ['drive.files.get', 'drive.files.update', 'drive.permissions.delete'];
    for (const key of slow) ws.kernel.latency[key] = 30_000;
    const runs: { killed: boolean; tookMs: number; stoppedEarly: boolean }[] = [];
    const advance = school.advance.bind(school);
    school.advance = (ms, onRun) =>
      advance(ms, (name, result) => {
        if (name === 'collectRecordings')
          runs.push({
            killed: result.killed,
            tookMs: (result.execution.endedAt ?? 0) - result.execution.startedAt,
            stoppedEarly:
              (result.value as { stoppedEarly?: boolean } | undefined)?.stoppedEarly ?? false,
          });
        onRun?.(name, result);
      });
    t.runUntil(monday(11, 30));
    // Six recordings at four slow Drive calls each is 12 minutes of Drive: more than one run.
    expect(runs.some((r) => r.tookMs > 4 * 60_000)).toBe(true);
    expect(runs.filter((r) => r.killed)).toEqual([]);
    expect(Math.max(...runs.map((r) => r.tookMs))).toBeLessThan(6 * 60_000);
    for (const key of slow) delete ws.kernel.latency[key];
    t.runUntil(monday(13));
    expect(
      table(school, 'Recordings')
        .map((r) => String(r['Lesson ID']))
        .sort(),
    ).toEqual([...ids].sort());
    expect(stillCollecting(school)).toEqual([]);
    expect(outsideTheVault(school)).toEqual([]);
    noFailures(school);
  });
});

describe('what Meet makes besides recordings (R27)', () => {
  it('asks for no attendance report, transcript or smart notes, so none is made even when the school turns them on for every meeting', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    ws.meet.orgArtifactDefaults = {
      attendanceReportGenerationType: 'GENERATE_REPORT',
      autoTranscriptionGeneration: 'ON',
      autoSmartNotesGeneration: 'ON',
    };
    const t = new Timetable(school);
    const id = lesson(t, school.school.courses[0]!);
    t.runUntil(monday(12, 0));

    const config = ws.meet.spaceInfo(meetingCode(school, id)).config as {
      attendanceReportGenerationType: string;
      artifactConfig: Record<string, Record<string, string>>;
    };
    expect(config.attendanceReportGenerationType).toBe('DO_NOT_GENERATE');
    expect(config.artifactConfig).toEqual({
      recordingConfig: { autoRecordingGeneration: 'ON' },
      transcriptionConfig: { autoTranscriptionGeneration: 'OFF' },
      smartNotesConfig: { autoSmartNotesGeneration: 'OFF' },
    });
    expect(ws.meet.made.map((m) => m.kind)).toEqual(['recording']);
    expect(
      ws.drive
        .allFiles()
        .filter((f) => / - (Transcript|Notes by Gemini|Attendance report)$/.test(f.name)),
    ).toEqual([]);
    expect(outsideTheVault(school)).toEqual([]);
    noFailures(school);
  });

  it('leaves no file with pupils’ data outside the shared drive once collection is done, and none anywhere 31 days after the lesson unless held', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const [first, second] = school.school.courses;
    const plain = lesson(t, first!);
    const held = lesson(t, second!);
    t.runUntil(monday(11, 30));
    expect(stillCollecting(school)).toEqual([]);
    expect(ws.meet.made).toHaveLength(2);
    expect(outsideTheVault(school)).toEqual([]);
    // Nothing left in either teacher's "Meet Recordings" folder.
    for (const course of [first!, second!]) {
      const folder = ws.drive.ensureMyDriveFolder(course.teacher.email, 'Meet Recordings');
      expect(ws.drive.filesIn(folder)).toEqual([]);
    }
    const heldCode = meetingCode(school, held);
    expect(
      school.run(
        'holdRecording',
        { lessonId: held, reason: 'incident' },
        school.school.dsl.email,
        'editor',
      ),
    ).toMatch(/on hold/);

    laterOn(school, monday(10) + 31 * DAY_MS, 2 * HOUR_MS);
    const left = stillAnywhere(school).map((m) => m.meetingCode);
    expect(left).toEqual([heldCode]);
    expect(audit(school, 'deleted').map((r) => r['Lesson ID'])).toEqual([plain]);
    noFailures(school);
  });
});

describe('what is not there is said plainly (R11, R28)', () => {
  it('flags a call the school’s Meet could not record after 24 hours, tells the DSL the likely reason, and setup says the school cannot record', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const automation = school.school.automation.email;
    const fresh = school.run('setup', {}, automation, 'editor') as { lines: string[] };
    expect(fresh.lines.join('\n')).toMatch(
      /Recording: not yet known whether this school's Meet can record/,
    );
    ws.meet.editionRecords = false;
    const t = new Timetable(school);
    const id = lesson(t, school.school.courses[0]!);
    t.runUntil(monday(12, 0));
    expect(String(school.sessionRow(id)?.Flags)).not.toContain('not-recorded');

    laterOn(school, monday(10, 32) + DAY_MS);
    expect(String(school.sessionRow(id)?.Flags)).toContain('not-recorded');
    const told = school
      .mailTo(school.school.dsl.email)
      .filter((m) => m.subject === `Lesson ${id}: no recording`);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /Recording still missing 24 hours after the call\. Likely reason: .*licensed to record/,
    );
    expect(audit(school, 'not-recorded', id)).toHaveLength(1);

    const health = school.run('setup', {}, automation, 'editor') as {
      ok: boolean;
      lines: string[];
    };
    expect(health.ok).toBe(false);
    expect(health.lines.join('\n')).toMatch(
      /FLAG Recording: none of the 1 lesson\(s\) with a call so far was recorded/,
    );
    noFailures(school);
  });

  it('tells the DSL once when a recording is still missing after 24 hours, collects it when it turns up on day 3, and gives up on one never made only when Meet forgets the call', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const [first, second] = school.school.courses;
    const late = lesson(t, first!, monday(10));
    const never = lesson(t, second!, monday(11));
    ws.meet.nextRecordingDelays.push(3 * DAY_MS, 'never');
    t.runUntil(monday(12, 0));
    const dsl = school.school.dsl.email;

    laterOn(school, monday(11, 32) + DAY_MS);
    for (const id of [late, never]) {
      expect(String(school.sessionRow(id)?.Flags)).toContain('not-recorded');
      expect(
        school.mailTo(dsl).filter((m) => m.subject === `Lesson ${id}: no recording`),
      ).toHaveLength(1);
    }
    laterOn(school, monday(10, 32) + 2 * DAY_MS);
    expect(
      school.mailTo(dsl).filter((m) => m.subject === `Lesson ${late}: no recording`),
    ).toHaveLength(1);

    // Made on day 3, collected at the day-4 look; the DSL hears it turned up.
    laterOn(school, monday(11, 32) + 4 * DAY_MS);
    expect(table(school, 'Recordings').map((r) => r['Lesson ID'])).toEqual([late]);
    expect(String(audit(school, 'collected', late)[0]!.Why)).toMatch(
      /arrived 9\d hours after the call/,
    );
    expect(
      school.mailTo(dsl).filter((m) => m.subject === `Lesson ${late}: recording found after all`),
    ).toHaveLength(1);
    expect(outsideTheVault(school)).toEqual([]);

    laterOn(school, monday(11, 32) + 29 * DAY_MS);
    expect(stillCollecting(school)).toEqual([]);
    expect(String(audit(school, 'gave-up', never)[0]!.Why)).toMatch(
      /No recording file appeared before Meet forgot the call/,
    );
    expect(school.sessionRow(never)?.Recording).toBe('none: NOT RECORDED');
    noFailures(school);
  });
});

describe('faults lose nothing and reach the person who can act (R28)', () => {
  it('tells the DSL and the admin once when the teacher’s Drive refuses (403), and collects the recording once it is fixed', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const t = new Timetable(school);
    const course = school.school.courses[0]!;
    const teacher = course.teacher.email;
    const id = lesson(t, course);
    ws.drive.appsBlockedFor.add(teacher);
    t.runUntil(monday(12, 0));

    expect(table(school, 'Recordings')).toEqual([]);
    expect(audit(school, 'not-collected', id)).toHaveLength(1);
    expect(String(audit(school, 'not-collected', id)[0]!.Why)).toMatch(
      /domain administrators have disabled Drive apps/,
    );
    const subject = `Lesson ${id}: recording not yet in the safeguarding folder`;
    expect(
      school.mailTo(school.school.dsl.email).filter((m) => m.subject === subject),
    ).toHaveLength(1);
    expect(
      school.mailTo(school.school.automation.email).filter((m) => m.subject === subject),
    ).toHaveLength(1);
    expect(
      ws.kernel.logs.some((l) => l.message.includes(`recording of ${id} refused by Drive`)),
    ).toBe(true);
    // Still where Meet put it: nothing lost.
    expect(outsideTheVault(school).map((m) => m.file!.owners)).toEqual([[teacher]]);

    ws.drive.appsBlockedFor.clear();
    school.advanceTo(monday(16, 0));
    expect(table(school, 'Recordings').map((r) => r['Lesson ID'])).toEqual([id]);
    expect(outsideTheVault(school)).toEqual([]);
    expect(
      school.mailTo(school.school.dsl.email).filter((m) => m.subject === subject),
    ).toHaveLength(1);
    noFailures(school);
  });

  it('pauses collection when the shared drive is deleted, tells the admin once a day, loses nothing, and resumes once setup has run again', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const automation = school.school.automation.email;
    const t = new Timetable(school);
    const id = lesson(t, school.school.courses[0]!);
    t.runUntil(monday(10, 40));
    const gone = schoolConfig(school).sharedDriveId;
    ws.drive.deleteSharedDrive(gone);
    t.runUntil(monday(14, 0));

    const subject = 'Safe Live Lessons: recordings cannot be collected';
    const mails = school.mailTo(automation).filter((m) => m.subject === subject);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body).toMatch(
      /The safeguarding shared drive no longer exists\.[\s\S]*run setup again/,
    );
    expect(
      ws.kernel.logs.some((l) => l.message.includes('safeguarding shared drive is unusable')),
    ).toBe(true);
    expect(outsideTheVault(school)).toHaveLength(1);
    expect(stillCollecting(school)).toEqual([id]);

    const setup = school.run('setup', {}, automation, 'editor') as { lines: string[] };
    expect(setup.lines.join('\n')).toMatch(/made the shared drive/);
    expect(schoolConfig(school).sharedDriveId).not.toBe(gone);
    school.advance(2 * HOUR_MS);
    expect(table(school, 'Recordings').map((r) => r['Lesson ID'])).toEqual([id]);
    expect(outsideTheVault(school)).toEqual([]);
    expect(school.mailTo(automation).filter((m) => m.subject === subject)).toHaveLength(1);
    noFailures(school);
  });
});
