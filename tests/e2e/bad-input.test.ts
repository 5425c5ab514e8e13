// Bad input from the sidebar and the Settings sheet: each gets a clear message in the
// user's words, and nothing is written half-way (no lesson, no event, no row, no email).

import { HOUR_MS as HOUR } from '../../src/core/time';
import { findUnescapedHtml, texts } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { admit, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

const FORMULA = '=HYPERLINK("http://x","y")';

function scheduleEvent(fields: Record<string, unknown>) {
  const formInputs = Object.fromEntries(
    Object.entries(fields).map(([k, v]) =>
      k === 'start'
        ? [k, { dateTimeInput: { msSinceEpoch: String(v), hasDate: true, hasTime: true } }]
        : [k, { stringInputs: { value: [String(v)] } }],
    ),
  );
  return { commonEventObject: { formInputs, parameters: {} } };
}

/** Nothing was made: no lesson in the store, no Calendar event, no Sessions row. */
function nothingWritten(school: DeployedSchool, teacher: string) {
  expect(school.lessons()).toEqual([]);
  expect(school.ws.calendar.events(teacher)).toEqual([]);
  school.advance(2 * MIN);
  expect(school.sessions().slice(1)).toEqual([]);
}

describe('scheduling refuses bad input with a clear message and makes nothing', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['an empty title', { title: '' }, /Give the lesson a title/],
    ['an oversized title', { title: 'x'.repeat(500) }, /Keep the title under 120 characters/],
    ['a date in the past', { start: monday(6) }, /already passed/],
    ['a lesson of 3 hours', { minutes: '180' }, /at most 120 minutes/],
    ['a start that is not a date', { start: 'soon' }, /Choose a date and a start time/],
  ];
  it.each(cases)('%s', (_name, override, message) => {
    const school = new DeployedSchool();
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const response = school.run(
      'scheduleLessonAction',
      scheduleEvent({
        courseId: course.id,
        title: 'Phonics',
        start: monday(10),
        minutes: '30',
        ...override,
      }),
      course.teacher.email,
    );
    expect(teacher.note(response)).toMatch(message);
    // The form comes back with what to fix, and no card ever shows a stack trace.
    const card = teacher.next(response);
    expect(texts(card)).toContain('Please fix before scheduling');
    expect(texts(card).join(' ')).not.toMatch(/at .*\.js:\d+|Error:/);
    nothingWritten(school, course.teacher.email);
  });

  it('a course the teacher does not teach', () => {
    const school = new DeployedSchool();
    const [mine, theirs] = school.school.courses;
    const teacher = school.sidebar(mine!.teacher.email);
    const response = school.run(
      'scheduleLessonAction',
      scheduleEvent({ courseId: theirs!.id, title: 'Phonics', start: monday(10), minutes: '30' }),
      mine!.teacher.email,
    );
    expect(teacher.note(response)).toMatch(/only schedule lessons for classes you teach/);
    nothingWritten(school, mine!.teacher.email);
  });

  it('a second member of staff who is not in the school directory', () => {
    const school = new DeployedSchool();
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const form = teacher.next(teacher.click(teacher.home(), 'Schedule a lesson'));
    const response = teacher.click(form, 'Schedule', {
      title: 'Phonics',
      start: { msSinceEpoch: monday(10), hasDate: true, hasTime: true },
      otherStaff: `nobody@${school.school.domain}`,
    });
    expect(teacher.note(response)).toMatch(/not in the school's directory/);
    const outsider = teacher.click(teacher.next(response), 'Schedule', {
      otherStaff: 'friend@gmail.example',
    });
    expect(teacher.note(outsider)).toMatch(/must have a kenilworth\.sch\.uk account/);
    nothingWritten(school, course.teacher.email);
  });

  it('a 3-hour Calendar event: the form shows the length and the check refuses it', () => {
    const school = new DeployedSchool();
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const event = school.ws.calendar.addEvent(course.teacher.email, {
      summary: 'Sports day',
      start: { dateTime: new Date(monday(12)).toISOString() },
      end: { dateTime: new Date(monday(15)).toISOString() },
    });
    const offer = school.run(
      'onCalendarEventOpen',
      { calendar: { id: event.id, calendarId: 'primary' } },
      course.teacher.email,
    );
    const form = teacher.next(teacher.click(offer, 'Make it a live lesson'));
    expect(texts(form)).toContain('180 minutes (over the limit)');
    const checked = teacher.next(teacher.click(form, 'Check with the policy'));
    expect(texts(checked).join(' ')).toMatch(/at most 120 minutes/);
    expect(teacher.note(teacher.click(checked, 'Schedule'))).toMatch(/at most 120 minutes/);
    expect(school.lessons()).toEqual([]);
  });
});

