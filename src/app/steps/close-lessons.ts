// R11-R14, R18, R21-R23: once a call has ended, its attendance is worked out from everyone Meet
// saw in any of the room's calls against the roster, with the second adult, 1:1s, outsiders
// (one who left before any look is still in Meet's record), callers, accounts the directory
// could not check (never holding the close up), removed pupils who came back, consent and what
// the watch saw in the call (gaps with no staff, an early end), and the lesson is closed for
// the log. Every lesson due is closed together: one
// round lists the rooms' calls, one more lists who was in them. A lesson whose room never
// opened is closed with the reason, with no Google call at all.

import { isFailure } from '../../core/errors';
import { flag } from '../../core/flags';
import {
  type ClosedLesson,
  classroomRefusedTeacher,
  closeLesson,
  type EndedLesson,
  type GoogleFailure,
  isApproved,
  type Lesson,
  markLogged,
  type ScheduledLesson,
} from '../../core/lesson';
import { buildLessonReport, type LessonReport } from '../../core/lesson-report';
import { tagOfKey } from '../../core/participants';
import type { Notice } from '../../core/ports';
import type { RoomCall } from '../../core/recording';
import { localTime } from '../../core/time';
import { resolvePeople } from '../call-people';
import type { Deps } from '../deps';
import { type Change, outcome, type StepOutcome } from '../lesson-commits';

/** Attendance may wait in the store for the log only while the store is less full than this. */
const ATTENDANCE_MAY_WAIT_UNDER = 0.6;

export function closeLessons(deps: Deps, lessons: readonly Lesson[]): StepOutcome {
  const now = deps.clock.now();
  const changes: Change[] = [];
  const notices: Notice[] = [];
  let failed = 0;

  for (const lesson of lessons) {
    if (lesson.status !== 'scheduled') continue;
    const why = !isApproved(lesson)
      ? flag(
          'not-approved',
          lesson.approval.state === 'declined'
            ? `The lesson was declined by ${lesson.approval.by}, so its room did not open.`
            : 'The lesson was never approved, so its room did not open.',
        )
      : lesson.googleFailure
        ? googleFailed(lesson.googleFailure, deps.settings.timeZone)
        : flag('room-not-opened', 'The room was never opened: the lesson did not take place.');
    const report = { ...emptyReport(deps, lesson, now), flags: [why] };
    changes.push({ id: lesson.id, apply: (fresh) => closes(fresh, report, now) });
  }

  const ended = lessons.filter((l): l is EndedLesson => l.status === 'ended');
  const histories = deps.rooms.history(ended.map((l) => ({ host: l.teacher, room: l.room })));
  const seen = ended.flatMap((lesson) => {
    const history = histories.get(lesson.room.space);
    if (!history || history instanceof Error) {
      failed += 1;
      return [];
    }
    return [{ lesson, history }];
  });
  const people = resolvePeople(
    deps,
    seen.map((s) => ({ lesson: s.lesson, participants: s.history.participants })),
  );
  const closed: {
    lesson: EndedLesson;
    report: LessonReport;
    conferences: RoomCall[];
    record: ClosedLesson;
  }[] = [];
  for (const { lesson, history } of seen) {
    const who = people.get(lesson.id);
    // The roster is what absences are counted against: without it the close waits a run,
    // unless Classroom refuses it for good (the teacher no longer teaches the class): then the
    // lesson closes without absences, and the log says why.
    if (!who || (who.rosterList === null && !who.rosterRefused)) {
      failed += 1;
      continue;
    }
    const built = buildLessonReport({
      teacherUserId: lesson.teacherUserId,
      teacherName: lesson.teacher,
      participants: history.participants,
      roster: who.rosterList ?? [],
      staff: who.staff,
      externalUserIds: who.external,
      unverifiedUserIds: who.unverified,
      markedUserIds: new Set(who.marked.keys()),
      secondStaffUserId: lesson.secondStaffUserId ?? who.secondStaffUserId ?? null,
      allowOneToOne: deps.settings.allowOneToOne,
      now,
      ...(lesson.inCall ? { inCall: { state: lesson.inCall, settings: deps.settings } } : {}),
    });
    // R28: a late withdrawal or an end that failed because of Google says so in the log.
    const report = withoutRoster(
      withGoogleCause(built, lesson, deps.settings.timeZone),
      who.rosterList === null,
    );
    const record = { ...closeLesson(lesson, report, now), conferences: history.conferences };
    closed.push({ lesson, report, conferences: history.conferences, record });
  }
  // Attendance goes straight to the log, not into the lesson store (25 pupils' detail for
  // every lesson closing at 10:32 would fill it). A lesson whose attendance could not be
  // written stays "ended" and is closed again, from Meet's record, on the next run.
  const logged = logAttendance(
    deps,
    closed.map((c) => c.record),
  );
  // The log did not take them: the attendance waits in the store for the log (no more Meet
  // reads each minute) while the store has room; past that, the lesson stays "ended" and is
  // closed again from Meet's record later (nothing is lost: Meet keeps it 30 days).
  const usage = deps.store.usage?.();
  const roomToWait = !usage || usage.bytes < usage.limit * ATTENDANCE_MAY_WAIT_UNDER;
  for (const { lesson, report, conferences, record } of closed) {
    const reachedLog = !logged || logged.has(lesson.id);
    if (!reachedLog && !roomToWait) {
      failed += 1;
      continue;
    }
    changes.push({
      id: lesson.id,
      apply: (fresh) => {
        const next = closes(fresh, report, now, conferences);
        return logged && reachedLog && next !== fresh ? markLogged(next, record.version) : next;
      },
    });
    notices.push(...unseenOutsiders(deps, lesson, report), ...seriousNotice(deps, lesson, report));
    deps.log.info(
      `closed ${lesson.id}: ${report.counts.pupilsPresent} present, ${report.flags.length} flags`,
    );
  }
  return outcome({ changes, notices, done: changes.length, failed });
}

