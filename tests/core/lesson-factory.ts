// Builds lessons in each state for the core tests: one Monday-morning lesson in term
// time, changed only where a test says so, so every test shows what matters to it.

import type { HostInCall } from '../../src/core/host-presence';
import { verifyHostInCall } from '../../src/core/host-presence';
import {
  type CancelledLesson,
  type ClosedLesson,
  cancelLesson,
  closeLesson,
  type EndedLesson,
  endLesson,
  noteRoomShown,
  type OpenLesson,
  openRoom,
  type Room,
  type ScheduledLesson,
  shareLink,
} from '../../src/core/lesson';
import type { LessonReport } from '../../src/core/lesson-report';
import type { CallParticipant } from '../../src/core/participants';
import { DEFAULT_SETTINGS, type SchoolSettings } from '../../src/core/settings';
import { MINUTE_MS } from '../../src/core/time';

/** Monday 23 November 2026, 10:00 in London (GMT, so also 10:00Z). */
export const START = Date.UTC(2026, 10, 23, 10, 0);
/** A 30-minute lesson, the policy's default maximum. */
export const END = START + 30 * MINUTE_MS;
export const SCHEDULED_AT = START - 3 * 24 * 60 * MINUTE_MS;

export const min = (n: number) => n * MINUTE_MS;

export const TEACHER = 'ms.teacher@school.example';
export const TEACHER_ID = '1001';
export const SECOND = 'mr.second@school.example';
export const SECOND_ID = '1002';

export const SETTINGS: SchoolSettings = {
  ...DEFAULT_SETTINGS,
  approvers: ['head@school.example'],
  sltEmails: ['slt@school.example'],
  dslEmails: ['dsl@school.example'],
};

export const ROOM: Room = {
  space: 'spaces/abc123',
  meetingUri: 'https://meet.google.com/abc-defg-hij',
  meetingCode: 'abc-defg-hij',
};

export function scheduledLesson(overrides: Partial<ScheduledLesson> = {}): ScheduledLesson {
  return {
    id: 'L-20261123-abc234',
    courseId: 'course-7b',
    courseName: '7B Science',
    teacher: TEACHER,
    teacherUserId: TEACHER_ID,
    secondStaff: SECOND,
    secondStaffUserId: SECOND_ID,
    coTeachers: [],
    title: 'Forces and motion',
    start: START,
    end: END,
    calendarEventId: 'event-1',
    scheduledAt: SCHEDULED_AT,
    approval: { state: 'approved', by: 'head@school.example', at: SCHEDULED_AT + min(60) },
    flags: [],
    consentConfirmedAt: null,
    version: 1,
    loggedVersion: 1,
    linkLiveAlertedAt: null,
    teacherLogAt: null,
    lease: null,
    status: 'scheduled',
    ...overrides,
  };
}

export function person(overrides: Partial<CallParticipant> = {}): CallParticipant {
  return {
    kind: 'signed-in',
    userId: TEACHER_ID,
    displayName: 'Ms Teacher',
    firstJoined: START - min(8),
    lastLeft: null,
    minutesInCall: 0,
    ...overrides,
  };
}

/** Proof made the only way the product makes it: from the teacher seen in the call. */
export function hostProof(at = START - min(5)): HostInCall {
  const proof = verifyHostInCall([person()], TEACHER_ID, at);
  if (!proof) throw new Error('the factory teacher should always be in the call');
  return proof;
}

/** A room just opened: the link is not yet on the Calendar event. */
export function justOpenedLesson(overrides: Partial<ScheduledLesson> = {}): OpenLesson {
  return openRoom(scheduledLesson(overrides), ROOM, START - min(10));
}

/** An open room whose link is on the Calendar event already. */
export function openLesson(overrides: Partial<ScheduledLesson> = {}): OpenLesson {
  return noteRoomShown(justOpenedLesson(overrides), START - min(10));
}

export function sharedLesson(overrides: Partial<ScheduledLesson> = {}): OpenLesson {
  return shareLink(openLesson(overrides), hostProof(), 'post-1', START - min(5));
}

export function endedLesson(overrides: Partial<ScheduledLesson> = {}): EndedLesson {
  return endLesson(openLesson(overrides), END + min(2));
}

export function cancelledLesson(overrides: Partial<ScheduledLesson> = {}): CancelledLesson {
  return cancelLesson(scheduledLesson(overrides), START - min(60));
}

export function emptyReport(overrides: Partial<LessonReport> = {}): LessonReport {
  return {
    hostJoinedAt: START - min(8),
    actualStart: START - min(8),
    actualEnd: END,
    durationMinutes: 38,
    attendance: [],
    counts: { pupilsPresent: 0, pupilsAbsent: 0, staff: 2, uninvited: 0, external: 0 },
    secondStaff: 'Mr Second',
    flags: [],
    ...overrides,
  };
}

export function closedLesson(
  overrides: Partial<ScheduledLesson> = {},
  report: LessonReport = emptyReport(),
): ClosedLesson {
  return closeLesson(endedLesson(overrides), report, END + min(5));
}
