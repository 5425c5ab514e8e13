// The add-on's card actions: read the event object, call a use case, show the next
// card. Every failure becomes a notification in plain words; no stack trace reaches a
// teacher, and each action makes only the calls it needs (30 s limit for card actions).

import { decideLesson, isApprover } from '../app/approvals';
import { scheduleLesson } from '../app/schedule-lesson';
import {
  confirmConsentNow,
  endNow,
  explain,
  openRoomNow,
  setPupilChat,
  shareNow,
  submitTeacherLog,
} from '../app/teacher-actions';
import type { Lesson } from '../core/lesson';
import { lessonView } from '../core/lesson-view';
import { checkLessonRequest } from '../core/schedule-policy';
import { localDate, weekKey } from '../core/time';
import { type CS, respond } from '../ui/card-kit';
import { homepageCard, lessonCard, logCard, scheduleCard } from '../ui/lesson-cards';
import type { Composed } from './composition';

type Event = GoogleAppsScript.Addons.EventObject;

export function param(e: Event | undefined, name: string): string {
  return (
    e?.commonEventObject?.parameters?.[name] ??
    (e as { parameters?: Record<string, string> } | undefined)?.parameters?.[name] ??
    ''
  );
}

export function input(e: Event | undefined, name: string): string {
  const field = e?.commonEventObject?.formInputs?.[name] as
    | { stringInputs?: { value?: string[] } }
    | undefined;
  return field?.stringInputs?.value?.[0] ?? '';
}

export function dateTimeInput(e: Event | undefined, name: string): number {
  const field = e?.commonEventObject?.formInputs?.[name] as
    | { dateTimeInput?: { msSinceEpoch?: number | string } }
    | undefined;
  const ms = Number(field?.dateTimeInput?.msSinceEpoch);
  return Number.isFinite(ms) && ms > 0 ? ms : Number.NaN;
}

export function homepage(app: Composed, cs: CS): GoogleAppsScript.Card_Service.Card {
  const { deps, me } = app;
  const now = deps.clock.now();
  const lessons = deps.store.all();
  const tz = deps.settings.timeZone;
  const mine = lessons.filter((l) => l.teacher === me && l.status !== 'cancelled');
  const today = mine.filter(
    (l) =>
      localDate(l.start, tz) === localDate(now, tz) || l.status === 'open' || l.status === 'ended',
  );
  const week = mine.filter(
    (l) => !today.includes(l) && l.start > now && weekKey(l.start, tz) === weekKey(now, tz),
  );
  const view = (l: Lesson) => lessonView(l, now, deps.settings, me);
  const approvals = isApprover(deps, me)
    ? lessons.filter((l) => l.status === 'scheduled' && l.approval.state === 'pending').map(view)
    : [];
  return homepageCard(cs, {
    today: today.map(view),
    week: week.map(view),
    approvals,
    notice: modeNotice(app),
  });
}

/** Says plainly what teacher-driven mode cannot guarantee. */
function modeNotice(app: Composed): string | null {
  if (!app.config.automationAccount)
    return 'Safe Live Lessons is not set up yet: ask your administrator to run setup.';
  if (!app.config.delegation) {
    return 'Teacher-driven mode: use the buttons here to open, share and end each lesson. The link is removed automatically only when you or the hourly check act, so end each lesson from here.';
  }
  return null;
}

export function showLesson(app: Composed, cs: CS, e: Event) {
  const lesson = app.deps.store.get(param(e, 'lessonId'));
  if (!lesson)
    return respond(
      cs,
      'That lesson could not be found. It may have been cancelled.',
      homepage(app, cs),
    );
  const canDecide =
    isApprover(app.deps, app.me) &&
    lesson.status === 'scheduled' &&
    lesson.approval.state === 'pending';
  if (lesson.teacher !== app.me && !canDecide)
    return respond(cs, 'You can only open your own lessons.');
  const card = lessonCard(cs, lessonView(lesson, app.deps.clock.now(), app.deps.settings, app.me), {
    canDecide,
  });
  return cs.newActionResponseBuilder().setNavigation(cs.newNavigation().pushCard(card)).build();
}

export function calendarEventCard(app: Composed, cs: CS, e: Event) {
  const eventId = (e as { calendar?: { id?: string } }).calendar?.id ?? '';
  const lesson = app.deps.store.all().find((l) => l.calendarEventId === eventId);
  if (lesson)
    return lessonCard(cs, lessonView(lesson, app.deps.clock.now(), app.deps.settings, app.me), {
      canDecide: false,
    });
  return homepage(app, cs);
}

