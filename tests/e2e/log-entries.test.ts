// Issue 9 and R18, through the shipped bundle: staff's Appendix A entries belong to their
// authors. Only the lesson's teacher or second adult, as its Sessions row names them, may
// write its log, for as long as the log exists; a later entry goes below the earlier ones
// with who and when; an entry for a lesson that does not exist is refused at once and never
// sits in the queue; and the log-writing run is bounded and resumable.

import { notificationOf } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { scheduleFor } from './scenario-kit';

const DAY = 24 * 60 * MIN;

/** The event Google sends when "Send log" is pressed (the log form's fields). */
function sendLog(
  school: DeployedSchool,
  user: string,
  lessonId: string,
  fields: { technologyIssues?: string; inappropriateBehaviour?: string; shareWithSlt?: string },
): string {
  const formInputs = Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, { stringInputs: { value: [v] } }]),
  );
  const response = school.run(
    'submitLogAction',
    { commonEventObject: { parameters: { lessonId }, formInputs } },
    user,
  );
  return notificationOf(response) ?? '';
}

function queued(school: DeployedSchool): string[] {
  return Object.keys(school.ws.properties.scriptStore()).filter((k) => k.startsWith('tlog:'));
}

/** A lesson nobody joined, closed and in the log by 10:40. */
function closedLesson(school: DeployedSchool) {
  const s = scheduleFor(school);
  school.advanceTo(monday(10, 40));
  expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
  return s;
}

describe('staff entries belong to their authors (issue 9)', () => {
  it('keeps the first teacher’s entry when another teacher writes on the lesson after it left the store', () => {
    const school = new DeployedSchool();
    const s = closedLesson(school);
    const teacher = s.course.teacher.email;
    const ta = s.course.assistant.email;
    const other = school.school.courses[1]!.teacher.email;
    expect(
      sendLog(school, teacher, s.lessonId, {
        shareWithSlt: 'Pupil X disclosed something; passed to DSL',
      }),
    ).toMatch(/sent to SLT/);
    school.advance(2 * MIN);
    const first = String(school.sessionRow(s.lessonId)!['Anything To Share With SLT?']);
    expect(first).toMatch(
      new RegExp(
        `^\\[2026-11-23 10:4\\d ${teacher}\\] Pupil X disclosed something; passed to DSL$`,
      ),
    );

    // A week after its end the lesson leaves the store; the log keeps it. (The idle days in
    // between are skipped: nothing happens in them.)
    school.ws.kernel.clock.advanceTo(monday(12) + 8 * DAY);
    school.advance(2 * MIN);
    expect(school.lessons().map((l) => l.id)).not.toContain(s.lessonId);

    // Another teacher's "Nothing to report": accepted to be checked, then refused against the
    // row, and handed back to its author by email, word for word.
    expect(sendLog(school, other, s.lessonId, { shareWithSlt: 'Nothing to report' })).toMatch(
      /sent to SLT/,
    );
    school.advance(2 * MIN);
    expect(queued(school)).toEqual([]);
    expect(school.sessionRow(s.lessonId)!['Anything To Share With SLT?']).toBe(first);
    const back = school.mailTo(other).filter((m) => m.subject.includes(s.lessonId));
    expect(back).toHaveLength(1);
    expect(back[0]!.body).toMatch(/teacher and its second adult/);
    expect(back[0]!.body).toContain('Anything to share with SLT: Nothing to report');

    // The lesson's second adult, named in the row, may write: below the teacher's, not over it.
    expect(sendLog(school, ta, s.lessonId, { shareWithSlt: 'Nothing to report' })).toMatch(
      /sent to SLT/,
    );
    school.advance(2 * MIN);
    const lines = String(school.sessionRow(s.lessonId)!['Anything To Share With SLT?']).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(first);
    expect(lines[1]).toMatch(
      new RegExp(`^\\[2026-12-01 \\d\\d:\\d\\d ${ta}\\] Nothing to report$`),
    );
    expect(school.ws.sheets.formulaCells(school.logId)).toEqual([]);
  });

  it('refuses at once an entry from someone who is not the lesson’s teacher or second adult', () => {
    const school = new DeployedSchool();
    const s = closedLesson(school);
    const other = school.school.courses[1]!.teacher.email;
    expect(sendLog(school, other, s.lessonId, { technologyIssues: 'None' })).toBe(
      'Only the teacher or the second adult of this lesson can write its log.',
    );
    expect(queued(school)).toEqual([]);
  });

  it('refuses log entries for a lesson that does not exist', () => {
    const school = new DeployedSchool();
    const teacher = school.school.courses[0]!.teacher.email;
    const before = Object.keys(school.ws.properties.scriptStore()).length;
    const notFound = 'That lesson could not be found, so there is no log to write to.';
    // Not a lesson id; a lesson this week; one next week: none would have left the store.
    for (const id of ['nonsense', 'L-20261123-zzzzzz', 'L-20261130-abcdef'])
      expect(sendLog(school, teacher, id, { technologyIssues: 'x' })).toBe(notFound);
    // Five hundred of them fill nothing (the store once filled with them).
    for (let i = 0; i < 500; i++)
      expect(sendLog(school, teacher, `L-20261123-${String(i).padStart(6, 'a')}`, {})).toBe(
        notFound,
      );
    expect(queued(school)).toEqual([]);
    expect(Object.keys(school.ws.properties.scriptStore()).length).toBe(before);

    // A lesson old enough to have left the store may be in the log: the automation checks
    // within a minute, and a lesson the log never had is refused and handed back.
    expect(sendLog(school, teacher, 'L-20261001-abcdef', { technologyIssues: 'Wifi' })).toMatch(
      /sent to SLT/,
    );
    expect(queued(school)).toHaveLength(1);
    school.advance(2 * MIN);
    expect(queued(school)).toEqual([]);
    const back = school.mailTo(teacher).filter((m) => m.subject.includes('L-20261001-abcdef'));
    expect(back).toHaveLength(1);
    expect(back[0]!.body).toMatch(/the log has no such lesson/);
    expect(back[0]!.body).toContain('Any technology issues: Wifi');

    // However many such entries one person sends, at most five wait to be checked.
    const sent = Array.from({ length: 7 }, (_, i) =>
      sendLog(school, teacher, `L-20261002-abcde${'abcdefg'[i]}`, { technologyIssues: 'x' }),
    );
    expect(sent.filter((m) => /sent to SLT/.test(m))).toHaveLength(5);
    expect(sent[6]).toMatch(/5 log entries for older lessons waiting to be checked/);
    school.advance(2 * MIN);
    expect(queued(school)).toEqual([]);
  });
});

