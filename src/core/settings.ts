// The school's policy values (R2, R4, R10-R12, R17, R21-R25): one declarative table says,
// for every setting, its default (taken from the policies), the values allowed, how the
// Settings sheet's text is read and written back, and one line for the README. Adding a
// setting is a field in SchoolSettings plus one entry in SETTINGS; the compiler refuses a
// field without its entry. Settings are applied all or nothing, and every problem names
// the key and what is allowed.

export type AccessType = 'RESTRICTED' | 'TRUSTED';
export type PurgeMode = 'delete' | 'trash';
/** A schedule rule either stops the lesson being made or lets it go ahead in front of SLT (R25). */
export type RuleMode = 'refuse' | 'flag';
/**
 * R16, R25: which lessons Meet records. `always` (policy 000); `when-one-staff`: only lessons
 * scheduled without a second adult (R11), and 1:1s (R12); `never-for-groups` (policy 001):
 * no lesson whose class has more than one pupil, while a 1:1 is recorded.
 */
export type RecordingMode = 'always' | 'when-one-staff' | 'never-for-groups';
/** R22: someone from outside the school in the call ends it (policy 000), or only alerts. */
export type OutsiderAction = 'end' | 'alert';

export interface SchoolSettings {
  schoolName: string;
  /** Only accounts on this domain may schedule or host (R5, policy 000 "school registered accounts"). */
  staffDomain: string;
  /**
   * R5 where pupils' accounts share the staff domain: only teachers the school's administrator
   * verified in Classroom may schedule or host (a pupil may otherwise make a class of their own).
   */
  verifiedTeachersOnly: boolean;
  /**
   * R5, R11, R21 where pupils' accounts share the staff domain: the id of a Classroom class whose
   * teachers and students are the school's staff (a staff room class), or '' for none. When set,
   * only its members may schedule or host, or be typed as the second adult (the class's own
   * co-teachers and the school's leads count as staff without it).
   */
  staffClass: string;
  timeZone: string;
  /** Normal lesson hours, minutes since local midnight (R4, policies 000 and 002). */
  lessonStartMinute: number;
  lessonEndMinute: number;
  /** Whether a lesson outside lesson hours is refused or flagged (R25). */
  lessonHoursRule: RuleMode;
  /** ISO weekdays on which lessons may run, 1 = Monday. */
  lessonDays: number[];
  lessonDaysRule: RuleMode;
  /** Group lessons last at most this long (R4, policy 000: "no longer than 30 minutes"). */
  maxLessonMinutes: number;
  maxLessonMinutesRule: RuleMode;
  /** How often one class may meet per week; 0 means no cap (R4, policy 002: "no more than once a week"). */
  maxLessonsPerClassPerWeek: number;
  maxLessonsPerClassPerWeekRule: RuleMode;
  /** A lesson scheduled with no second member of staff named is refused or flagged (R11). */
  secondStaffRule: RuleMode;
  /** R2: lessons need the head teacher's or a nominee's agreement unless auto-approved. */
  approvalRequired: boolean;
  approvers: string[];
  /** R10: the link is deleted from Classroom this long before the scheduled end (policy 000). */
  withdrawBeforeEndMinutes: number;
  /** R10: the call is ended for everyone this long after the scheduled end. */
  endGraceMinutes: number;
  /** The automation opens the room this long before the start, so the teacher can join first. */
  openBeforeStartMinutes: number;
  /** R12: 1:1 lessons are not allowed unless the school says so (policies 000, 001, 003). */
  allowOneToOne: boolean;
  /** R25, policy 001: the teacher confirms a parent/carer is in the room before a 1:1 link is shared. */
  oneToOneParentPresent: boolean;
  /** R8: RESTRICTED makes everyone knock (a waiting room); TRUSTED lets the school's accounts in. */
  accessType: AccessType;
  /** R9, policy 001 "mute cameras and microphones on entry": Meet's defaultJoinAsViewerType. */
  pupilsJoinAsViewers: boolean;
  /** R16, R25: which lessons are recorded. */
  recording: RecordingMode;
  /** R11, policy 000: a lesson with only one member of staff must be recorded. */
  recordWhenOneStaff: boolean;
  /** R21: pupils with no member of staff in the call this long: the link comes down, people are told. */
  staffAbsentAlertSeconds: number;
  /** R21: no member of staff back this long after the last one left: the call is ended. */
  staffAbsentEndMinutes: number;
  /** R22: what happens when someone from outside the school is in the call. */
  outsiderAction: OutsiderAction;
  /** One pupil and one adult alone together this long: the teacher and the DSL are told (R12). */
  oneToOneAlertMinutes: number;
  /** R24: the rules pupils and parents see with the link (plain text). */
  codeOfConduct: string;
  /** R3, R19: who is told of lessons and flags. */
  sltEmails: string[];
  /** R12, R15: the designated safeguarding lead(s). */
  dslEmails: string[];
  /** R28: who hears of broken plumbing (failed jobs, delegation, a missing log or drive); empty = SLT. */
  adminEmails: string[];
  /** R17: recordings are kept up to this many days (policy 000: 30 days). */
  retentionDays: number;
  purgeMode: PurgeMode;
}