export function showScheduleForm(
  app: Composed,
  cs: CS,
  problems: string[] = [],
  warnings: string[] = [],
) {
  const courses = app.deps.classes.taughtBy(app.me);
  const staff =
    courses.length > 0
      ? app.deps.classes
          .teachers(app.me, courses[0]!.id)
          .filter((t) => t.email && t.email !== app.me)
      : [];
  const card = scheduleCard(cs, {
    courses,
    defaultMinutes: Math.min(30, app.deps.settings.maxLessonMinutes),
    maxMinutes: app.deps.settings.maxLessonMinutes,
    staff: staff.map((t) => ({ email: t.email!, name: t.name })),
    timeZone: app.deps.settings.timeZone,
    nowMs: app.deps.clock.now(),
    problems,
    warnings,
  });
  return cs.newActionResponseBuilder().setNavigation(cs.newNavigation().pushCard(card)).build();
}

export function submitSchedule(app: Composed, cs: CS, e: Event) {
  const start = dateTimeInput(e, 'start');
  const minutes = Number(input(e, 'minutes') || 30);
  const request = {
    courseId: input(e, 'courseId'),
    title: input(e, 'title'),
    start,
    end: start + minutes * 60_000,
    teacher: app.me,
    secondStaff: input(e, 'secondStaff') || null,
  };
  const result = scheduleLesson(app.deps, request);
  if (!result.ok) return respond(cs, result.problems.join(' '));
  const warnings = checkLessonRequest(request, {
    settings: app.deps.settings,
    now: app.deps.clock.now(),
    teachesCourse: true,
    otherLessonStarts: [],
  }).flags;
  const flagged =
    warnings.length > 0 ? ` Flagged for SLT: ${warnings.map((w) => w.detail).join(' ')}` : '';
  return respond(cs, `${result.message}${flagged}`, homepage(app, cs));
}

export function lessonAction(app: Composed, cs: CS, e: Event) {
  const id = param(e, 'lessonId');
  const action = param(e, 'action');
  const d = app.deps;
  const result =
    action === 'open'
      ? openRoomNow(d, app.me, id)
      : action === 'share'
        ? shareNow(d, app.me, id)
        : action === 'end'
          ? endNow(d, app.me, id)
          : action === 'consent'
            ? confirmConsentNow(d, app.me, id)
            : action === 'chat-on'
              ? setPupilChat(d, app.me, id, true)
              : action === 'chat-off'
                ? setPupilChat(d, app.me, id, false)
                : action === 'log'
                  ? null
                  : { ok: false as const, message: 'That action is not available.' };
  const lesson = d.store.get(id);
  if (result === null) {
    if (!lesson) return respond(cs, 'That lesson could not be found.');
    return cs
      .newActionResponseBuilder()
      .setNavigation(cs.newNavigation().pushCard(logForm(app, cs, lesson)))
      .build();
  }
  const card =
    lesson && lesson.teacher === app.me
      ? lessonCard(cs, lessonView(lesson, d.clock.now(), d.settings, app.me), { canDecide: false })
      : undefined;
  return respond(cs, result.message, card);
}

function logForm(app: Composed, cs: CS, lesson: Lesson) {
  const facts: string[] = [];
  if (lesson.status === 'closed') {
    const c = lesson.report.counts;
    facts.push(`${c.pupilsPresent} pupil(s) attended; ${c.pupilsAbsent} on the roster did not.`);
    facts.push(`Second adult: ${lesson.report.secondStaff ?? 'none recorded'}.`);
    if (c.uninvited + c.external > 0)
      facts.push(`${c.uninvited} uninvited and ${c.external} external participant(s).`);
  } else {
    facts.push('The system is still collecting attendance for this lesson.');
  }
  for (const f of lesson.flags) facts.push(`Flag: ${f.detail}`);
  return logCard(cs, lessonView(lesson, app.deps.clock.now(), app.deps.settings, app.me), facts);
}

export function submitLog(app: Composed, cs: CS, e: Event) {
  const result = submitTeacherLog(app.deps, {
    lessonId: param(e, 'lessonId'),
    teacher: app.me,
    technologyIssues: input(e, 'technologyIssues'),
    inappropriateBehaviour: input(e, 'inappropriateBehaviour'),
    shareWithSlt: input(e, 'shareWithSlt'),
    at: app.deps.clock.now(),
  });
  return respond(cs, result.message, result.ok ? homepage(app, cs) : undefined);
}

export function decide(app: Composed, cs: CS, e: Event) {
  const decision = param(e, 'decision') === 'decline' ? 'decline' : 'approve';
  const result = decideLesson(app.deps, app.me, param(e, 'lessonId'), decision, input(e, 'reason'));
  return respond(cs, result.message, result.ok ? homepage(app, cs) : undefined);
}

/** Runs a card action so that any failure is a plain notification. */
export function safely<T>(
  cs: CS,
  app: Composed,
  run: () => T,
): T | GoogleAppsScript.Card_Service.ActionResponse {
  try {
    return run();
  } catch (error) {
    if (error instanceof Error && /Exceeded maximum execution time/.test(error.message))
      throw error;
    app.deps.log.warn(`card action failed: ${error instanceof Error ? error.name : 'error'}`);
    return respond(cs, explain(error));
  }
}