/**
 * Writes the closed lessons' rows and attendance to the log in one go; returns the ids that
 * reached it, or null where this execution has no log (a teacher's sweep: the detail then
 * waits in the store for the automation).
 */
function logAttendance(deps: Deps, closed: readonly ClosedLesson[]): Set<string> | null {
  if (!deps.safeguardingLog) return null;
  const done = new Set<string>();
  if (closed.length === 0) return done;
  try {
    deps.safeguardingLog.record(closed, (ids) => {
      for (const id of ids) done.add(id);
    });
  } catch (error) {
    // A full store refusing where the rows go (LogPlaces saves before Sheets is written) is
    // Apps Script's own Exception, not a ServiceFailure: the lessons stay ended and are closed
    // again next run, and the admin hears the store is full (R28). A bug is never swallowed.
    if (!isFailure(error) && !isStoreRefusal(error)) throw error;
    deps.log.warn(
      `attendance not written this run: ${isFailure(error) ? error.kind : 'store full'}`,
    );
  }
  return done;
}

/** Apps Script's words when script properties are full (quotas page: 500 KB a store). */
function isStoreRefusal(error: unknown): boolean {
  // Not `instanceof Error`: Apps Script's exceptions need not share this script's Error.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /property storage quota/i.test(message);
}

function closes(
  fresh: Lesson,
  report: LessonReport,
  now: number,
  conferences?: RoomCall[],
): Lesson {
  if (fresh.status !== 'ended' && fresh.status !== 'scheduled') return fresh;
  const closed = closeLesson(fresh as EndedLesson | ScheduledLesson, report, now);
  return conferences ? { ...closed, conferences } : closed;
}

/** What Google did, in the log's words. */
function causeOf(f: GoogleFailure, timeZone: string): string {
  const cause =
    f.kind === 'cannot-act-as'
      ? 'Google refused to let the automation act as the teacher (domain-wide delegation)'
      : `${f.service === 'meet' ? 'Google Meet' : f.service === 'classroom' ? 'Google Classroom' : `Google (${f.service})`} failed (${f.detail})`;
  return `${cause} (${whenOf(f, timeZone)})`;
}

function whenOf(f: GoogleFailure, timeZone: string): string {
  return f.since === f.at
    ? `at ${localTime(f.at, timeZone)}`
    : `first at ${localTime(f.since, timeZone)}, last noted at ${localTime(f.at, timeZone)}`;
}

/**
 * R28: the room could not be made because Google failed (Meet down, or delegation refused): the
 * log says so, and does not say the teacher did not hold the lesson.
 */
function googleFailed(f: GoogleFailure, timeZone: string) {
  return flag(
    'google-failed',
    `The room could not be made: ${causeOf(f, timeZone)}. The lesson did not take place because of Google, not the teacher.`,
  );
}

