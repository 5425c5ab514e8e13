// R2, R4, R10, R12, R17: the school's settings are read whole, checked, and never half-applied.

import {
  DEFAULT_SETTINGS,
  formatSettings,
  parseSettings,
  type SettingProblem,
} from '../../src/core/settings';

function problemsFor(raw: Record<string, string>): SettingProblem[] {
  const result = parseSettings(raw);
  if (result.ok) throw new Error(`expected problems for ${JSON.stringify(raw)}`);
  return result.problems;
}

function settingsFor(raw: Record<string, string>) {
  const result = parseSettings(raw);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join(' '));
  return result.settings;
}

describe('parseSettings: the policy defaults', () => {
  it('uses the policies’ own values when the sheet is empty', () => {
    const s = settingsFor({});
    expect(s).toEqual(DEFAULT_SETTINGS);
    expect(s.maxLessonMinutes).toBe(30); // policy 002: "no longer than 30 minutes"
    expect(s.withdrawBeforeEndMinutes).toBe(5); // policy 000: link deleted towards the end
    expect(s.retentionDays).toBe(30); // policy 000: recordings kept up to 30 days
    expect(s.approvalRequired).toBe(true); // R2: the head teacher agrees first
    expect(s.allowOneToOne).toBe(false); // R12: no 1:1 unless the school allows it
    expect(s.accessType).toBe('RESTRICTED'); // R8: everyone knocks
    expect(s.lessonStartMinute).toBe(8 * 60 + 30);
    expect(s.lessonEndMinute).toBe(15 * 60 + 30);
    expect(s.lessonDays).toEqual([1, 2, 3, 4, 5]);
  });

  it('treats a blank value as "keep the default"', () => {
    expect(settingsFor({ retentionDays: '   ' }).retentionDays).toBe(30);
  });

  it('reads the values SLT type, with spaces and capitals forgiven', () => {
    const s = settingsFor({
      staffDomain: ' School.ORG.uk ',
      lessonStartMinute: '9:00',
      lessonEndMinute: '14:45',
      lessonDays: 'Monday, wed thu',
      retentionDays: ' 14 ',
      approvalRequired: 'Yes',
      approvers: 'Head@School.org.uk; deputy@school.org.uk',
      allowOneToOne: 'no',
      accessType: 'trusted',
      purgeMode: 'Trash',
    });
    expect(s.staffDomain).toBe('school.org.uk');
    expect(s.lessonStartMinute).toBe(540);
    expect(s.lessonEndMinute).toBe(14 * 60 + 45);
    expect(s.lessonDays).toEqual([1, 3, 4]);
    expect(s.retentionDays).toBe(14);
    expect(s.approvers).toEqual(['head@school.org.uk', 'deputy@school.org.uk']);
    expect(s.accessType).toBe('TRUSTED');
    expect(s.purgeMode).toBe('trash');
  });

  it('reads back exactly what it writes to the Settings sheet', () => {
    const s = { ...DEFAULT_SETTINGS, approvers: ['head@school.example'], lessonDays: [1, 3, 5] };
    expect(settingsFor(formatSettings(s))).toEqual(s);
  });
});

describe('parseSettings: recording retention (R17)', () => {
  it.each([
    ['0', 'retentionDays must be a whole number from 1 to 366 days (got "0").'],
    ['-1', 'retentionDays must be a whole number from 1 to 366 days (got "-1").'],
    ['3000', 'retentionDays must be a whole number from 1 to 366 days (got "3000").'],
    ['abc', 'retentionDays must be a whole number from 1 to 366 days (got "abc").'],
    ['30.5', 'retentionDays must be a whole number from 1 to 366 days (got "30.5").'],
  ])('refuses to keep recordings for "%s" days', (value, message) => {
    expect(problemsFor({ retentionDays: value })).toEqual([{ key: 'retentionDays', message }]);
  });

  it('keeps recordings for a year at most, and a day at least', () => {
    expect(settingsFor({ retentionDays: '366' }).retentionDays).toBe(366);
    expect(settingsFor({ retentionDays: '1' }).retentionDays).toBe(1);
  });
});