/** Longest retention accepted: a year. Longer is almost certainly a typo (3000 for 30). */
export const MAX_RETENTION_DAYS = 366;
/** A lesson longer than this is not a lesson (a whole school day); refused outright. */
export const MAX_LESSON_MINUTES_CEILING = 120;
/** The code of conduct travels in the Classroom post with the link: short enough to be read. */
export const MAX_CODE_OF_CONDUCT_LENGTH = 600;

/**
 * Drawn from the policies: background and place (000, 001, 002), clothing and language (000-003),
 * no recording or screenshots (000, 001, 003), an adult nearby (001, 002), how to report a
 * worry (000, 002: CEOP and the school's safeguarding lead).
 */
export const DEFAULT_CODE_OF_CONDUCT =
  'Live lesson rules: join from a shared room such as the kitchen or lounge, not a bedroom, ' +
  'with a plain background behind your camera. Everyone on screen or nearby wears suitable ' +
  'clothing and uses kind, appropriate language. Do not record, screenshot or photograph the ' +
  'lesson, and do not share the link with anyone. Younger pupils: a parent or carer stays ' +
  'nearby throughout. If anything worries you, tell your parent or carer or your teacher; ' +
  "parents can contact the school's safeguarding lead or report to CEOP.";

export interface SettingProblem {
  key: keyof SchoolSettings | string;
  message: string;
}

export type SettingsResult =
  | { ok: true; settings: SchoolSettings }
  | { ok: false; problems: SettingProblem[] };

/** What reading one value gave: the value, or why not (shown after "must be <allowed>"). */
type Read<T> = { ok: true; value: T } | { ok: false; message?: string };

/** One row of the settings table. */
export interface SettingSpec<T> {
  default: T;
  /** The values allowed, in the words the messages and the README use ("yes or no"). */
  allowed: string;
  /** Where the default comes from: a policy (000-004) or a requirement (R1-R28). */
  source: string;
  /** One line for the README: what the setting does. */
  doc: string;
  /** Reads the sheet's text (trimmed, never blank: blank keeps the default). */
  parse(text: string): Read<T>;
  format(value: T): string;
}

type SettingsTable = { [K in keyof SchoolSettings]: SettingSpec<SchoolSettings[K]> };

// ---------------------------------------------------------------------------------------------
// Kinds of setting: each knows how to read and write its values.
// ---------------------------------------------------------------------------------------------

type Described<T> = Pick<SettingSpec<T>, 'default' | 'source' | 'doc'>;

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = <T>(message?: string): Read<T> => ({ ok: false, message });

