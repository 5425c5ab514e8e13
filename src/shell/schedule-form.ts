// The schedule form's card actions: show the form (empty, or from a Calendar event), "Check
// with the policy" (what would be refused or flagged, nothing made), and "Schedule". A form with
// problems comes back with the teacher's values and what to fix; nothing is made.

import { previewLesson, scheduleLesson } from '../app/schedule-lesson';
import type { LessonRequest } from '../core/schedule-policy';
import { type CS, push, respond, showFresh } from '../ui/card-kit';
import { type ScheduleFormValues, scheduleCard } from '../ui/schedule-card';
import { dateTimeInput, input, param } from './card-event';
import type { Composed } from './composition';
import { homepage } from './sidebar';

type Event = GoogleAppsScript.Addons.EventObject;

/** What the schedule form holds (or, from a Calendar event, the action's parameters). */
function formValues(e: Event | undefined): ScheduleFormValues {
  const start = dateTimeInput(e, 'start');
  const fromParam = Number(param(e, 'start'));
  const minutes = Number(input(e, 'minutes') || param(e, 'minutes'));
  return {
    courseId: input(e, 'courseId') || undefined,
    title: input(e, 'title') || param(e, 'title') || undefined,
    start: Number.isFinite(start) ? start : fromParam > 0 ? fromParam : undefined,
    minutes: Number.isFinite(minutes) && minutes > 0 ? minutes : undefined,
    secondStaff: input(e, 'secondStaff') || undefined,
    otherStaff: input(e, 'otherStaff').trim() || undefined,
  };
}

function scheduleForm(
  app: Composed,
  cs: CS,
  values: ScheduleFormValues,
  check: { problems: string[]; warnings: string[]; checked: boolean },
  fromEvent?: string,
) {
  const courses = app.deps.classes.taughtBy(app.me);
  const courseId = courses.some((c) => c.id === values.courseId)
    ? values.courseId!
    : courses[0]?.id;
  const staff = courseId
    ? app.deps.classes.teachers(app.me, courseId).filter((t) => t.email && t.email !== app.me)
    : [];
  const settings = app.deps.settings;
  return scheduleCard(cs, {
    courses,
    defaultMinutes: Math.min(30, settings.maxLessonMinutes),
    maxMinutes: settings.maxLessonMinutes,
    staff: staff.map((t) => ({ email: t.email!, name: t.name })),
    timeZone: settings.timeZone,
    nowMs: app.deps.clock.now(),
    problems: check.problems,
    warnings: check.warnings,
    checked: check.checked,
    values: { ...values, courseId },
    fromEvent,
  });
}

export function showScheduleForm(app: Composed, cs: CS, e?: Event) {
  const values = formValues(e);
  const card = scheduleForm(
    app,
    cs,
    values,
    { problems: [], warnings: [], checked: false },
    param(e, 'start') ? values.title || '(no title)' : undefined,
  );
  return push(cs, card);
}

/** The request the form describes; a typed colleague's address is checked in the directory. */
function requestOf(
  app: Composed,
  values: ScheduleFormValues,
): {
  request: LessonRequest;
  problems: string[];
} {
  const start = values.start ?? Number.NaN;
  const minutes = values.minutes ?? 30;
  const problems: string[] = [];
  let second = values.secondStaff ?? null;
  if (values.otherStaff) {
    const typed = values.otherStaff.toLowerCase();
    if (second && second !== typed)
      problems.push('Choose one second member of staff: from the list or typed, not both.');
    else if (
      isEmailLike(typed) &&
      typed.endsWith(`@${app.deps.settings.staffDomain}`) &&
      app.deps.directory.schoolAccount(typed) === null
    )
      problems.push(`${typed} is not in the school's directory: check the address.`);
    second = typed;
  }
  return {
    request: {
      courseId: values.courseId ?? '',
      title: values.title ?? '',
      start,
      end: start + minutes * 60_000,
      teacher: app.me,
      secondStaff: second,
    },
    problems,
  };
}

function isEmailLike(text: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(text);
}

/** "Check with the policy": the form again, with what the policy would refuse or flag. */
export function checkSchedule(app: Composed, cs: CS, e: Event) {
  const values = formValues(e);
  const { request, problems } = requestOf(app, values);
  const preview = previewLesson(app.deps, request);
  const card = scheduleForm(app, cs, values, {
    problems: [...problems, ...preview.refusals],
    warnings: preview.flags.map((f) => f.detail),
    checked: true,
  });
  return cs.newActionResponseBuilder().setNavigation(cs.newNavigation().updateCard(card)).build();
}

export function submitSchedule(app: Composed, cs: CS, e: Event) {
  const values = formValues(e);
  const { request, problems } = requestOf(app, values);
  const result =
    problems.length > 0 ? ({ ok: false, problems } as const) : scheduleLesson(app.deps, request);
  if (!result.ok) {
    // Nothing was made: the form comes back with the teacher's values and what to fix.
    const card = scheduleForm(app, cs, values, {
      problems: result.problems,
      warnings: [],
      checked: false,
    });
    return respond(cs, result.problems.join(' '), card);
  }
  const warnings = result.lesson.flags.filter((f) => f.code !== 'not-approved');
  const flagged =
    warnings.length > 0 ? ` Flagged for SLT: ${warnings.map((w) => w.detail).join(' ')}` : '';
  // Made: the form and the homepage under it are out of date; the stack starts again at home.
  return showFresh(cs, [homepage(app, cs)], `${result.message}${flagged}`);
}
