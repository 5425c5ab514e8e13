// What the health tests share: a Monday 09:00 in London, the school's health context, and a
// minute-monitor run that saw nothing unless told otherwise.

import type { RunObservation } from '../../src/core/health';
import type { LessonAtRisk } from '../../src/core/health-notices';
import type { HealthContext } from '../../src/core/health-problems';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2026, 10, 23, 9, 0); // Monday 09:00, London (GMT)
export const TZ = 'Europe/London';
/** Google's answer when the account asked for is gone (one teacher's, not the school's). */
export const GONE = 'HTTP 400: invalid_grant: Invalid email or User ID';

export const ctx: HealthContext = {
  timeZone: TZ,
  automationAccount: 'automation@school.example',
  serviceAccount: 'sll@project.iam.gserviceaccount.com',
  reinstalled: [],
  installedButLate: [],
};

/** A monitor run at `at`, two seconds long, that saw nothing but what `over` says. */
export function monitorRun(at: number, over: Partial<RunObservation> = {}): RunObservation {
  return {
    job: 'monitor',
    startedAt: at,
    endedAt: at + 2_000,
    error: null,
    urlFetch: 0,
    services: {},
    delegation: { workedAt: null, refusedAt: null, detail: null },
    ...over,
  };
}

/** A 10:00–10:30 lesson, scheduled and nothing up yet, as the alerts list lessons at risk. */
export function lessonAtRisk(
  over: Partial<LessonAtRisk> & Pick<LessonAtRisk, 'teacher'>,
): LessonAtRisk {
  return {
    title: 'Phonics',
    courseName: 'Year 2',
    start: T0 + HOUR,
    end: T0 + HOUR + 30 * MIN,
    status: 'scheduled',
    linkLive: false,
    callRunning: false,
    endCallAt: T0 + HOUR + 32 * MIN,
    ...over,
  };
}