function wholeNumber(
  min: number,
  max: number,
  unit: string,
  d: Described<number>,
): SettingSpec<number> {
  return {
    ...d,
    allowed: `a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''}`,
    parse: (text) => {
      const n = Number(text);
      return Number.isInteger(n) && n >= min && n <= max ? ok(n) : bad();
    },
    format: String,
  };
}

const YES = ['yes', 'true', 'on', 'y'];
const NO = ['no', 'false', 'off', 'n'];

function yesNo(d: Described<boolean>): SettingSpec<boolean> {
  return {
    ...d,
    allowed: 'yes or no',
    parse: (text) => {
      const v = text.toLowerCase();
      return YES.includes(v) ? ok(true) : NO.includes(v) ? ok(false) : bad();
    },
    format: (v) => (v ? 'yes' : 'no'),
  };
}

/** One of a few words; `allowed` explains them, `normalise` forgives capitals. */
function oneOf<T extends string>(
  values: readonly T[],
  allowed: string,
  d: Described<T>,
  normalise: (text: string) => string = (t) => t.toLowerCase(),
): SettingSpec<T> {
  return {
    ...d,
    allowed,
    parse: (text) => {
      const v = normalise(text);
      return (values as readonly string[]).includes(v) ? ok(v as T) : bad();
    },
    format: (v) => v,
  };
}

function rule(d: Described<RuleMode>): SettingSpec<RuleMode> {
  return oneOf<RuleMode>(
    ['refuse', 'flag'],
    '"refuse" (the lesson is not scheduled) or "flag" (scheduled, and flagged for SLT)',
    d,
  );
}

function clockTime(d: Described<number>): SettingSpec<number> {
  return {
    ...d,
    allowed: 'a time such as 08:30',
    parse: (text) => {
      const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
      return m ? ok(Number(m[1]) * 60 + Number(m[2])) : bad();
    },
    format: clock,
  };
}

const EMAIL = /^[^\s@<>(),;:"']+@[^\s@<>(),;:"']+\.[^\s@<>(),;:"']+$/;

function emailList(d: Described<string[]>): SettingSpec<string[]> {
  return {
    ...d,
    allowed: 'email addresses separated by commas',
    parse: (text) => {
      const list = text
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((e) => e.toLowerCase());
      // An address is at most 254 characters (RFC 5321's path limit, less its brackets): a longer
      // one is a paste gone wrong, and stored it would overflow the settings' script property.
      const wrong = list.filter((e) => e.length > 254 || !EMAIL.test(e));
      return wrong.length === 0
        ? ok(list)
        : bad(`these are not email addresses: ${clip(wrong.join(', '))}`);
    },
    format: (v) => v.join(', '),
  };
}

// ---------------------------------------------------------------------------------------------
// The table. Its order is the order of the Settings sheet and of the README.
// ---------------------------------------------------------------------------------------------

