// The one file that touches the Apps Script global scope. It hands the Apps Script
// services to the composition root and exposes, as `global.name = ...`, every function
// Apps Script calls by name: manifest triggers, card actions and installable triggers.
// esbuild.config.mjs turns each assignment into a top-level stub (gas-entry-generator).

import {
  calendarChanged,
  collectRecordingsTick,
  dailyDigest,
  ensureSweepWhileRefused,
  ensureTeacherTriggers,
  housekeeping,
  monitorTick,
  purgeRecordingsTick,
  teacherSweep,
} from './shell/automation';
import { type AppsScriptServices, compose } from './shell/composition';
import { holdRecordingAction, releaseRecordingAction } from './shell/recordings-jobs';
import { checkSchedule, showScheduleForm, submitSchedule } from './shell/schedule-form';
import { runSetup } from './shell/setup';
import {
  calendarEventCard,
  clearFollowUpAction,
  decide,
  homepage,
  lessonAction,
  safely,
  showHome,
  showIncidentForm,
  showLesson,
  submitIncident,
  submitLog,
} from './shell/sidebar';

declare const global: Record<string, unknown>;
type Event = GoogleAppsScript.Addons.EventObject;

function services(): AppsScriptServices {
  return {
    UrlFetchApp,
    ScriptApp,
    PropertiesService,
    LockService,
    CacheService,
    MailApp,
    SpreadsheetApp,
    Session,
    Utilities,
    Classroom: typeof Classroom === 'undefined' ? undefined : Classroom,
    Calendar: typeof Calendar === 'undefined' ? undefined : Calendar,
    Drive: typeof Drive === 'undefined' ? undefined : Drive,
    Charts: typeof Charts === 'undefined' ? undefined : Charts,
    console,
  };
}

/** A card action has 30 s in all: what it queued by email is sent within its first 25 s. */
const CARD_MAIL_MS = 25_000;

function card<T>(run: (app: ReturnType<typeof compose>) => T) {
  const app = compose(services());
  const started = app.deps.clock.now();
  const response = safely(CardService, app, () => run(app));
  // Issue 9: what this action queued (an approval, a notice) leaves now; the automation
  // retries whatever could not.
  app.deps.notifier.flush(started + CARD_MAIL_MS);
  return response;
}

global.onHomepage = (_e: Event) =>
  card((app) => {
    // R28: while the automation is not acting (delegation refused, monitor stopped), the teacher
    // gets an hourly sweep of their own, and the admin is told if no job of its own can.
    ensureSweepWhileRefused(app);
    return homepage(app, CardService);
  });
global.onCalendarEventOpen = (e: Event) => card((app) => calendarEventCard(app, CardService, e));
global.showLesson = (e: Event) => card((app) => showLesson(app, CardService, e));
global.showHome = (e: Event) => card((app) => showHome(app, CardService, e));
global.showScheduleForm = (e: Event) => card((app) => showScheduleForm(app, CardService, e));
global.checkScheduleAction = (e: Event) => card((app) => checkSchedule(app, CardService, e));
global.scheduleLessonAction = (e: Event) =>
  card((app) => {
    const response = submitSchedule(app, CardService, e);
    ensureTeacherTriggers(app);
    return response;
  });
global.lessonAction = (e: Event) =>
  card((app) => {
    ensureSweepWhileRefused(app);
    return lessonAction(app, CardService, e);
  });
global.submitLogAction = (e: Event) => card((app) => submitLog(app, CardService, e));
global.decideAction = (e: Event) => card((app) => decide(app, CardService, e));
global.showIncidentForm = (e: Event) => card((app) => showIncidentForm(app, CardService, e));
global.reportIncidentAction = (e: Event) => card((app) => submitIncident(app, CardService, e));
global.clearFollowUpAction = (e: Event) => card((app) => clearFollowUpAction(app, CardService, e));

global.monitorTick = () => monitorTick(compose(services()));
global.hourlyHousekeeping = () => housekeeping(compose(services()), () => compose(services()));
global.teacherSweep = () => teacherSweep(compose(services()));
global.dailyDigest = () => dailyDigest(compose(services()));
global.onCalendarChange = () => calendarChanged(compose(services()));
global.setup = () => runSetup(compose(services()));
global.collectRecordings = () => collectRecordingsTick(compose(services()));
global.purgeRecordings = () => purgeRecordingsTick(compose(services()));
global.holdRecording = (lessonOrRequest: unknown) =>
  holdRecordingAction(compose(services()), lessonOrRequest);
global.releaseRecording = (lessonOrRequest: unknown) =>
  releaseRecordingAction(compose(services()), lessonOrRequest);
