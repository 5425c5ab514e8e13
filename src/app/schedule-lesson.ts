// R1-R5, R25: a teacher schedules a lesson for a class they teach, under the school's rules
// (each refuses or flags, as the settings say). The lesson is stored first (so it is in the
// log from the moment it exists, R3), then its Calendar event is made with staff guests
// only and no Meet link (R5).

import { isFailure } from '../core/errors';
import { flag } from '../core/flags';
import { lessonId } from '../core/ids';
import { coTeacherOf, type ScheduledLesson } from '../core/lesson';
import { pupilOnRoster } from '../core/participants';
import type { Course } from '../core/ports';
import {
  checkLessonRequest,
  isOnDomain,
  type LessonRequest,
  type ScheduleCheck,
  type ScheduleContext,
} from '../core/schedule-policy';
import { schoolLeads } from '../core/settings';
import type { Deps } from './deps';
import { type StaffClass, staffClass } from './staff-class';

export type ScheduleResult =
  | { ok: true; lesson: ScheduledLesson; message: string }
  | { ok: false; problems: string[] };

/**
 * What the policy says about a lesson before it is made: the same check scheduling runs, so
 * the form can show the teacher the flags before they submit (refusals stop it; flags go to SLT).
 */
export function previewLesson(
  deps: Deps,
  req: LessonRequest,
): ScheduleCheck & { course: Course | undefined; staffListed: ReadonlySet<string> | null } {
  const courses = deps.classes.taughtBy(req.teacher);
  const course = courses.find((c) => c.id === req.courseId);
  const listed = deps.settings.staffClass ? staffClass(deps, req.teacher) : null;
  const live = deps.store
    .all()
    .filter((l) => l.status !== 'cancelled' && l.approval.state !== 'declined');
  const check = checkLessonRequest(req, {
    settings: deps.settings,
    now: deps.clock.now(),
    teachesCourse: Boolean(course),
    // R5: asked only where the school says pupils could otherwise make a class of their own.
    ...(deps.settings.verifiedTeachersOnly
      ? { verifiedTeacher: deps.classes.isVerifiedTeacher(req.teacher) }
      : {}),
    ...(listed ? { staffClass: staffClassCheck(deps, req, course, listed) } : {}),
    otherLessonStarts: live.filter((l) => l.courseId === req.courseId).map((l) => l.start),
    teacherLessons: live.filter((l) => l.teacher === req.teacher.toLowerCase()),
  });
  return { ...check, course, staffListed: listed?.kind === 'read' ? listed.emails : null };
}

/**
 * R5, R11, R21: the teacher and a typed second adult against the school's staff class (read as
 * the teacher, a member of it). The class's own co-teachers and the school's leads count as staff
 * without it, as they do in the call. A Classroom failure (429, 5xx) is thrown: nothing is made
 * and the teacher is asked to try again.
 */
function staffClassCheck(
  deps: Deps,
  req: LessonRequest,
  course: Course | undefined,
  listed: StaffClass,
): NonNullable<ScheduleContext['staffClass']> {
  if (listed.kind === 'missing') return { missing: true };
  if (listed.kind !== 'read') return { teacherListed: false, secondListed: null };
  const second = req.secondStaff?.toLowerCase() ?? null;
  // Checked elsewhere (none typed, the teacher themself, another domain), or staff without it.
  const notAsked =
    second === null ||
    second === req.teacher.toLowerCase() ||
    !isOnDomain(second, deps.settings.staffDomain) ||
    schoolLeads(deps.settings).includes(second);
  const coTeacher = (email: string) =>
    course !== undefined &&
    deps.classes.teachers(req.teacher, course.id).some((t) => t.email?.toLowerCase() === email);
  return {
    teacherListed: listed.emails.has(req.teacher.toLowerCase()),
    secondListed: notAsked ? null : listed.emails.has(second) || coTeacher(second),
  };
}