export const SETTINGS: SettingsTable = {
  schoolName: {
    default: 'Our School',
    allowed: 'any name (at most 100 characters)',
    source: '-',
    doc: 'The school’s name, in emails and on the log.',
    parse: (text) => ok(text.slice(0, 100)),
    format: (v) => v,
  },
  staffDomain: {
    default: 'school.example',
    allowed: 'a domain such as school.org.uk',
    source: '000, R5 (setup fills in its own domain)',
    doc: 'Only accounts on this domain may schedule or host lessons, or count as staff.',
    parse: (text) => {
      const domain = text.toLowerCase();
      return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? ok(domain) : bad();
    },
    format: (v) => v,
  },
  verifiedTeachersOnly: yesNo({
    default: false,
    source: 'R5; Classroom’s "verified teachers" (the admin’s teachers group)',
    doc: 'Only teachers verified in Classroom by the school’s Google administrator may schedule or host. Say yes when pupils’ accounts are on the staff domain and Classroom lets pending teachers make classes.',
  }),
  staffClass: {
    default: '',
    allowed: 'the id of a Classroom class (digits), or "none"',
    source: 'R5, R11, R21; the school’s staff room class in Classroom',
    doc: 'A Classroom class whose teachers and students are all the school’s staff (turn its class code off). When set, only its members may schedule or host, or be typed as the second adult; a pupil typed as the second adult is refused, and not counted as staff in the call. Set it when pupils’ accounts are on the staff domain.',
    parse: (text) => {
      if (/^(none|no|-)$/i.test(text)) return ok('');
      return /^\d{1,30}$/.test(text) ? ok(text) : bad();
    },
    format: (v) => v || 'none',
  },
  timeZone: {
    default: 'Europe/London',
    allowed: 'a time zone such as Europe/London',
    source: '-',
    doc: 'The school’s clock: lesson hours, days and every date the product writes.',
    parse: (text) => (isTimeZone(text) ? ok(text) : bad()),
    format: (v) => v,
  },
  lessonStartMinute: clockTime({
    default: 8 * 60 + 30,
    source: '000 "normal lesson times", 002 "normal school hours"',
    doc: 'When normal lesson hours start.',
  }),
  lessonEndMinute: clockTime({
    default: 15 * 60 + 30,
    source: '000, 002',
    doc: 'When normal lesson hours end: a lesson must have finished by then.',
  }),
  lessonHoursRule: rule({
    default: 'flag',
    source: 'R4 "checked and flagged"; 000 and 002 may refuse',
    doc: 'A lesson outside lesson hours is refused, or scheduled and flagged.',
  }),
  lessonDays: {
    default: [1, 2, 3, 4, 5],
    allowed: 'days such as "Mon, Tue, Wed, Thu, Fri"',
    source: '002 "normal school hours"',
    doc: 'The days on which lessons run.',
    parse: (text) => {
      const days = text
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((d) => DAY_NAMES[d.slice(0, 3).toLowerCase()] ?? Number(d));
      return days.length > 0 && days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)
        ? ok([...new Set(days)].sort())
        : bad();
    },
    format: (v) => v.map((d) => DAY_LABELS[d - 1]).join(', '),
  },
  lessonDaysRule: rule({
    default: 'flag',
    source: 'R4',
    doc: 'A lesson on another day is refused, or scheduled and flagged.',
  }),
  maxLessonMinutes: wholeNumber(5, MAX_LESSON_MINUTES_CEILING, 'minutes', {
    default: 30,
    source: '000 "no longer than 30 minutes"',
    doc: 'The longest a lesson may be. Over 120 minutes is always refused.',
  }),
  maxLessonMinutesRule: rule({
    default: 'flag',
    source: 'R4; 000 and 002 may refuse',
    doc: 'A lesson longer than maxLessonMinutes is refused, or scheduled and flagged.',
  }),
  maxLessonsPerClassPerWeek: wholeNumber(0, 50, '(0 means no cap)', {
    default: 0,
    source: '002 "no more than once a week" (a school choice)',
    doc: 'How many lessons one class may have in a week (Monday to Sunday).',
  }),
  maxLessonsPerClassPerWeekRule: rule({
    default: 'flag',
    source: 'R4',
    doc: 'A lesson over the weekly cap is refused, or scheduled and flagged.',
  }),
  secondStaffRule: rule({
    default: 'flag',
    source: 'R11; 000 and 003 "another member of staff", 002 "at least 2 members of school staff"',
    doc: 'A lesson scheduled with no second member of staff named is refused, or scheduled and flagged.',
  }),
  approvalRequired: yesNo({
    default: true,
    source: '000 "with the agreement of the Head Teacher"',
    doc: 'A lesson’s room opens only once an approver agrees; "no" auto-approves (R2).',
  }),
  approvers: emailList({
    default: [],
    source: '000 (the head teacher or a nominee)',
    doc: 'Who may approve lessons; needed when approvalRequired is yes.',
  }),
  withdrawBeforeEndMinutes: wholeNumber(1, 30, 'minutes before the end', {
    default: 5,
    source: '000 "towards the end of the meeting"',
    doc: 'The link is deleted from Classroom this long before the scheduled end.',
  }),
  endGraceMinutes: wholeNumber(0, 30, 'minutes after the end', {
    default: 2,
    source: '000 "the last person to leave"',
    doc: 'The call is ended for everyone, and locked, this long after the scheduled end.',
  }),
  openBeforeStartMinutes: wholeNumber(2, 30, 'minutes before the start', {
    default: 10,
    source: '000 "log on early", 001 "2-5 minutes before"',
    doc: 'The room opens this long before the start, so the teacher is in first.',
  }),
  allowOneToOne: yesNo({
    default: false,
    source: '000, 003 "no 1:1 lessons"; 001 allows them',
    doc: 'Whether 1:1 lessons are allowed; a 1:1 is flagged either way and the DSL told (R12).',
  }),
  oneToOneParentPresent: yesNo({
    default: true,
    source: '001 "the parent stays in the same room"',
    doc: 'For a class of one pupil, the link is shared only once the teacher confirms a parent/carer is present in the room.',
  }),
  accessType: oneOf<AccessType>(
    ['RESTRICTED', 'TRUSTED'],
    'RESTRICTED (everyone knocks) or TRUSTED',
    {
      default: 'RESTRICTED',
      source: '001, 002, 003 "waiting room"',
      doc: 'RESTRICTED: everyone not invited knocks and is admitted by the teacher (R8).',
    },
    (t) => t.toUpperCase(),
  ),
  pupilsJoinAsViewers: yesNo({
    default: false,
    source: '001 "mute cameras and microphones on entry" (a school choice)',
    // doc: https://developers.google.com/meet/api/reference/rest/v2/spaces#defaultjoinasviewertype
    // ("ON: Users will by default join as viewers.")
    doc: 'Pupils join as viewers (Meet’s moderationRestrictions.defaultJoinAsViewerType ON): they cannot unmute or turn on their camera until a host lets them.',
  }),
  recording: oneOf<RecordingMode>(
    ['always', 'when-one-staff', 'never-for-groups'],
    '"always", "when-one-staff" or "never-for-groups"',
    {
      default: 'always',
      source: '000 "will be recorded"; 001 "will not record group or whole class meetings"',
      doc: 'Which lessons Meet records: all; only those with no second adult named (and 1:1s); or none with more than one pupil on the class roster (1:1s are recorded).',
    },
  ),
  recordWhenOneStaff: yesNo({
    default: true,
    source: '000 "must also be recorded where only one staff member is present", R11',
    doc: 'A lesson with only one member of staff must be recorded; cannot be yes with recording never-for-groups.',
  }),
  staffAbsentAlertSeconds: wholeNumber(30, 600, 'seconds', {
    default: 60,
    source: '000 "the last person to leave", 003 "remain on the line", R21',
    doc: 'Pupils in the call with no member of staff for longer than this: the link is withdrawn and staff are told.',
  }),
  staffAbsentEndMinutes: wholeNumber(1, 30, 'minutes', {
    default: 3,
    source: 'R21',
    doc: 'No member of staff back within this long of the last one leaving: the call is ended.',
  }),
  outsiderAction: oneOf<OutsiderAction>(
    ['end', 'alert'],
    '"end" (the call is ended at once) or "alert" (the teacher, DSL and SLT are told)',
    {
      default: 'end',
      source: '000 "the session will be ended immediately", R22',
      doc: 'What happens when someone from outside the school is in the call.',
    },
  ),
  oneToOneAlertMinutes: wholeNumber(1, 60, 'minutes', {
    default: 5,
    source: '000, 003 "no 1:1", R12',
    doc: 'One pupil and one adult alone together in the call this long: the teacher and the DSL are told.',
  }),
  codeOfConduct: {
    default: DEFAULT_CODE_OF_CONDUCT,
    allowed: `plain text of at most ${MAX_CODE_OF_CONDUCT_LENGTH} characters`,
    source: '000, 001, 002, 003 (R24)',
    doc: 'The rules added to the Classroom post with the link: background, clothing, no recording or screenshots, a parent nearby, how to report a worry.',
    parse: (text) => {
      const body = text.replace(/\r\n?/g, '\n');
      if (body.length > MAX_CODE_OF_CONDUCT_LENGTH) return bad(`it has ${body.length} characters`);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
      if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(body))
        return bad('it holds control characters');
      if (/<\/?[a-z][^>]*>/i.test(body)) return bad('it holds HTML tags, which pupils would see');
      return ok(body);
    },
    format: (v) => v,
  },
  sltEmails: emailList({
    default: [],
    source: '000, 002 "a member of SLT should be informed", R3',
    doc: 'Senior leaders: told of every lesson scheduled, of flags and of settings problems.',
  }),
  dslEmails: emailList({
    default: [],
    source: '000, 001, 004 (the DSL / DSP)',
    doc: 'The designated safeguarding lead(s): told of 1:1s, outsiders and incidents at once.',
  }),
  adminEmails: emailList({
    default: [],
    source: 'R28 (empty: SLT are told)',
    doc: 'Who hears when the product’s own plumbing breaks: failed jobs, delegation, a missing log or drive.',
  }),
  retentionDays: wholeNumber(1, MAX_RETENTION_DAYS, 'days', {
    default: 30,
    source: '000 "saved for up to 30 days"',
    doc: 'Recordings are kept this long in the safeguarding drive, then purged (unless held).',
  }),
  purgeMode: oneOf<PurgeMode>(['delete', 'trash'], '"delete" (permanent) or "trash"', {
    default: 'delete',
    source: '004 "deleted promptly"',
    doc: 'How a purged recording goes: deleted for good, or to the shared drive’s trash.',
  }),
};

