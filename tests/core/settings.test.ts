// R2, R4, R10-R12, R17, R21-R25: the school's settings are read whole, checked, never
// half-applied, and every bad value gets a message that names the key and what is allowed.

import {
  DEFAULT_CODE_OF_CONDUCT,
  DEFAULT_SETTINGS,
  formatSettings,
  MAX_CODE_OF_CONDUCT_LENGTH,
  parseSettings,
  SETTING_KEYS,
  SETTINGS,
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
    expect(s.maxLessonMinutes).toBe(30); // policy 000: "no longer than 30 minutes"
    expect(s.withdrawBeforeEndMinutes).toBe(5); // policy 000: link deleted towards the end
    expect(s.retentionDays).toBe(30); // policy 000: recordings kept up to 30 days
    expect(s.approvalRequired).toBe(true); // R2: the head teacher agrees first
    expect(s.allowOneToOne).toBe(false); // R12: no 1:1 unless the school allows it
    expect(s.accessType).toBe('RESTRICTED'); // R8: everyone knocks
    expect(s.lessonStartMinute).toBe(8 * 60 + 30);
    expect(s.lessonEndMinute).toBe(15 * 60 + 30);
    expect(s.lessonDays).toEqual([1, 2, 3, 4, 5]);
  });

  it('flags, rather than refuses, every schedule rule unless the school says otherwise (R4)', () => {
    const s = settingsFor({});
    expect([
      s.lessonHoursRule,
      s.lessonDaysRule,
      s.maxLessonMinutesRule,
      s.maxLessonsPerClassPerWeekRule,
      s.secondStaffRule,
    ]).toEqual(['flag', 'flag', 'flag', 'flag', 'flag']);
  });

  it('records every lesson, and always one with a lone member of staff (policy 000)', () => {
    const s = settingsFor({});
    expect(s.recording).toBe('always');
    expect(s.recordWhenOneStaff).toBe(true);
  });

  it('asks for a parent/carer in the room of a 1:1 (policy 001) and ends a call an outsider joins (policy 000)', () => {
    const s = settingsFor({});
    expect(s.oneToOneParentPresent).toBe(true);
    expect(s.outsiderAction).toBe('end');
  });

  it('watches for staff leaving pupils alone: a minute to alert, three to end (R21)', () => {
    const s = settingsFor({});
    expect(s.staffAbsentAlertSeconds).toBe(60);
    expect(s.staffAbsentEndMinutes).toBe(3);
    expect(s.oneToOneAlertMinutes).toBe(5);
  });

  it('lets pupils join as contributors, and tells SLT of broken plumbing unless admins are named', () => {
    const s = settingsFor({});
    expect(s.pupilsJoinAsViewers).toBe(false);
    expect(s.adminEmails).toEqual([]);
  });

  it('has a code of conduct drawn from the policies, short enough for the Classroom post (R24)', () => {
    const text = settingsFor({}).codeOfConduct;
    expect(text).toBe(DEFAULT_CODE_OF_CONDUCT);
    expect(text.length).toBeLessThanOrEqual(MAX_CODE_OF_CONDUCT_LENGTH);
    expect(text).toMatch(/not a bedroom/); // place and background (000, 001)
    expect(text).toMatch(/plain background/);
    expect(text).toMatch(/suitable clothing/); // 000-003
    expect(text).toMatch(/Do not record, screenshot or photograph/); // 000, 001, 003
    expect(text).toMatch(/parent or carer stays nearby/); // 001, 002
    expect(text).toMatch(/If anything worries you, tell/); // how to report a worry (000, 002)
  });

  it('treats a blank value as "keep the default"', () => {
    expect(settingsFor({ retentionDays: '   ' }).retentionDays).toBe(30);
    expect(settingsFor({ recording: '' }).recording).toBe('always');
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
      lessonHoursRule: ' Refuse ',
      recording: 'Never-For-Groups',
      recordWhenOneStaff: 'N',
      outsiderAction: 'ALERT',
      pupilsJoinAsViewers: 'on',
      adminEmails: 'IT@School.org.uk',
    });
    expect(s.staffDomain).toBe('school.org.uk');
    expect(s.lessonStartMinute).toBe(540);
    expect(s.lessonEndMinute).toBe(14 * 60 + 45);
    expect(s.lessonDays).toEqual([1, 3, 4]);
    expect(s.retentionDays).toBe(14);
    expect(s.approvers).toEqual(['head@school.org.uk', 'deputy@school.org.uk']);
    expect(s.accessType).toBe('TRUSTED');
    expect(s.purgeMode).toBe('trash');
    expect(s.lessonHoursRule).toBe('refuse');
    expect(s.recording).toBe('never-for-groups');
    expect(s.recordWhenOneStaff).toBe(false);
    expect(s.outsiderAction).toBe('alert');
    expect(s.pupilsJoinAsViewers).toBe(true);
    expect(s.adminEmails).toEqual(['it@school.org.uk']);
  });

  it('keeps a code of conduct as written, with its line breaks', () => {
    const rules = 'Cameras on.\r\nA parent nearby.\nTell your teacher if you are worried.';
    expect(settingsFor({ codeOfConduct: rules }).codeOfConduct).toBe(
      'Cameras on.\nA parent nearby.\nTell your teacher if you are worried.',
    );
  });

  it('reads back exactly what it writes to the Settings sheet', () => {
    const s = {
      ...DEFAULT_SETTINGS,
      approvers: ['head@school.example'],
      lessonDays: [1, 3, 5],
      secondStaffRule: 'refuse' as const,
      recording: 'when-one-staff' as const,
      staffAbsentAlertSeconds: 90,
      adminEmails: ['it@school.example', 'bursar@school.example'],
      codeOfConduct: 'Be kind.\nNo screenshots.',
    };
    expect(settingsFor(formatSettings(s))).toEqual(s);
    const auto = { ...DEFAULT_SETTINGS, approvalRequired: false };
    expect(settingsFor(formatSettings(auto))).toEqual(auto);
  });

  it('writes every setting to the sheet, in the table’s order', () => {
    expect(Object.keys(formatSettings(DEFAULT_SETTINGS))).toEqual(SETTING_KEYS);
  });
});