describe('an incident report with bad input writes nothing and says what to fix', () => {
  function reportForm(school: DeployedSchool) {
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    teacherJoinsAndShares(school, s);
    const form = s.teacher.next(
      s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
    );
    return { s, form };
  }

  const cases: [string, Record<string, string>, RegExp][] = [
    ['nothing filled in', {}, /Say who was involved.*Choose what kind.*Describe what happened/],
    [
      'an oversized description',
      {
        person: 'other',
        otherPerson: 'Someone',
        nature: 'Grooming',
        details: 'x'.repeat(3000),
      },
      /too long \(3000 characters; at most 2000\)/,
    ],
    [
      'an oversized name',
      {
        person: 'other',
        otherPerson: 'n'.repeat(300),
        nature: 'Grooming',
        details: 'Said something.',
      },
      /Keep the name under 120 characters/,
    ],
  ];
  it.each(cases)('%s', (_name, inputs, message) => {
    const school = new DeployedSchool();
    const { s, form } = reportForm(school);
    const mails = school.ws.mail.outbox().length;
    const response = s.teacher.click(form, 'Send to the DSL', inputs);
    expect(s.teacher.note(response)).toMatch(message);
    expect(texts(s.teacher.next(response))).toContain('Please fix');
    expect(school.ws.mail.outbox().length).toBe(mails);
    const store = school.ws.properties.scriptStore();
    expect(Object.keys(store).filter((k) => /^(incq|hold|follow):/.test(k))).toEqual([]);
    school.advance(2 * MIN);
    expect(school.ws.sheets.table(school.logId, 'Incidents').slice(1)).toEqual([]);
  });
});

describe('a pupil named like a formula stays text everywhere', () => {
  it('in the roster, the incident form, the Incidents sheet, Attendance and the Dashboard', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const course = school.school.courses[0]!;
    const pupil = ws.kernel.directory.add({
      email: `pupil99@${school.school.domain}`,
      name: FORMULA,
      kind: 'pupil',
    });
    const marked = ws.kernel.directory.add({
      email: `pupil98@${school.school.domain}`,
      name: '<b>Bold</b> <script>alert(1)</script>',
      kind: 'pupil',
    });
    ws.classroom.addStudent(course.id, pupil.email);
    ws.classroom.addStudent(course.id, marked.email);
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [pupil.email, marked.email]);

    const form = s.teacher.next(
      s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
    );
    expect(findUnescapedHtml(form)).toEqual([]);
    expect(
      s.teacher.note(
        s.teacher.click(form, 'Send to the DSL', {
          person: pupil.email,
          role: 'T',
          nature: 'Online bullying or harassment (cyber bullying)',
          where: 'outside',
          details: '=IMPORTRANGE("a","b") was typed in the chat',
          action: 'warned',
        }),
      ),
    ).toMatch(/^Sent to the DSL/);
    expect(findUnescapedHtml(s.teacher.lessonCard(s.lessonId))).toEqual([]);
    expect(findUnescapedHtml(s.teacher.home())).toEqual([]);

    school.advanceTo(monday(10, 40));
    school.advance(HOUR);
    const incidents = ws.sheets.table(school.logId, 'Incidents');
    expect(incidents[1]![1]).toBe(`${FORMULA} (T)`);
    expect(incidents[1]![3]).toBe('=IMPORTRANGE("a","b") was typed in the chat');
    expect(school.attendance(s.lessonId).map((a) => a.Name)).toContain(FORMULA);
    expect(ws.sheets.table(school.logId, 'Dashboard').flat()).toContain(`${FORMULA} (T)`);
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
  });
});

describe('settings with nonsense values', () => {
  it('are not applied; each bad row says why in the Settings sheet, and SLT are told', () => {
    const school = new DeployedSchool();
    school.writeSettings({
      maxLessonMinutes: 'lots',
      timeZone: 'Mars/Olympus_Mons',
      sltEmails: 'the head',
      lessonStartMinute: '25:00',
      colour: 'green',
    });
    school.advance(HOUR);
    const rows = school.ws.sheets.table(school.logId, 'Settings');
    const status = (key: string) => String(rows.find((r) => r[0] === key)?.[2] ?? '');
    expect(String(rows[0]![2])).toMatch(/NOT applied, the last good settings stay in force/);
    expect(status('maxLessonMinutes')).toMatch(/whole number from 5 to 120 minutes \(got "lots"\)/);
    expect(status('timeZone')).toMatch(
      /timeZone must be a time zone such as Europe\/London \(got "Mars\/Olympus_Mons"\)/,
    );
    expect(status('sltEmails')).toMatch(/not email addresses: the/);
    expect(status('lessonStartMinute')).toMatch(/a time such as 08:30/);
    expect(status('colour')).toMatch(/not a setting this product knows/);
    expect(status('staffDomain')).toBe('OK (not applied)');
    expect(
      school
        .mailTo(school.school.slt.email)
        .some((m) => /Settings sheet has problems/.test(m.subject)),
    ).toBe(true);

    // The last good settings are still in force: the form offers lengths up to 30 minutes.
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const form = () => texts(teacher.next(teacher.click(teacher.home(), 'Schedule a lesson')));
    expect(form()).toContain("Length (the school's limit is 30 minutes)");

    // Fixed: every row reads OK and the settings apply.
    school.writeSettings({
      maxLessonMinutes: '45',
      timeZone: 'Europe/London',
      sltEmails: school.school.slt.email,
      lessonStartMinute: '08:30',
    });
    const colourRow =
      school.ws.sheets.table(school.logId, 'Settings').findIndex((r) => r[0] === 'colour') + 1;
    school.ws.sheets.editAsUser(
      school.school.slt.email,
      school.logId,
      `Settings!A${colourRow}:B${colourRow}`,
      [['', '']],
    );
    school.advance(HOUR);
    const fixed = school.ws.sheets.table(school.logId, 'Settings');
    expect(String(fixed[0]![2])).toBe('Status: settings applied');
    expect(fixed.find((r) => r[0] === 'maxLessonMinutes')?.[2]).toBe('OK');
    expect(form()).toContain('45 minutes');
  });
});