export const SETTING_KEYS = Object.keys(SETTINGS) as (keyof SchoolSettings)[];

export const DEFAULT_SETTINGS: SchoolSettings = Object.fromEntries(
  SETTING_KEYS.map((key) => [key, copy(SETTINGS[key].default)]),
) as unknown as SchoolSettings;

// ---------------------------------------------------------------------------------------------
// Reading, checking and writing.
// ---------------------------------------------------------------------------------------------

/**
 * Reads settings from the key/value pairs SLT keep in the Settings sheet. Unknown keys
 * are reported (a misspelt key would otherwise silently keep a default); every value is
 * checked; nothing is half-applied: either all settings are valid or none are used.
 */
export function parseSettings(raw: Record<string, string>): SettingsResult {
  const problems: SettingProblem[] = [];
  // Fresh lists, so a caller changing its settings cannot change the defaults.
  const s: Record<string, unknown> = Object.fromEntries(
    SETTING_KEYS.map((key) => [key, copy(SETTINGS[key].default)]),
  );
  const known = new Set<string>(SETTING_KEYS);
  for (const key of Object.keys(raw)) {
    if (!known.has(key))
      problems.push({ key, message: `"${clip(key)}" is not a setting this product knows.` });
  }
  const given = new Set<keyof SchoolSettings>();
  for (const key of SETTING_KEYS) {
    const text = (raw[key] ?? '').trim();
    if (text === '') continue;
    const spec = SETTINGS[key] as SettingSpec<unknown>;
    const read = spec.parse(text);
    if (read.ok) {
      s[key] = read.value;
      given.add(key);
    } else {
      problems.push({
        key,
        message: `${key} must be ${spec.allowed} (${read.message ?? `got "${clip(text)}"`}).`,
      });
    }
  }
  const settings = s as unknown as SchoolSettings;
  const failed = new Set(problems.map((p) => p.key));
  for (const check of CROSS_CHECKS) {
    // A value already refused is not checked against others: one message per mistake.
    if (check.keys.some((k) => failed.has(k))) continue;
    const message = check.test(settings, given);
    if (message) problems.push({ key: check.keys[check.keys.length - 1]!, message });
  }
  if (problems.length === 0) return { ok: true, settings };
  // In the order of the sheet, unknown keys first, so SLT read them top to bottom.
  const place = (key: string) => SETTING_KEYS.indexOf(key as keyof SchoolSettings);
  return { ok: false, problems: problems.sort((a, b) => place(a.key) - place(b.key)) };
}