describe('parseSettings: every nonsense value gets a message SLT can act on', () => {
  it.each([
    [
      'maxLessonMinutes',
      '240',
      'maxLessonMinutes must be a whole number from 5 to 120 minutes (got "240").',
    ],
    [
      'maxLessonsPerClassPerWeek',
      '-2',
      'maxLessonsPerClassPerWeek must be a whole number from 0 to 50 (0 means no cap) (got "-2").',
    ],
    [
      'withdrawBeforeEndMinutes',
      '0',
      'withdrawBeforeEndMinutes must be a whole number from 1 to 30 minutes before the end (got "0").',
    ],
    [
      'endGraceMinutes',
      '45',
      'endGraceMinutes must be a whole number from 0 to 30 minutes after the end (got "45").',
    ],
    [
      'openBeforeStartMinutes',
      '1',
      'openBeforeStartMinutes must be a whole number from 2 to 30 minutes before the start (got "1").',
    ],
    ['staffDomain', 'not a domain', '"not a domain" is not a domain such as school.org.uk.'],
    ['timeZone', 'Mars/Olympus', '"Mars/Olympus" is not a time zone such as Europe/London.'],
    ['lessonStartMinute', '25:00', 'lessonStartMinute must be a time such as 08:30 (got "25:00").'],
    [
      'lessonEndMinute',
      'half three',
      'lessonEndMinute must be a time such as 08:30 (got "half three").',
    ],
    ['lessonDays', 'Funday', 'lessonDays must list days such as "Mon, Tue, Wed, Thu, Fri".'],
    ['lessonDays', '0, 8', 'lessonDays must list days such as "Mon, Tue, Wed, Thu, Fri".'],
    ['approvalRequired', 'maybe', 'approvalRequired must be yes or no (got "maybe").'],
    ['allowOneToOne', 'sometimes', 'allowOneToOne must be yes or no (got "sometimes").'],
    ['accessType', 'OPEN', 'accessType must be RESTRICTED (everyone knocks) or TRUSTED.'],
    ['purgeMode', 'shred', 'purgeMode must be "delete" (permanent) or "trash".'],
  ])('refuses %s = "%s"', (key, value, message) => {
    const approvers = 'head@school.example';
    expect(problemsFor({ approvers, [key]: value })).toEqual([{ key, message }]);
  });

  it('refuses lesson hours that end before they start', () => {
    expect(problemsFor({ lessonStartMinute: '15:00', lessonEndMinute: '09:00' })).toEqual([
      { key: 'lessonEndMinute', message: 'Lesson hours must end after they start.' },
    ]);
  });

  it('refuses lesson hours that end when they start', () => {
    expect(problemsFor({ lessonStartMinute: '10:00', lessonEndMinute: '10:00' })).toEqual([
      { key: 'lessonEndMinute', message: 'Lesson hours must end after they start.' },
    ]);
  });

  it('checks a new end time against the default start (08:30)', () => {
    expect(problemsFor({ lessonEndMinute: '08:00' })).toEqual([
      { key: 'lessonEndMinute', message: 'Lesson hours must end after they start.' },
    ]);
  });

  it('reports a misspelt key instead of silently keeping a default', () => {
    expect(problemsFor({ retentionDay: '7' })).toEqual([
      { key: 'retentionDay', message: '"retentionDay" is not a setting this product knows.' },
    ]);
  });

  it('names every address that is not an email address', () => {
    expect(problemsFor({ dslEmails: 'dsl@school.example, Mrs Smith, dsl2@school' })).toEqual([
      {
        key: 'dslEmails',
        message: 'dslEmails has addresses that are not email addresses: mrs, smith, dsl2@school',
      },
    ]);
    expect(problemsFor({ sltEmails: '<slt@school.example>' })).toEqual([
      {
        key: 'sltEmails',
        message: 'sltEmails has addresses that are not email addresses: <slt@school.example>',
      },
    ]);
  });

  it('accepts lists of addresses separated by commas, semicolons or spaces', () => {
    const s = settingsFor({ sltEmails: 'a@school.example;b@school.example c@school.example' });
    expect(s.sltEmails).toEqual(['a@school.example', 'b@school.example', 'c@school.example']);
  });

  it('refuses "approval required" when nobody is named to approve', () => {
    expect(problemsFor({ approvalRequired: 'yes' })).toEqual([
      { key: 'approvers', message: 'Approval is required but no approvers are listed.' },
    ]);
  });

  it('lets a school switch to auto-approval without naming approvers (R2)', () => {
    expect(settingsFor({ approvalRequired: 'no' }).approvalRequired).toBe(false);
  });
});

describe('parseSettings: all or nothing', () => {
  it('applies none of the settings when any one is wrong', () => {
    const result = parseSettings({ retentionDays: '14', maxLessonMinutes: '20', purgeMode: 'x' });
    expect(result).toEqual({
      ok: false,
      problems: [
        { key: 'purgeMode', message: 'purgeMode must be "delete" (permanent) or "trash".' },
      ],
    });
    expect('settings' in result).toBe(false);
  });

  it('lists every problem at once, so SLT fix the sheet in one go', () => {
    const problems = problemsFor({
      retentionDays: '3000',
      colour: 'blue',
      lessonStartMinute: '16:00',
      dslEmails: 'nobody',
    });
    expect(problems.map((p) => p.key)).toEqual([
      'colour',
      'lessonEndMinute',
      'retentionDays',
      'dslEmails',
    ]);
  });
});
