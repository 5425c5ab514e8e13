// The add-on's card actions: read the event object, call a use case, show the next
// card. Every failure becomes a notification in plain words; no stack trace reaches a
// teacher, and each action makes only the calls it needs (30 s limit for card actions).

import { PropertyRecordingsState } from '../adapters/recording-state';
import { decideLesson, isApprover } from '../app/approvals';
import { reporterRole, reportIncident } from '../app/report-incident';
import { previewLesson, scheduleLesson } from '../app/schedule-lesson';
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
import type { LessonRequest } from '../core/schedule-policy';
import { localDate, localTime, weekKey } from '../core/time';
import { type CS, respond } from '../ui/card-kit';
import { type IncidentFormValues, incidentCard, SOMEONE_ELSE } from '../ui/incident-card';
import {
  eventOfferCard,
  homepageCard,
  lessonCard,
  logCard,
  type ScheduleFormValues,
  scheduleCard,
} from '../ui/lesson-cards';
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
  const followUps = deps.followUps.open();
  const view = (l: Lesson) => lessonView(l, now, deps.settings, me, followUps);
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
  const card = lessonCard(cs, viewOf(app, lesson), { canDecide });
  return cs.newActionResponseBuilder().setNavigation(cs.newNavigation().pushCard(card)).build();
}

function viewOf(app: Composed, lesson: Lesson) {
  const d = app.deps;
  return lessonView(lesson, d.clock.now(), d.settings, app.me, d.followUps.open());
}

/** The Calendar sidebar: a lesson's event shows the lesson; any other event offers to become one. */
export function calendarEventCard(app: Composed, cs: CS, e: Event) {
  const open = (e as { calendar?: { id?: string; calendarId?: string } }).calendar;
  const eventId = open?.id ?? '';
  if (!eventId) return homepage(app, cs);
  const lesson = app.deps.store.all().find((l) => l.calendarEventId === eventId);
  if (lesson) return lessonCard(cs, viewOf(app, lesson), { canDecide: false });
  const event = app.events.read(app.me, open?.calendarId || 'primary', eventId);
  const tz = app.deps.settings.timeZone;
  return eventOfferCard(
    cs,
    event && {
      title: event.title,
      when: `${localDate(event.start, tz)} ${localTime(event.start, tz)}–${localTime(event.end, tz)}`,
      start: event.start,
      minutes: Math.round((event.end - event.start) / 60_000),
    },
  );
}

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
  return cs.newActionResponseBuilder().setNavigation(cs.newNavigation().pushCard(card)).build();
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
                : action === 'log' || action === 'incident'
                  ? null
                  : { ok: false as const, message: 'That action is not available.' };
  const lesson = d.store.get(id);
  if (result === null) {
    if (!lesson) return respond(cs, 'That lesson could not be found.');
    if (lesson.teacher !== app.me) return respond(cs, 'You can only open your own lessons.');
    const next =
      action === 'incident' ? incidentForm(app, cs, lesson, []) : logForm(app, cs, lesson);
    return cs.newActionResponseBuilder().setNavigation(cs.newNavigation().pushCard(next)).build();
  }
  const card =
    lesson && lesson.teacher === app.me
      ? lessonCard(cs, viewOf(app, lesson), { canDecide: false })
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
  const view = viewOf(app, lesson);
  facts.push(...view.followUps);
  return logCard(cs, view, facts);
}