/** Rules between settings: each names the setting its message belongs beside (the last key). */
const CROSS_CHECKS: {
  keys: (keyof SchoolSettings)[];
  test(s: SchoolSettings, given: ReadonlySet<keyof SchoolSettings>): string | null;
}[] = [
  {
    keys: ['lessonStartMinute', 'lessonEndMinute'],
    test: (s) =>
      s.lessonEndMinute <= s.lessonStartMinute
        ? `lessonEndMinute must be later than lessonStartMinute (${clock(s.lessonStartMinute)}): lesson hours must end after they start.`
        : null,
  },
  {
    keys: ['approvalRequired', 'approvers'],
    test: (s, given) =>
      s.approvalRequired && s.approvers.length === 0 && given.has('approvalRequired')
        ? 'approvers must list at least one email address while approvalRequired is yes: nobody could approve a lesson.'
        : null,
  },
  {
    keys: ['recording', 'recordWhenOneStaff'],
    test: (s) =>
      s.recording === 'never-for-groups' && s.recordWhenOneStaff
        ? 'recordWhenOneStaff must be no while recording is never-for-groups: a group lesson with one member of staff cannot be both recorded and not recorded. Choose one: recordWhenOneStaff no (policy 001), or recording always or when-one-staff.'
        : s.recording === 'when-one-staff' && !s.recordWhenOneStaff
          ? 'recordWhenOneStaff must be yes while recording is when-one-staff: that mode records exactly the lessons with one member of staff.'
          : null,
  },
  {
    keys: ['staffAbsentAlertSeconds', 'staffAbsentEndMinutes'],
    test: (s) =>
      s.staffAbsentEndMinutes * 60 <= s.staffAbsentAlertSeconds
        ? `staffAbsentEndMinutes must be longer than staffAbsentAlertSeconds (${s.staffAbsentAlertSeconds} seconds): the link comes down first, then the call ends.`
        : null,
  },
];

