// R25 and bad input in the Settings sheet, through the shipped bundle: a rule set to
// "sometimes" and a recording choice that contradicts the lone-staff rule are refused with a
// clear message beside each row, nothing is applied, SLT are told, and lessons keep running
// under the last good settings. A setting the sheet lacks comes back with its default.

import { HOUR_MS as HOUR } from '../../src/core/time';
import { texts } from '../sim/card-driver';
import { DeployedSchool, monday } from './deployed-school';
import { admit, flagCodes, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

function settingsRows(school: DeployedSchool) {
  return school.ws.sheets.table(school.logId, 'Settings');
}

function row(school: DeployedSchool, key: string) {
  return settingsRows(school).find((r) => r[0] === key);
}

describe('the Settings sheet', () => {
  it('refuses a rule set to "sometimes" and recording that contradicts the lone-staff rule, applies nothing, and lessons run as before', () => {
    const school = new DeployedSchool();
    school.writeSettings({
      lessonHoursRule: 'sometimes',
      recording: 'never-for-groups',
      recordWhenOneStaff: 'yes',
    });
    school.advance(HOUR);

    expect(String(settingsRows(school)[0]![2])).toMatch(
      /^Status: NOT applied, the last good settings stay in force/,
    );
    expect(row(school, 'lessonHoursRule')?.[2]).toBe(
      'lessonHoursRule must be "refuse" (the lesson is not scheduled) or "flag" (scheduled, and flagged for SLT) (got "sometimes").',
    );
    expect(String(row(school, 'recordWhenOneStaff')?.[2])).toMatch(
      /^recordWhenOneStaff must be no while recording is never-for-groups: a group lesson with one member of staff cannot be both recorded and not recorded/,
    );
    expect(row(school, 'recording')?.[2]).toBe('OK (not applied)');
    const told = school
      .mailTo(school.school.slt.email)
      .filter((m) => /Settings sheet has problems/.test(m.subject));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(/lessonHoursRule must be/);
    expect(told[0]!.body).toMatch(/recordWhenOneStaff must be no/);

    // The last good settings hold: a 17:00 lesson is flagged, not refused, and it is recorded.
    const late = scheduleFor(school, { start: monday(17) });
    school.advanceTo(monday(16, 55));
    const link = teacherJoinsAndShares(school, late);
    const config = school.ws.meet.spaceInfo(link).config as {
      artifactConfig: { recordingConfig: { autoRecordingGeneration: string } };
    };
    expect(config.artifactConfig.recordingConfig.autoRecordingGeneration).toBe('ON');
    admit(school, late, link, [late.course.assistant.email, late.course.pupils[0]!.email]);
    school.advanceTo(monday(17, 40));
    expect(flagCodes(school.sessionRow(late.lessonId))).toContain('outside-lesson-hours');
  });

  it('shows the values each setting allows, and brings back a setting SLT deleted, with its default', () => {
    const school = new DeployedSchool();
    expect(settingsRows(school)[0]![3]).toBe('Allowed values');
    expect(row(school, 'recording')?.slice(1)).toEqual([
      'always',
      'OK',
      '"always", "when-one-staff" or "never-for-groups"',
    ]);
    expect(row(school, 'secondStaffRule')?.[3]).toBe(
      '"refuse" (the lesson is not scheduled) or "flag" (scheduled, and flagged for SLT)',
    );

    // SLT clear the recording row; the next hourly check puts it back, with the default.
    const at = settingsRows(school).findIndex((r) => r[0] === 'recording') + 1;
    school.ws.sheets.editAsUser(school.school.slt.email, school.logId, `Settings!A${at}:B${at}`, [
      ['', ''],
    ]);
    school.advance(HOUR);
    const rows = settingsRows(school);
    expect(rows.filter((r) => r[0] === 'recording')).toHaveLength(1);
    expect(row(school, 'recording')?.slice(1, 3)).toEqual(['always', 'OK']);
    expect(String(rows[0]![2])).toBe('Status: settings applied');

    // A school that set a rule to refuse sees its reason in the schedule form before submitting.
    school.writeSettings({ lessonHoursRule: 'refuse' });
    school.advance(HOUR);
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const late = teacher.schedule({ title: 'Late', start: monday(17), secondStaff: null });
    expect(late.lessonId).toBeNull();
    expect(late.message).toMatch(/outside them\. Choose another time\./);
    expect(texts(teacher.home()).join(' ')).not.toMatch(/Late/);
  });
});
