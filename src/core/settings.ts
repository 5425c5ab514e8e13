// The school's policy values (R2, R4, R10, R12, R17): defaults taken from the policies,
// each validated with a message a member of SLT can act on.

export type AccessType = 'RESTRICTED' | 'TRUSTED';
export type PurgeMode = 'delete' | 'trash';

export interface SchoolSettings {
  schoolName: string;
  /** Only accounts on this domain may schedule or host (R5, policy 000 "school registered accounts"). */
  staffDomain: string;
  timeZone: string;
  /** Normal lesson hours, minutes since local midnight (R4, policy 002). */
  lessonStartMinute: number;
  lessonEndMinute: number;
  /** ISO weekdays on which lessons may run, 1 = Monday. */
  lessonDays: number[];
  /** Group lessons last at most this long (R4, policy 002: "no longer than 30 minutes"). */
  maxLessonMinutes: number;
  /** How often one class may meet per week; 0 means no cap (R4). */
  maxLessonsPerClassPerWeek: number;
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
  /** R8: RESTRICTED makes everyone knock (a waiting room); TRUSTED lets the school's accounts in. */
  accessType: AccessType;
  /** R3, R19: who is told of lessons and flags. */
  sltEmails: string[];
  /** R12, R15: the designated safeguarding lead(s). */
  dslEmails: string[];
  /** R17: recordings are kept up to this many days (policy 000: 30 days). */
  retentionDays: number;
  purgeMode: PurgeMode;
}

export const DEFAULT_SETTINGS: SchoolSettings = {
  schoolName: 'Our School',
  staffDomain: 'school.example',
  timeZone: 'Europe/London',
  lessonStartMinute: 8 * 60 + 30,
  lessonEndMinute: 15 * 60 + 30,
  lessonDays: [1, 2, 3, 4, 5],
  maxLessonMinutes: 30,
  maxLessonsPerClassPerWeek: 0,
  approvalRequired: true,
  approvers: [],
  withdrawBeforeEndMinutes: 5,
  endGraceMinutes: 2,
  openBeforeStartMinutes: 10,
  allowOneToOne: false,
  accessType: 'RESTRICTED',
  sltEmails: [],
  dslEmails: [],
  retentionDays: 30,
  purgeMode: 'delete',
};

/** Longest retention accepted: a year. Longer is almost certainly a typo (3000 for 30). */
export const MAX_RETENTION_DAYS = 366;
/** A lesson longer than this is not a lesson (a whole school day); refused outright. */
export const MAX_LESSON_MINUTES_CEILING = 120;

export interface SettingProblem {
  key: keyof SchoolSettings | string;
  message: string;
}

export type SettingsResult =
  | { ok: true; settings: SchoolSettings }
  | { ok: false; problems: SettingProblem[] };

const EMAIL = /^[^\s@<>(),;:"']+@[^\s@<>(),;:"']+\.[^\s@<>(),;:"']+$/;

/**
 * Reads settings from the key/value pairs SLT keep in the Settings sheet. Unknown keys
 * are reported (a misspelt key would otherwise silently keep a default); every value is
 * checked; nothing is half-applied: either all settings are valid or none are used.
 */