/**
 * SLT, the DSL and approvers: staff in any call and acceptable as a second adult, whatever
 * Classroom says of them (R11). Lower case, as the Settings sheet's lists are parsed.
 */
export function schoolLeads(
  s: Pick<SchoolSettings, 'sltEmails' | 'dslEmails' | 'approvers'>,
): string[] {
  return [...s.sltEmails, ...s.dslEmails, ...s.approvers].map((e) => e.toLowerCase());
}

/** The settings as the key/value text SLT see in the Settings sheet, in the table's order. */
export function formatSettings(s: SchoolSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SETTING_KEYS) out[key] = (SETTINGS[key] as SettingSpec<unknown>).format(s[key]);
  return out;
}

/** The README's settings table (key, default, allowed values, where it comes from, what it does). */
export function settingsTableMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = SETTING_KEYS.map((key) => {
    const spec = SETTINGS[key] as SettingSpec<unknown>;
    const shown = spec.format(spec.default);
    const def =
      shown === '' ? '(empty)' : key === 'codeOfConduct' ? 'rules drawn from the policies' : shown;
    return `| \`${key}\` | ${cell(def)} | ${cell(spec.allowed)} | ${cell(spec.source)} | ${cell(spec.doc)} |`;
  });
  return [
    '| Key | Default | Allowed values | From | What it does |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'The default `codeOfConduct`:',
    '',
    `> ${DEFAULT_CODE_OF_CONDUCT}`,
  ].join('\n');
}

function clock(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A value quoted back in a message stays short (a 20,000-character paste is not repeated). */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function copy<T>(value: T): T {
  return Array.isArray(value) ? ([...value] as T) : value;
}

const DAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DAY_NAMES: Record<string, number> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
