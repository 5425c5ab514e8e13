// The add-on's card actions: read the event object, call a use case, show the next
// card. Every failure becomes a notification in plain words; no stack trace reaches a
// teacher, and each action makes only the calls it needs (30 s limit for card actions).
// Who acts is always the signed-in user (`app.me`, from Session), never an action parameter:
// parameters only say which lesson, and each use case reads that lesson again and checks
// this user may do this to it. After a change the whole card stack is drawn again, so the
// Back arrow never leads to a card from before the change.

import { PropertyRecordingsState } from '../adapters/recording-state';
import { decideLesson, decisionRefusal, isApprover } from '../app/approvals';
import { classConsent } from '../app/class-consent';
import { clearFollowUp, followUpsForCourse } from '../app/follow-ups';
import { reporterRole, reportIncident } from '../app/report-incident';
import {
  confirmConsentNow,
  confirmParentPresentNow,
  endNow,
  explain,
  openRoomNow,
  ownLesson,
  setPupilChat,
  shareNow,
  submitTeacherLog,
} from '../app/teacher-actions';
import { consentShownFor } from '../core/class-consent';
import { mustRethrow } from '../core/errors';
import { followUpsFor, mayClear } from '../core/follow-ups';
import { at } from '../core/health-problems';
import type { FollowUp } from '../core/incident';
import type { Lesson } from '../core/lesson';
import { type AutomationTrouble, approvalView, lessonView } from '../core/lesson-view';
import type { Person } from '../core/ports';
import { localDate, localDayStartAfter, ukDate, ukTimeRange } from '../core/time';
import { asRoot, type CS, push, respond, showFresh } from '../ui/card-kit';
import { type HomePages, homepageCard } from '../ui/home-card';
import { type IncidentFormValues, incidentCard, SOMEONE_ELSE } from '../ui/incident-card';
import { endLessonCard, lessonCard, logCard, PUPIL_CHAT_FIELD } from '../ui/lesson-card';
import { reviewCard } from '../ui/review-card';
import { eventOfferCard } from '../ui/schedule-card';
import { input, inputValues, param } from './card-event';
import type { Composed } from './composition';

type Event = GoogleAppsScript.Addons.EventObject;

/** Reports sent in the last six hours (CacheService's longest), by content. */
function recentReports(cache: GoogleAppsScript.Cache.Cache) {
  return {
    get: (key: string) => cache.get(key),
    put: (key: string, id: string) => cache.put(key, id, 6 * 3600),
  };
}

/**
 * The homepage: today's lessons (and any still open or being logged), the next seven days
 * (tomorrow to a week today: on a Sunday, Monday's lessons are there), and for an approver the
 * lessons of other teachers awaiting them. Long lists are paged (`pages`: where each starts).
 */
export function homepage(
  app: Composed,
  cs: CS,
  pages: Partial<HomePages> = {},
): GoogleAppsScript.Card_Service.Card {
  const { deps, me } = app;
  const now = deps.clock.now();
  const lessons = [...deps.store.all()].sort((a, b) => a.start - b.start);
  const tz = deps.settings.timeZone;
  const mine = lessons.filter((l) => l.teacher === me && l.status !== 'cancelled');
  const todayKey = localDate(now, tz);
  const today = mine.filter(
    (l) => localDate(l.start, tz) === todayKey || l.status === 'open' || l.status === 'ended',
  );
  const tomorrow = localDayStartAfter(now, 1, tz);
  const weekOn = localDayStartAfter(now, 8, tz);
  const week = mine.filter((l) => !today.includes(l) && l.start >= tomorrow && l.start < weekOn);
  const followUps = deps.followUps.open();
  const marked = markedOnRoster(app, followUps);
  const view = (l: Lesson) =>
    lessonView(
      l,
      now,
      deps.settings,
      me,
      followUps,
      marked(l.courseId, l.status),
      troubleShown(app),
    );
  const approvals = isApprover(deps, me)
    ? lessons
        .filter(
          (l) => l.status === 'scheduled' && l.approval.state === 'pending' && l.teacher !== me,
        )
        .map((l) => approvalView(l, now, deps.settings))
    : null;
  const approved = approvals
    ? lessons.filter((l) => approvedByMe(l, me)).map((l) => approvalView(l, now, deps.settings))
    : [];
  return asRoot(
    homepageCard(cs, {
      today: today.map(view),
      week: week.map(view),
      approvals,
      approved,
      notice: modeNotice(app),
      pages,
      followUps: mayClear(deps.settings, me)
        ? followUps.map((f) => ({
            incidentId: f.incidentId,
            pupil: f.personName,
            detail: `Removed ${ukDate(f.at, tz, now)} (incident ${f.incidentId}), reported by ${f.by}`,
          }))
        : [],
    }),
  );
}