describe('the log-writing run is bounded and resumable', () => {
  it('writes each entry and row once when Sheets loses its answer or the run is cut off', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    // The first write of a new row reaches Sheets but its answer is lost: the row is written
    // again in the same place, never twice.
    ws.kernel.faults.inject({ match: 'sheets.Range.setValues', kind: 'lost-response', times: 1 });
    const s = scheduleFor(school);
    school.advance(3 * MIN);
    expect(ws.kernel.faults.injected).toHaveLength(1);
    expect(school.sessions().filter((r) => r[0] === s.lessonId)).toHaveLength(1);
    expect(school.sessionRow(s.lessonId)?.Status).toBe('scheduled');

    // The run that closes the lesson is cut off at six minutes in the middle of its write.
    school.advanceTo(monday(10, 31));
    ws.kernel.latency['sheets.Range.setValues'] = 7 * MIN;
    let killed = 0;
    school.advance(2 * MIN, (name, result) => {
      if (name === 'monitorTick' && result.killed) killed += 1;
    });
    expect(killed).toBeGreaterThan(0);
    delete ws.kernel.latency['sheets.Range.setValues'];
    // The killed run's lease runs out (5.5 minutes), and the next run finishes its work.
    school.advance(8 * MIN);
    expect(school.sessions().filter((r) => r[0] === s.lessonId)).toHaveLength(1);
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    const attendance = school.attendance(s.lessonId);
    expect(new Set(attendance.map((a) => a.Name)).size).toBe(attendance.length);

    // A staff entry whose write answer is lost is not added a second time.
    sendLog(school, s.course.teacher.email, s.lessonId, { technologyIssues: 'Sound dropped' });
    ws.kernel.faults.inject({ match: 'sheets.Range.setValues', kind: 'lost-response', times: 1 });
    school.advance(3 * MIN);
    expect(ws.kernel.faults.injected).toHaveLength(2);
    expect(queued(school)).toEqual([]);
    expect(
      String(school.sessionRow(s.lessonId)!['Any Technology Issues']).split('\n'),
    ).toHaveLength(1);
  });

  it('stops before its budget and writes the rest on the next run', () => {
    const school = new DeployedSchool({ teachers: 35, pupilsPerCourse: 1 });
    const { ws } = school;
    const ids: string[] = [];
    for (const [i] of school.school.courses.entries())
      for (const hour of [12, 13, 14])
        ids.push(
          scheduleFor(school, { course: i, title: `L${i}-${hour}`, start: monday(hour) }).lessonId,
        );
    expect(ids).toHaveLength(105);
    // Sheets so slow that one block of 100 rows uses the whole budget.
    ws.kernel.latency['sheets.Range.setValues'] = 61_000;
    const runs: { logged: number; ms: number }[] = [];
    school.advance(2 * MIN, (name, result) => {
      if (name !== 'monitorTick') return;
      const value = result.value as { logged: number };
      runs.push({
        logged: value.logged,
        ms: result.execution.endedAt! - result.execution.startedAt,
      });
    });
    delete ws.kernel.latency['sheets.Range.setValues'];
    expect(runs.map((r) => r.logged).slice(0, 2)).toEqual([100, 5]);
    for (const r of runs) expect(r.ms).toBeLessThan(6 * MIN);
    const rows = school
      .sessions()
      .slice(1)
      .map((r) => r[0]);
    expect(rows).toHaveLength(105);
    expect(new Set(rows)).toEqual(new Set(ids));
  });
});