function incidentForm(
  app: Composed,
  cs: CS,
  lesson: Lesson,
  problems: string[],
  values?: IncidentFormValues,
) {
  const role = reporterRole(lesson, app.me);
  let pupils: { key: string; name: string }[] = [];
  try {
    pupils = app.deps.classes
      .pupils(app.me, lesson.courseId)
      .map((p) => ({ key: p.email ?? `id:${p.userId}`, name: p.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    // The class list could not be read (a second adult who is not on the course): type the name.
    app.deps.log.warn(
      `incident form without a class list: ${error instanceof Error ? error.name : 'error'}`,
    );
  }
  const view = viewOf(app, lesson);
  const live = lesson.status === 'open';
  return incidentCard(cs, {
    lessonId: lesson.id,
    title: lesson.title,
    when: view.when,
    pupils,
    canEnd: live && role === 'teacher',
    liveForOthers: live && role !== 'teacher',
    reportingAs: role === 'second-adult' ? 'second adult in the lesson' : 'teacher of the lesson',
    problems,
    dslNamed: app.deps.settings.dslEmails.length > 0,
    values,
  });
}

/** R15, R26: the lesson's teacher or its second adult opens the form (any staff of the lesson). */
export function showIncidentForm(app: Composed, cs: CS, e: Event) {
  const lesson = app.deps.store.get(param(e, 'lessonId'));
  if (!lesson) return respond(cs, 'That lesson could not be found. Tell the DSL directly.');
  if (!reporterRole(lesson, app.me))
    return respond(
      cs,
      'Only the teacher or the second adult of this lesson can report from here. Tell the DSL directly.',
    );
  return cs
    .newActionResponseBuilder()
    .setNavigation(cs.newNavigation().pushCard(incidentForm(app, cs, lesson, [])))
    .build();
}

/** Every value a multi-select input holds (checkboxes). */
function inputValues(e: Event | undefined, name: string): string[] {
  const field = e?.commonEventObject?.formInputs?.[name] as
    | { stringInputs?: { value?: string[] } }
    | undefined;
  return field?.stringInputs?.value ?? [];
}

/**
 * R15: "Send to the DSL". A form with problems comes back with everything that was typed and
 * ticked, and what to fix; nothing is sent or written.
 */
export function submitIncident(app: Composed, cs: CS, e: Event) {
  const d = app.deps;
  const lessonId = param(e, 'lessonId');
  const lesson = d.store.get(lessonId);
  if (!lesson) return respond(cs, 'That lesson could not be found. Tell the DSL directly.');
  const values: IncidentFormValues = {
    person: input(e, 'person'),
    otherPerson: input(e, 'otherPerson'),
    role: input(e, 'role'),
    types: inputValues(e, 'nature'),
    where: input(e, 'where'),
    details: input(e, 'details'),
    action: input(e, 'action'),
  };
  const again = (problem: string) => {
    const current = d.store.get(lessonId);
    return respond(
      cs,
      problem,
      current ? incidentForm(app, cs, current, [problem], values) : undefined,
    );
  };
  let personName = values.otherPerson!.trim();
  let personKey: string | null = null;
  if (values.person && values.person !== SOMEONE_ELSE) {
    let pupil: { name: string } | undefined;
    try {
      pupil = d.classes
        .pupils(app.me, lesson.courseId)
        .find((p) => (p.email ?? `id:${p.userId}`) === values.person);
    } catch {
      pupil = undefined;
    }
    if (!pupil) return again('That pupil is not on the class list any more: type the name.');
    if (personName) return again('Choose a pupil from the list or type a name, not both.');
    personName = pupil.name;
    personKey = values.person;
  }
  const result = reportIncident(
    d,
    {
      holds: new PropertyRecordingsState(app.services.PropertiesService.getScriptProperties()),
      alerts: app.alerts,
    },
    {
      lessonId,
      reportedBy: app.me,
      personName,
      personKey,
      role: values.role ?? '',
      types: values.types ?? [],
      where: values.where ?? '',
      details: values.details ?? '',
      action: values.action ?? '',
      at: d.clock.now(),
    },
  );
  if (!result.ok) return again(result.message);
  const after = d.store.get(lessonId);
  const card =
    after && after.teacher === app.me
      ? lessonCard(cs, viewOf(app, after), { canDecide: false })
      : homepage(app, cs);
  return respond(cs, result.message, card);
}

/** R18: the lesson's teacher or second adult sends its log; refused at once for a lesson that does not exist. */
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