describe('the settings table', () => {
  it('gives every setting a default, its allowed values, where it comes from and what it does', () => {
    for (const key of SETTING_KEYS) {
      const spec = SETTINGS[key];
      expect([key, spec.allowed.length > 0, spec.source.length > 0, spec.doc.length > 0]).toEqual([
        key,
        true,
        true,
        true,
      ]);
      expect(DEFAULT_SETTINGS[key]).toEqual(spec.default);
    }
  });

  it('hands out a fresh copy of list defaults, so one school cannot change another’s', () => {
    const s = settingsFor({});
    s.lessonDays.push(6);
    expect(settingsFor({}).lessonDays).toEqual([1, 2, 3, 4, 5]);
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

describe('parseSettings: every nonsense value gets a message naming the key and what is allowed', () => {
  const RULE = '"refuse" (the lesson is not scheduled) or "flag" (scheduled, and flagged for SLT)';
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
    [
      'staffDomain',
      'not a domain',
      'staffDomain must be a domain such as school.org.uk (got "not a domain").',
    ],
    [
      'timeZone',
      'Mars/Olympus',
      'timeZone must be a time zone such as Europe/London (got "Mars/Olympus").',
    ],
    ['lessonStartMinute', '25:00', 'lessonStartMinute must be a time such as 08:30 (got "25:00").'],
    [
      'lessonEndMinute',
      'half three',
      'lessonEndMinute must be a time such as 08:30 (got "half three").',
    ],
    [
      'lessonDays',
      'Funday',
      'lessonDays must be days such as "Mon, Tue, Wed, Thu, Fri" (got "Funday").',
    ],
    [
      'lessonDays',
      '0, 8',
      'lessonDays must be days such as "Mon, Tue, Wed, Thu, Fri" (got "0, 8").',
    ],
    ['approvalRequired', 'maybe', 'approvalRequired must be yes or no (got "maybe").'],
    ['allowOneToOne', 'sometimes', 'allowOneToOne must be yes or no (got "sometimes").'],
    [
      'accessType',
      'OPEN',
      'accessType must be RESTRICTED (everyone knocks) or TRUSTED (got "OPEN").',
    ],
    ['purgeMode', 'shred', 'purgeMode must be "delete" (permanent) or "trash" (got "shred").'],
    ['lessonHoursRule', 'sometimes', `lessonHoursRule must be ${RULE} (got "sometimes").`],
    ['lessonDaysRule', 'warn', `lessonDaysRule must be ${RULE} (got "warn").`],
    ['maxLessonMinutesRule', 'yes', `maxLessonMinutesRule must be ${RULE} (got "yes").`],
    [
      'maxLessonsPerClassPerWeekRule',
      'block',
      `maxLessonsPerClassPerWeekRule must be ${RULE} (got "block").`,
    ],
    ['secondStaffRule', 'refused', `secondStaffRule must be ${RULE} (got "refused").`],
    [
      'recording',
      'never',
      'recording must be "always", "when-one-staff" or "never-for-groups" (got "never").',
    ],
    ['recordWhenOneStaff', 'always', 'recordWhenOneStaff must be yes or no (got "always").'],
    [
      'oneToOneParentPresent',
      'if possible',
      'oneToOneParentPresent must be yes or no (got "if possible").',
    ],
    ['pupilsJoinAsViewers', 'muted', 'pupilsJoinAsViewers must be yes or no (got "muted").'],
    [
      'staffAbsentAlertSeconds',
      '10',
      'staffAbsentAlertSeconds must be a whole number from 30 to 600 seconds (got "10").',
    ],
    [
      'staffAbsentEndMinutes',
      '0',
      'staffAbsentEndMinutes must be a whole number from 1 to 30 minutes (got "0").',
    ],
    [
      'outsiderAction',
      'ignore',
      'outsiderAction must be "end" (the call is ended at once) or "alert" (the teacher, DSL and SLT are told) (got "ignore").',
    ],
    [
      'oneToOneAlertMinutes',
      'five',
      'oneToOneAlertMinutes must be a whole number from 1 to 60 minutes (got "five").',
    ],
    [
      'adminEmails',
      'the IT team',
      'adminEmails must be email addresses separated by commas (these are not email addresses: the, it, team).',
    ],
  ])('refuses %s = "%s"', (key, value, message) => {
    const approvers = 'head@school.example';
    expect(problemsFor({ approvers, [key]: value })).toEqual([{ key, message }]);
  });

  it('refuses a code of conduct too long for the Classroom post', () => {
    expect(problemsFor({ codeOfConduct: 'x'.repeat(601) })).toEqual([
      {
        key: 'codeOfConduct',
        message:
          'codeOfConduct must be plain text of at most 600 characters (it has 601 characters).',
      },
    ]);
    expect(settingsFor({ codeOfConduct: 'x'.repeat(600) }).codeOfConduct).toHaveLength(600);
  });

  it('refuses a code of conduct with HTML that pupils would see as tags', () => {
    expect(problemsFor({ codeOfConduct: 'Be <b>kind</b>.' })).toEqual([
      {
        key: 'codeOfConduct',
        message:
          'codeOfConduct must be plain text of at most 600 characters (it holds HTML tags, which pupils would see).',
      },
    ]);
    // A "<" in prose is not a tag.
    expect(settingsFor({ codeOfConduct: 'Ages <7: a parent stays.' }).codeOfConduct).toBe(
      'Ages <7: a parent stays.',
    );
  });

  it('refuses control characters in the code of conduct', () => {
    expect(problemsFor({ codeOfConduct: 'Be kind.\u0007' })[0]!.message).toBe(
      'codeOfConduct must be plain text of at most 600 characters (it holds control characters).',
    );
  });

  it('does not repeat a 20,000-character paste in its message', () => {
    const [problem] = problemsFor({ maxLessonMinutes: '9'.repeat(20_000) });
    expect(problem!.key).toBe('maxLessonMinutes');
    expect(problem!.message.length).toBeLessThan(140);
    expect(problem!.message).toMatch(/^maxLessonMinutes must be a whole number from 5 to 120/);
  });

  it('refuses lesson hours that end before they start', () => {
    expect(problemsFor({ lessonStartMinute: '15:00', lessonEndMinute: '09:00' })).toEqual([
      {
        key: 'lessonEndMinute',
        message:
          'lessonEndMinute must be later than lessonStartMinute (15:00): lesson hours must end after they start.',
      },
    ]);
  });

  it('refuses lesson hours that end when they start', () => {
    expect(problemsFor({ lessonStartMinute: '10:00', lessonEndMinute: '10:00' })[0]!.key).toBe(
      'lessonEndMinute',
    );
  });

  it('checks a new end time against the default start (08:30)', () => {
    expect(problemsFor({ lessonEndMinute: '08:00' })).toEqual([
      {
        key: 'lessonEndMinute',
        message:
          'lessonEndMinute must be later than lessonStartMinute (08:30): lesson hours must end after they start.',
      },
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
        message:
          'dslEmails must be email addresses separated by commas (these are not email addresses: mrs, smith, dsl2@school).',
      },
    ]);
    expect(problemsFor({ sltEmails: '<slt@school.example>' })[0]!.message).toMatch(
      /not email addresses: <slt@school.example>/,
    );
  });

  it('accepts lists of addresses separated by commas, semicolons or spaces', () => {
    const s = settingsFor({ sltEmails: 'a@school.example;b@school.example c@school.example' });
    expect(s.sltEmails).toEqual(['a@school.example', 'b@school.example', 'c@school.example']);
  });

  it('refuses "approval required" when nobody is named to approve', () => {
    expect(problemsFor({ approvalRequired: 'yes' })).toEqual([
      {
        key: 'approvers',
        message:
          'approvers must list at least one email address while approvalRequired is yes: nobody could approve a lesson.',
      },
    ]);
  });

  it('lets a school switch to auto-approval without naming approvers (R2)', () => {
    expect(settingsFor({ approvalRequired: 'no' }).approvalRequired).toBe(false);
  });
});

describe('parseSettings: settings that contradict each other', () => {
  it('refuses recording never-for-groups while lone staff must be recorded, and says how to fix it', () => {
    expect(problemsFor({ recording: 'never-for-groups', recordWhenOneStaff: 'yes' })).toEqual([
      {
        key: 'recordWhenOneStaff',
        message:
          'recordWhenOneStaff must be no while recording is never-for-groups: a group lesson with one member of staff cannot be both recorded and not recorded. Choose one: recordWhenOneStaff no (policy 001), or recording always or when-one-staff.',
      },
    ]);
  });

  it('refuses never-for-groups with the default, since lone staff are recorded by default (policy 000)', () => {
    expect(problemsFor({ recording: 'never-for-groups' }).map((p) => p.key)).toEqual([
      'recordWhenOneStaff',
    ]);
  });

  it('accepts policy 001’s recording: never for groups, no lone-staff rule', () => {
    const s = settingsFor({ recording: 'never-for-groups', recordWhenOneStaff: 'no' });
    expect([s.recording, s.recordWhenOneStaff]).toEqual(['never-for-groups', false]);
  });

  it('refuses recording when-one-staff while lone staff need not be recorded', () => {
    expect(problemsFor({ recording: 'when-one-staff', recordWhenOneStaff: 'no' })).toEqual([
      {
        key: 'recordWhenOneStaff',
        message:
          'recordWhenOneStaff must be yes while recording is when-one-staff: that mode records exactly the lessons with one member of staff.',
      },
    ]);
  });

  it('refuses ending the call before the alert that staff have gone', () => {
    expect(problemsFor({ staffAbsentAlertSeconds: '300', staffAbsentEndMinutes: '2' })).toEqual([
      {
        key: 'staffAbsentEndMinutes',
        message:
          'staffAbsentEndMinutes must be longer than staffAbsentAlertSeconds (300 seconds): the link comes down first, then the call ends.',
      },
    ]);
  });

  it('gives one message per mistake: a value already refused is not also called a contradiction', () => {
    expect(problemsFor({ recording: 'sometimes', recordWhenOneStaff: 'yes' })).toEqual([
      {
        key: 'recording',
        message:
          'recording must be "always", "when-one-staff" or "never-for-groups" (got "sometimes").',
      },
    ]);
  });
});

describe('parseSettings: all or nothing', () => {
  it('applies none of the settings when any one is wrong', () => {
    const result = parseSettings({ retentionDays: '14', maxLessonMinutes: '20', purgeMode: 'x' });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          key: 'purgeMode',
          message: 'purgeMode must be "delete" (permanent) or "trash" (got "x").',
        },
      ],
    });
    expect('settings' in result).toBe(false);
  });

  it('lists every problem at once, in the order of the sheet, so SLT fix it in one go', () => {
    const problems = problemsFor({
      retentionDays: '3000',
      colour: 'blue',
      lessonStartMinute: '16:00',
      dslEmails: 'nobody',
      secondStaffRule: 'sometimes',
    });
    expect(problems.map((p) => p.key)).toEqual([
      'colour',
      'lessonEndMinute',
      'secondStaffRule',
      'dslEmails',
      'retentionDays',
    ]);
  });
});