/**
 * R23: for a class's coming lessons, the marks of other classes whose pupil is on its roster
 * (read once per class, only when there are such marks).
 */
function markedOnRoster(app: Composed, followUps: readonly FollowUp[]) {
  const byCourse = new Map<string, FollowUp[]>();
  return (courseId: string, status: Lesson['status']): FollowUp[] => {
    if (followUps.length === 0 || status === 'closed' || status === 'cancelled') return [];
    if (!byCourse.has(courseId))
      byCourse.set(courseId, followUpsForCourse(app.deps, app.me, courseId, followUps));
    return byCourse.get(courseId)!;
  };
}

/** R23: SLT or the DSL clear a removed pupil's mark once they have followed up. */
export function clearFollowUpAction(app: Composed, cs: CS, e: Event) {
  const result = clearFollowUp(app.deps, app.me, param(e, 'incidentId'));
  return respond(cs, result.message, homepage(app, cs));
}

/** R2: a lesson this approver agreed to, its room not yet open: theirs to withdraw. */
function approvedByMe(lesson: Lesson, me: string): boolean {
  return (
    lesson.status === 'scheduled' &&
    lesson.approval.state === 'approved' &&
    lesson.approval.by.toLowerCase() === me.toLowerCase()
  );
}

/** "Previous" / "Next 20" on the homepage: the same card, showing another page of a list. */
export function showHome(app: Composed, cs: CS, e: Event) {
  const at = (name: string) => {
    const n = Number(param(e, name));
    return Number.isInteger(n) && n > 0 ? n : 0;
  };
  const card = homepage(app, cs, {
    approvals: at('approvals'),
    approved: at('approved'),
    today: at('today'),
    week: at('week'),
  });
  return cs.newActionResponseBuilder().setNavigation(cs.newNavigation().updateCard(card)).build();
}

/** Why the automation is not acting for teachers, as a lesson card says it (R28). */
function troubleShown(app: Composed): AutomationTrouble {
  const why = app.automationTrouble()?.why;
  return why === 'delegation' || why === 'monitor' ? why : null;
}

/** Says plainly what teacher-driven mode cannot guarantee. */
function modeNotice(app: Composed): string | null {
  if (!app.config.automationAccount)
    return 'Safe Live Lessons is not set up yet: ask your administrator to run setup.';
  if (!app.config.delegation) {
    return 'Teacher-driven mode: use the buttons here to open, share and end each lesson. The link is removed automatically only when you or the hourly check act, so end each lesson from here.';
  }
  // R28: delegation refused, or the minute monitor stopped: nothing is done for anyone until it
  // is fixed, so the teacher runs the lesson from here.
  const trouble = app.automationTrouble();
  if (trouble?.why === 'delegation')
    return 'Safe Live Lessons cannot act for teachers right now (Google refused the automation’s access; the administrator has been told). Open, share and end each of your lessons from here until it is fixed.';
  if (trouble?.why === 'monitor')
    return `Safe Live Lessons is not acting for teachers right now: its minute monitor has not run since ${at(trouble.since, app.deps.settings.timeZone, app.deps.clock.now())}. Open, share and end each of your lessons from here until it runs again, and tell the administrator if they do not know.`;
  return null;
}