export function parseSettings(raw: Record<string, string>): SettingsResult {
  const problems: SettingProblem[] = [];
  const s: SchoolSettings = { ...DEFAULT_SETTINGS };
  const known = new Set(Object.keys(DEFAULT_SETTINGS));
  for (const key of Object.keys(raw)) {
    if (!known.has(key))
      problems.push({ key, message: `"${key}" is not a setting this product knows.` });
  }
  const text = (key: keyof SchoolSettings) => (raw[key] ?? '').trim();
  const has = (key: keyof SchoolSettings) => text(key) !== '';

  if (has('schoolName')) s.schoolName = text('schoolName').slice(0, 100);
  if (has('staffDomain')) {
    const domain = text('staffDomain').toLowerCase();
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) s.staffDomain = domain;
    else
      problems.push({
        key: 'staffDomain',
        message: `"${domain}" is not a domain such as school.org.uk.`,
      });
  }
  if (has('timeZone')) {
    const zone = text('timeZone');
    if (isTimeZone(zone)) s.timeZone = zone;
    else
      problems.push({
        key: 'timeZone',
        message: `"${zone}" is not a time zone such as Europe/London.`,
      });
  }
  const hours = (key: 'lessonStartMinute' | 'lessonEndMinute') => {
    if (!has(key)) return;
    const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text(key));
    if (m) s[key] = Number(m[1]) * 60 + Number(m[2]);
    else
      problems.push({ key, message: `${key} must be a time such as 08:30 (got "${text(key)}").` });
  };
  hours('lessonStartMinute');
  hours('lessonEndMinute');
  if (s.lessonEndMinute <= s.lessonStartMinute) {
    problems.push({ key: 'lessonEndMinute', message: 'Lesson hours must end after they start.' });
  }
  if (has('lessonDays')) {
    const days = text('lessonDays')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((d) => DAY_NAMES[d.slice(0, 3).toLowerCase()] ?? Number(d));
    if (days.length > 0 && days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
      s.lessonDays = [...new Set(days)].sort();
    } else {
      problems.push({
        key: 'lessonDays',
        message: 'lessonDays must list days such as "Mon, Tue, Wed, Thu, Fri".',
      });
    }
  }
  const int = (key: keyof SchoolSettings, min: number, max: number, why: string) => {
    if (!has(key)) return;
    const n = Number(text(key));
    if (Number.isInteger(n) && n >= min && n <= max)
      (s as unknown as Record<string, number>)[key] = n;
    else
      problems.push({
        key,
        message: `${key} must be a whole number from ${min} to ${max} ${why} (got "${text(key)}").`,
      });
  };
  int('maxLessonMinutes', 5, MAX_LESSON_MINUTES_CEILING, 'minutes');
  int('maxLessonsPerClassPerWeek', 0, 50, '(0 means no cap)');
  int('withdrawBeforeEndMinutes', 1, 30, 'minutes before the end');
  int('endGraceMinutes', 0, 30, 'minutes after the end');
  int('openBeforeStartMinutes', 2, 30, 'minutes before the start');
  int('retentionDays', 1, MAX_RETENTION_DAYS, 'days');
  const bool = (key: 'approvalRequired' | 'allowOneToOne') => {
    if (!has(key)) return;
    const v = text(key).toLowerCase();
    if (['yes', 'true', 'on', 'y'].includes(v)) s[key] = true;
    else if (['no', 'false', 'off', 'n'].includes(v)) s[key] = false;
    else problems.push({ key, message: `${key} must be yes or no (got "${text(key)}").` });
  };
  bool('approvalRequired');
  bool('allowOneToOne');
  if (has('accessType')) {
    const v = text('accessType').toUpperCase();
    if (v === 'RESTRICTED' || v === 'TRUSTED') s.accessType = v;
    else
      problems.push({
        key: 'accessType',
        message: 'accessType must be RESTRICTED (everyone knocks) or TRUSTED.',
      });
  }
  if (has('purgeMode')) {
    const v = text('purgeMode').toLowerCase();
    if (v === 'delete' || v === 'trash') s.purgeMode = v;
    else
      problems.push({
        key: 'purgeMode',
        message: 'purgeMode must be "delete" (permanent) or "trash".',
      });
  }
  const emails = (key: 'approvers' | 'sltEmails' | 'dslEmails') => {
    if (!has(key)) return;
    const list = text(key)
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((e) => e.toLowerCase());
    const bad = list.filter((e) => !EMAIL.test(e));
    if (bad.length > 0)
      problems.push({
        key,
        message: `${key} has addresses that are not email addresses: ${bad.join(', ')}`,
      });
    else s[key] = list;
  };
  emails('approvers');
  emails('sltEmails');
  emails('dslEmails');
  if (s.approvalRequired && s.approvers.length === 0 && has('approvalRequired')) {
    problems.push({
      key: 'approvers',
      message: 'Approval is required but no approvers are listed.',
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings: s };
}

/** The settings as the key/value text SLT see in the Settings sheet. */
export function formatSettings(s: SchoolSettings): Record<string, string> {
  const clock = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return {
    schoolName: s.schoolName,
    staffDomain: s.staffDomain,
    timeZone: s.timeZone,
    lessonStartMinute: clock(s.lessonStartMinute),
    lessonEndMinute: clock(s.lessonEndMinute),
    lessonDays: s.lessonDays.map((d) => DAY_LABELS[d - 1]).join(', '),
    maxLessonMinutes: String(s.maxLessonMinutes),
    maxLessonsPerClassPerWeek: String(s.maxLessonsPerClassPerWeek),
    approvalRequired: s.approvalRequired ? 'yes' : 'no',
    approvers: s.approvers.join(', '),
    withdrawBeforeEndMinutes: String(s.withdrawBeforeEndMinutes),
    endGraceMinutes: String(s.endGraceMinutes),
    openBeforeStartMinutes: String(s.openBeforeStartMinutes),
    allowOneToOne: s.allowOneToOne ? 'yes' : 'no',
    accessType: s.accessType,
    sltEmails: s.sltEmails.join(', '),
    dslEmails: s.dslEmails.join(', '),
    retentionDays: String(s.retentionDays),
    purgeMode: s.purgeMode,
  };
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