export function scheduleLesson(deps: Deps, req: LessonRequest): ScheduleResult {
  const { settings, clock } = deps;
  const now = clock.now();
  const check = previewLesson(deps, req);
  const course = check.course;
  if (check.refusals.length > 0) return { ok: false, problems: check.refusals };

  const teachers = deps.classes.teachers(req.teacher, req.courseId);
  const me = teachers.find((t) => t.email?.toLowerCase() === req.teacher.toLowerCase());
  if (!me)
    return { ok: false, problems: ['Classroom does not list you as a teacher of this class.'] };
  // A class of one pupil is a 1:1: recorded (R12) and, if the school says so, shared only
  // once a parent/carer is confirmed in the room (R25). Counted now, from the roster.
  const pupils = deps.classes.pupils(req.teacher, req.courseId);
  const pupilsOnRoster = pupils.length;
  // R11, R21: the second adult is a member of staff; a pupil of the class named (typed) by
  // mistake would count as staff in the call and hide pupils left alone.
  const named = req.secondStaff?.toLowerCase();
  if (named && pupilOnRoster(pupils, named))
    return {
      ok: false,
      problems: [
        `${named} is a pupil in this class, not a member of staff: name a colleague as the second adult.`,
      ],
    };
  const second = req.secondStaff
    ? teachers.find((t) => t.email?.toLowerCase() === req.secondStaff!.toLowerCase())
    : undefined;
  // The same for a pupil of another of the teacher's own classes (one Classroom call, only for
  // a typed address that is not a teacher of this class). A pupil of a class the teacher does
  // not teach cannot be told apart here: Classroom shows a teacher only their own classes (the
  // school's staff class, where it names one, does: see staffClassCheck). Someone that staff
  // class lists is staff, though they sit as a student in a class this teacher teaches (the
  // staff class itself, or a training class).
  if (
    named &&
    !second &&
    !schoolLeads(deps.settings).includes(named) &&
    !check.staffListed?.has(named)
  ) {
    const theirs = deps.classes.classesWithPupil(req.teacher, named);
    if (theirs.length > 0)
      return {
        ok: false,
        problems: [
          `${named} is a pupil in your class ${theirs[0]!.name}, not a member of staff: name a colleague as the second adult.`,
        ],
      };
  }

  const id = lessonId(req.start, settings.timeZone, deps.random);
  const lesson: ScheduledLesson = {
    status: 'scheduled',
    id,
    courseId: req.courseId,
    courseName: course!.name,
    teacher: req.teacher.toLowerCase(),
    teacherUserId: me.userId,
    secondStaff: req.secondStaff?.toLowerCase() ?? null,
    secondStaffUserId: second?.userId ?? null,
    // R11: the course's other teachers are staff in the call, recognised without a look-up;
    // R21: their addresses make them members of the room (the second adult's is kept already).
    coTeachers: teachers
      .filter((t) => t.userId !== me.userId)
      .map((t) => coTeacherOf(t, req.secondStaff)),
    title: req.title.trim(),
    start: req.start,
    end: req.end,
    calendarEventId: null,
    scheduledAt: now,
    approval: settings.approvalRequired ? { state: 'pending' } : { state: 'auto' },
    flags: settings.approvalRequired
      ? [...check.flags, flag('not-approved', 'Awaiting approval.')]
      : check.flags,
    consentConfirmedAt: null,
    pupilsOnRoster,
    parentPresentAt: null,
    version: 1,
    loggedVersion: 0,
    linkLiveAlertedAt: null,
    teacherLogAt: null,
    lease: null,
  };
  let stored: ReturnType<typeof deps.mutex.run<void>>;
  try {
    stored = deps.mutex.run(() => deps.store.put(lesson), 10_000);
  } catch (error) {
    // The store refused a new lesson (it is full): its own message says what to do.
    if (isFailure(error) && error.service === 'store')
      return { ok: false, problems: [error.message] };
    throw error;
  }
  if (!stored.ok)
    return { ok: false, problems: ['The system is busy right now. Please try again in a moment.'] };

  let eventId: string;
  try {
    eventId = deps.calendar.create(lesson.teacher, {
      lessonId: id,
      courseId: lesson.courseId,
      title: `Live lesson: ${lesson.title}`,
      description:
        'Safe Live Lessons: the Meet link is posted to Google Classroom once you are in the call, and removed before the end. Do not share it any other way.',
      start: lesson.start,
      end: lesson.end,
      staffGuests: lesson.secondStaff ? [lesson.secondStaff] : [],
    });
  } catch (error) {
    deps.mutex.run(() => deps.store.remove(id), 10_000);
    const why = isFailure(error, 'transient')
      ? 'Google Calendar did not answer'
      : 'Google Calendar refused the event';
    return { ok: false, problems: [`${why}; nothing was scheduled. Please try again.`] };
  }
  const withEvent: ScheduledLesson = {
    ...lesson,
    calendarEventId: eventId,
    version: lesson.version + 1,
  };
  deps.mutex.run(() => deps.store.put(withEvent), 10_000);
  deps.log.info(`scheduled ${id} for course ${lesson.courseId} (${check.flags.length} flags)`);
  // R2: agreement is someone else's; a teacher who is the only approver is told nobody can give it.
  const nobodyElse = settings.approvers.every((a) => a.toLowerCase() === lesson.teacher);
  const approvalNote = !settings.approvalRequired
    ? ''
    : nobodyElse
      ? ' It needs approval before its room can open, and nobody but you is named as an approver in the school settings: ask SLT to add another approver, or the room will not open.'
      : ' It needs approval before its room can open.';
  return { ok: true, lesson: withEvent, message: `Lesson scheduled.${approvalNote}` };
}

/** A co-teacher as the lesson keeps them: their address only when it is not the second adult's. */