/** A lesson's card: its teacher's card, or an approver's review while it awaits a decision. */
export function showLesson(app: Composed, cs: CS, e: Event) {
  const lesson = app.deps.store.get(param(e, 'lessonId'));
  if (!lesson)
    return respond(
      cs,
      'That lesson could not be found. It may have been cancelled.',
      homepage(app, cs),
    );
  if (lesson.teacher === app.me) return push(cs, lessonCard(cs, viewOf(app, lesson)));
  if (isApprover(app.deps, app.me)) {
    const refusal = decisionRefusal(app.deps, app.me, lesson);
    if (lesson.status === 'scheduled' && lesson.approval.state === 'pending')
      return push(
        cs,
        reviewCard(cs, approvalView(lesson, app.deps.clock.now(), app.deps.settings), refusal),
      );
    if (approvedByMe(lesson, app.me))
      return push(
        cs,
        reviewCard(cs, approvalView(lesson, app.deps.clock.now(), app.deps.settings), null, true),
      );
    return respond(cs, refusal ?? 'This lesson no longer needs a decision.', homepage(app, cs));
  }
  return respond(cs, 'You can only open your own lessons.');
}

function viewOf(app: Composed, lesson: Lesson) {
  const d = app.deps;
  const now = d.clock.now();
  const followUps = d.followUps.open();
  // R13: before the lesson its teacher sees which pupils lack consent; the class list read for
  // that (one Classroom call, as the teacher) also finds follow-ups from other classes.
  const pupils = consentShownFor(lesson, app.me, now)
    ? classPupils(app, lesson.courseId)
    : undefined;
  const marked =
    pupils === undefined
      ? markedOnRoster(app, followUps)(lesson.courseId, lesson.status)
      : followUpsFor(followUps, lesson.courseId, pupils);
  return lessonView(
    lesson,
    now,
    d.settings,
    app.me,
    followUps,
    marked,
    troubleShown(app),
    pupils === undefined ? null : classConsent(d, pupils),
  );
}

/** The class's pupils as its teacher sees them on Classroom, or null when Classroom did not answer. */
function classPupils(app: Composed, courseId: string): Person[] | null {
  try {
    return app.deps.classes.pupils(app.me, courseId);
  } catch (error) {
    if (mustRethrow(error)) throw error;
    app.deps.log.warn('a class roster could not be read for its consent');
    return null;
  }
}

/** The Calendar sidebar: a lesson's event shows the lesson; any other event offers to become one. */
export function calendarEventCard(app: Composed, cs: CS, e: Event) {
  const eventId = openEventId(e);
  if (!eventId) return homepage(app, cs);
  const lesson = app.deps.store.all().find((l) => l.calendarEventId === eventId);
  if (lesson) return lessonCard(cs, viewOf(app, lesson));
  const open = (e as { calendar?: { calendarId?: string } }).calendar;
  const event = app.events.read(app.me, open?.calendarId || 'primary', eventId);
  const tz = app.deps.settings.timeZone;
  return eventOfferCard(
    cs,
    event && {
      title: event.title,
      when: ukTimeRange(event.start, event.end, tz, app.deps.clock.now()),
      start: event.start,
      minutes: Math.round((event.end - event.start) / 60_000),
    },
  );
}

/** The Calendar event open in the sidebar, if any (sent with every action while it stays open). */
function openEventId(e: Event | undefined): string {
  return (e as { calendar?: { id?: string } } | undefined)?.calendar?.id ?? '';
}

/**
 * The card stack drawn again from the store after a change: the root (the open Calendar
 * event's card, else the homepage) and, when `lessonId` is given, that lesson's card above it.
 */