/** A link withdrawn late or a call not ended because Google refused: the cause joins the flags. */
function withGoogleCause(report: LessonReport, lesson: Lesson, timeZone: string): LessonReport {
  const f = lesson.googleFailure;
  const late = [...lesson.flags, ...report.flags].some(
    (x) => x.code === 'call-not-ended' || x.code === 'link-withdraw-late',
  );
  if (!f || !late) return report;
  if (classroomRefusedTeacher(lesson))
    return withClassroomRefusal(
      report,
      `The link could not be taken down on time: Classroom refused (HTTP 403) to let the automation delete the post as the teacher (${whenOf(f, timeZone)}), and no other teacher of the class could delete it. The teacher is no longer a teacher of the class in Classroom, or Google would not let the automation act as them there. SLT and the admin were told who can delete it.`,
    );
  return withGoogleFlag(
    report,
    `The automation could not take the link down or end the call on time: ${causeOf(f, timeZone)}.`,
  );
}

/** R28: a lesson closed without its class list says so, so no absence is read as attendance. */
function withoutRoster(report: LessonReport, refused: boolean): LessonReport {
  if (!refused) return report;
  return withClassroomRefusal(
    report,
    'Classroom refused the class list (HTTP 403: the teacher may no longer teach this class), so nobody in the call was checked against it and absences were not counted.',
  );
}

/** R28: Classroom refused the teacher (403), said as that, one flag however many things it stopped. */
function withClassroomRefusal(report: LessonReport, detail: string): LessonReport {
  const had = report.flags.find((f) => f.code === 'teacher-not-on-class');
  const rest = report.flags.filter((f) => f !== had);
  return {
    ...report,
    flags: [...rest, flag('teacher-not-on-class', had ? `${had.detail} ${detail}` : detail)],
  };
}

/** The report with a google-failed flag saying what Google's refusal left undone. */
function withGoogleFlag(report: LessonReport, detail: string): LessonReport {
  return { ...report, flags: [...report.flags, flag('google-failed', detail)] };
}

function emptyReport(deps: Deps, lesson: Lesson, now: number): LessonReport {
  return buildLessonReport({
    teacherUserId: lesson.teacherUserId,
    teacherName: lesson.teacher,
    participants: [],
    roster: [],
    staff: new Map(),
    externalUserIds: new Set(),
    allowOneToOne: deps.settings.allowOneToOne,
    now,
  });
}

/**
 * R22: someone from outside the school whom no look saw while the lesson ran (admitted in the
 * minute before the call was ended on time, or gone before the next look) was never reported:
 * the teacher, the DSL and SLT hear of them by name at the close, as a look would have told them.
 */
function unseenOutsiders(deps: Deps, lesson: Lesson, report: LessonReport): Notice[] {
  const reported = lesson.status === 'ended' ? (lesson.reported ?? []) : [];
  const unseen = report.attendance.filter(
    (a) =>
      (a.role === 'external' || a.role === 'anonymous') &&
      a.firstJoined !== null &&
      !reported.includes(tagOfKey(a.key)),
  );
  if (lesson.status !== 'ended' || unseen.length === 0) return [];
  const t = (ms: number | null) => (ms === null ? '?' : localTime(ms, deps.settings.timeZone));
  const who = unseen
    .map(
      (a) =>
        `"${a.name}" (${a.role === 'anonymous' ? 'not signed in' : 'an account outside the school'}, in the call ${t(a.firstJoined)}–${t(a.lastLeft)})`,
    )
    .join('; ');
  const what = `Someone from OUTSIDE the school (or not signed in) was in the call of ${lesson.title}, and no check of the call while it ran saw them: ${who}. The call has ended.`;
  return [
    {
      to: [lesson.teacher],
      subject: `Lesson ended: an outsider joined ${lesson.title}`,
      urgency: 'now',
      body: `${what} Please report it (Report an incident on the lesson card).`,
    },
    {
      to: [...deps.settings.dslEmails, ...deps.settings.sltEmails],
      subject: `Serious: an outside participant joined lesson ${lesson.id}`,
      urgency: 'now',
      body: `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}): ${what} Details are in the log.`,
    },
  ];
}

function seriousNotice(deps: Deps, lesson: Lesson, report: LessonReport): Notice[] {
  const serious = report.flags.filter((f) => f.severity === 'serious');
  if (serious.length === 0) return [];
  const dslToo: readonly string[] = [
    'one-to-one',
    'external-participant',
    'staff-absent',
    'one-to-one-in-call',
    'removed-pupil-joined',
  ];
  const to = report.flags.some((f) => dslToo.includes(f.code))
    ? [...deps.settings.dslEmails, ...deps.settings.sltEmails]
    : deps.settings.sltEmails;
  return [
    {
      to,
      subject: `Lesson ${lesson.id} needs attention`,
      body: `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}) closed with:\n${serious.map((f) => `- ${f.detail}`).join('\n')}\nThe log has the details.`,
    },
  ];
}
