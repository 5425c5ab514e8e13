// Policy flags: what SLT and the DSL must look at, in the policies' own words.

export type FlagCode =
  | 'outside-lesson-hours'
  | 'too-long'
  | 'class-meets-too-often'
  | 'not-approved'
  | 'declined'
  | 'host-never-joined'
  | 'no-second-staff'
  | 'one-to-one'
  | 'uninvited-participant'
  | 'external-participant'
  | 'no-consent'
  | 'link-withdraw-late'
  | 'not-recorded'
  | 'room-not-opened'
  | 'parent-present'
  | 'incident';

export type Severity = 'info' | 'warning' | 'serious';

export interface Flag {
  code: FlagCode;
  severity: Severity;
  /** Plain words for the log; never holds a pupil's name (R20: logs hold no personal pupil data). */
  detail: string;
}

export const FLAG_SEVERITY: Record<FlagCode, Severity> = {
  'outside-lesson-hours': 'warning',
  'too-long': 'warning',
  'class-meets-too-often': 'warning',
  'not-approved': 'warning',
  declined: 'info',
  'host-never-joined': 'warning',
  'no-second-staff': 'serious',
  'one-to-one': 'serious',
  'uninvited-participant': 'warning',
  'external-participant': 'serious',
  'no-consent': 'warning',
  'link-withdraw-late': 'serious',
  'not-recorded': 'serious',
  'room-not-opened': 'warning',
  /** Not a problem: the log's record that a 1:1 had a parent/carer in the room (R25, policy 001). */
  'parent-present': 'info',
  incident: 'serious',
};

export function flag(code: FlagCode, detail: string): Flag {
  return { code, severity: FLAG_SEVERITY[code], detail };
}

/** Adds flags, keeping one of each code (the newest detail wins). */
export function mergeFlags(existing: readonly Flag[], added: readonly Flag[]): Flag[] {
  const byCode = new Map<FlagCode, Flag>();
  for (const f of [...existing, ...added]) byCode.set(f.code, f);
  return [...byCode.values()];
}

export function isSerious(flags: readonly Flag[]): boolean {
  return flags.some((f) => f.severity === 'serious');
}