function freshStack(app: Composed, cs: CS, e: Event, lessonId: string | null, message?: string) {
  const eventId = openEventId(e);
  const lesson = lessonId ? app.deps.store.get(lessonId) : undefined;
  const root = eventId ? calendarEventCard(app, cs, e) : homepage(app, cs);
  const cards = [root];
  const rootIsLesson = eventId !== '' && lesson?.calendarEventId === eventId;
  if (lesson && lesson.teacher === app.me && !rootIsLesson)
    cards.push(lessonCard(cs, viewOf(app, lesson)));
  return showFresh(cs, cards, message);
}

/**
 * Every button of a lesson (on its card or on the homepage). The parameters name the lesson
 * and the action, and where the button was (`from`: 'home' or the lesson's card); who acts is
 * the signed-in user, and each use case reads the lesson again and refuses what is not theirs.
 */
export function lessonAction(app: Composed, cs: CS, e: Event) {
  const id = param(e, 'lessonId');
  const action = param(e, 'action');
  const fromHome = param(e, 'from') === 'home';
  const d = app.deps;
  if (action === 'ask-end' || action === 'back' || action === 'log' || action === 'incident') {
    const own = ownLesson(d, app.me, id);
    if (!own.ok) return freshStack(app, cs, e, null, own.message);
    const lesson = own.lesson;
    if (action === 'back') return freshStack(app, cs, e, fromHome ? null : id);
    if (action === 'ask-end') {
      if (lesson.status !== 'open')
        return freshStack(
          app,
          cs,
          e,
          fromHome ? null : id,
          'This lesson is not running: there is no call to end.',
        );
      return push(cs, endLessonCard(cs, viewOf(app, lesson), fromHome ? 'home' : 'lesson'));
    }
    const next =
      action === 'incident' ? incidentForm(app, cs, lesson, []) : logForm(app, cs, lesson);
    return push(cs, next);
  }
  const result =
    action === 'open'
      ? openRoomNow(d, app.me, id)
      : action === 'share'
        ? shareNow(d, app.me, id)
        : action === 'end'
          ? endNow(d, app.me, id)
          : action === 'consent'
            ? confirmConsentNow(d, app.me, id)
            : action === 'chat'
              ? // The switch's value is in the form inputs only while it is on (doc: Switch.setValue).
                setPupilChat(d, app.me, id, input(e, PUPIL_CHAT_FIELD) !== '')
              : laterAction(app, id, action);
  // Ended: back to the root, where the lesson now asks for its log. Otherwise the teacher stays
  // where they were (the lesson's card, or the homepage), every card drawn again.
  const stay = action === 'end' || fromHome ? null : id;
  return freshStack(app, cs, e, stay, result.message);
}

/** Lesson actions added since the first build (R25: a parent/carer present for a 1:1). */
function laterAction(app: Composed, id: string, action: string) {
  if (action === 'parent-present') return confirmParentPresentNow(app.deps, app.me, id);
  return { ok: false as const, message: 'That action is not available.' };
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
      recent: recentReports(app.services.CacheService.getScriptCache()),
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
    after && after.teacher === app.me ? lessonCard(cs, viewOf(app, after)) : homepage(app, cs);
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

/** R2: Approve or Decline on the review card; the approver is the signed-in user. */
export function decide(app: Composed, cs: CS, e: Event) {
  const decision = param(e, 'decision');
  // Only the review card's own two buttons decide: anything else is refused, never an approval.
  if (decision !== 'approve' && decision !== 'decline')
    return respond(cs, 'That is not a decision this card offers: use Approve or Decline.');
  const lessonId = param(e, 'lessonId');
  const result = decideLesson(app.deps, app.me, lessonId, decision, input(e, 'reason'));
  const lesson = app.deps.store.get(lessonId);
  const settled =
    lesson?.status !== 'scheduled' ||
    (lesson.approval.state !== 'pending' && !approvedByMe(lesson, app.me));
  // Decided (here or by someone else meanwhile): the review is out of date, back to a fresh home.
  // Refused for a reason the approver can fix (no reason given): the card stays as it is.
  if (result.ok || settled) return showFresh(cs, [homepage(app, cs)], result.message);
  return respond(cs, result.message);
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
