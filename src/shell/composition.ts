// Builds the use cases' dependencies from the Apps Script services of one execution.
// main.ts hands the services in; nothing below reaches for a global.

import { ClassroomStream } from '../adapters/class-stream';
import { ClassroomClasses } from '../adapters/classroom-classes';
import { classroomAs, restAnnouncementBatch, restRosterBatch } from '../adapters/classroom-client';
import { readConfig, readSettings, type SchoolConfig } from '../adapters/config';
import { ConsentSnapshot } from '../adapters/consent-register';
import { Credentials } from '../adapters/credentials';
import { EventRoomLinks } from '../adapters/event-room-link';
import { PropertyHealthStore } from '../adapters/health-store';
import { GoogleLessonCalendar } from '../adapters/lesson-calendar';
import { LogPlaces } from '../adapters/log-book';
import { MailNotifier } from '../adapters/mail-notifier';
import { SheetMailLedger } from '../adapters/mail-sheet';
import { MeetRooms } from '../adapters/meet-rooms';
import { consoleOpsLog } from '../adapters/ops-log';
import {
  PropertyFollowUps,
  PropertyIncidentQueue,
  PropertyTeacherLogQueue,
} from '../adapters/property-queues';
import { PropertyLessonStore } from '../adapters/property-store';
import { RestClient } from '../adapters/rest-client';
import { AdminDirectory } from '../adapters/school-directory';
import { ScriptMutex } from '../adapters/script-mutex';
import { SheetSafeguardingLog } from '../adapters/sheet-log';
import { UsageCounter } from '../adapters/usage-counter';
import type { Deps } from '../app/deps';
import { troubleForTeachers } from '../app/health';
import type { TeacherTrouble } from '../core/health';
import type { AlertMail, EventReader, StoreUsage } from '../core/ports';

/** The Apps Script services an execution uses, passed in by main.ts. */
export interface AppsScriptServices {
  UrlFetchApp: GoogleAppsScript.URL_Fetch.UrlFetchApp;
  ScriptApp: GoogleAppsScript.Script.ScriptApp;
  PropertiesService: GoogleAppsScript.Properties.PropertiesService;
  LockService: GoogleAppsScript.Lock.LockService;
  CacheService: GoogleAppsScript.Cache.CacheService;
  MailApp: GoogleAppsScript.Mail.MailApp;
  SpreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  Session: GoogleAppsScript.Base.Session;
  Utilities: GoogleAppsScript.Utilities.Utilities;
  Classroom: GoogleAppsScript.Classroom | undefined;
  Calendar: GoogleAppsScript.Calendar | undefined;
  Drive: GoogleAppsScript.Drive | undefined;
  console: Pick<Console, 'info' | 'warn' | 'error'>;
  /** For the dashboard's chart; absent where charts are not needed. */
  Charts?: Pick<GoogleAppsScript.Charts.Charts, 'ChartType'>;
}

export interface Composed {
  deps: Deps;
  config: SchoolConfig;
  credentials: Credentials;
  consent: ConsentSnapshot;
  services: AppsScriptServices;
  me: string;
  /** True when this execution runs as the school's automation account. */
  isAutomation: boolean;
  /** Any calendar event (the Calendar sidebar offers to make one a lesson). */
  events: EventReader;
  /** Email that must be known to have left (incidents to the DSL). */
  alerts: AlertMail;
  /** R28: this execution's UrlFetch requests, per Google service (the day's quota is counted from them). */
  usage: UsageCounter;
  /** R28: the health record (job runs, delegation, quotas, open problems). */
  health: PropertyHealthStore;
  /** R28: how full the script-properties store is. */
  storeUsage(): StoreUsage;
  /**
   * R28: the automation is not acting for teachers (Google refuses it their accounts, or its
   * minute monitor has stopped), as the health record and the monitor's heartbeat say; null
   * while it acts.
   */
  automationTrouble(): TeacherTrouble | null;
  /** The same, as a yes or no: teachers must run their lessons from the sidebar. */
  automationCannotAct(): boolean;
}

export function compose(given: AppsScriptServices): Composed {
  // R28: every UrlFetch request is counted (Apps Script gives no counter), and a token Google
  // refused (401) is dropped so the next call asks for a new one.
  const usage = new UsageCounter();
  let refusedToken: (token: string) => void = () => undefined;
  const s: AppsScriptServices = {
    ...given,
    UrlFetchApp: usage.wrap(given.UrlFetchApp, (token) => refusedToken(token)),
  };
  const scriptProps = s.PropertiesService.getScriptProperties();
  const config = readConfig(scriptProps);
  const settings = readSettings(scriptProps);
  const me = s.Session.getEffectiveUser().getEmail().toLowerCase();
  const now = () => Date.now();
  const cache = s.CacheService.getScriptCache();
  const log = consoleOpsLog(s.console);
  const isAutomation =
    config.automationAccount !== null && config.automationAccount.toLowerCase() === me;
  // One time budget for the execution: a run sets it, every REST client stops sending after it.
  const budget = { stopAt: Number.POSITIVE_INFINITY };
  const credentials = new Credentials(
    s.ScriptApp,
    s.UrlFetchApp,
    cache,
    me,
    isAutomation ? config.delegation : null,
    now,
    budget,
  );
  refusedToken = (token) => credentials.forgetToken(token);
  const rest = (service: string) => new RestClient(s.UrlFetchApp, service, budget, now);
  const meetRest = rest('meet');
  const classroomRest = rest('classroom');
  const classroom = (user: string) => classroomAs(user, credentials, s.Classroom, classroomRest);
  const store = new PropertyLessonStore(scriptProps, now);
  const userProps = s.PropertiesService.getUserProperties();
  const consent = new ConsentSnapshot(scriptProps);
  const calendar = new GoogleLessonCalendar(
    credentials,
    s.Calendar,
    rest('calendar'),
    {
      // The sync token belongs to whoever reads the calendar: kept in their user properties.
      get: () => userProps.getProperty('calendarSyncToken'),
      set: (_teacher, token) =>
        token
          ? userProps.setProperty('calendarSyncToken', token)
          : userProps.deleteProperty('calendarSyncToken'),
    },
    settings.timeZone,
  );
  const mutex = new ScriptMutex(s.LockService);
  const executionId = s.Utilities.getUuid();
  // Issue 9: every email is a queued notice. The automation sends the whole queue and writes
  // the Mail sheet; anyone else's execution sends what it queued itself.
  const mail = new MailNotifier({
    mail: s.MailApp,
    props: scriptProps,
    mutex,
    log,
    now,
    sender: me,
    executionId,
    scope: isAutomation ? 'all' : 'own',
    settings: () => settings,
    budget,
    sheet:
      isAutomation && config.logSpreadsheetId
        ? new SheetMailLedger(s.SpreadsheetApp, config.logSpreadsheetId, settings.timeZone)
        : null,
  });
  const deps: Deps = {
    clock: { now, sleep: (ms) => s.Utilities.sleep(ms) },
    settings,
    store,
    mutex,
    rooms: new MeetRooms(meetRest, credentials, now),
    // The automation, acting for many teachers, posts and deletes in parallel batches.
    stream: new ClassroomStream(
      classroom,
      isAutomation && config.delegation ? restAnnouncementBatch(credentials, classroomRest) : null,
    ),
    classes: new ClassroomClasses(
      classroom,
      cache,
      isAutomation && config.delegation ? restRosterBatch(credentials, classroomRest) : null,
    ),
    directory: new AdminDirectory(rest('admin'), credentials, cache),
    calendar,
    events: new EventRoomLinks(rest('calendar'), credentials),
    notifier: mail,
    consent,
    log,
    teacherLogs: new PropertyTeacherLogQueue(scriptProps),
    incidents: new PropertyIncidentQueue(scriptProps),
    followUps: new PropertyFollowUps(scriptProps),
    safeguardingLog:
      isAutomation && config.logSpreadsheetId
        ? new SheetSafeguardingLog(
            s.SpreadsheetApp,
            config.logSpreadsheetId,
            settings.timeZone,
            new LogPlaces(scriptProps, config.logGeneration),
            { budget, now },
          )
        : null,
    random: Math.random,
    executionId,
    budget,
  };
  const health = new PropertyHealthStore(scriptProps);
  // Read once per execution (a card asks several times).
  let trouble: { value: TeacherTrouble | null } | undefined;
  const automationTrouble = () => {
    trouble ??= {
      value:
        config.delegation === null
          ? null
          : troubleForTeachers({ health, memory: cache, log }, now()),
    };
    return trouble.value;
  };
  return {
    deps,
    config,
    credentials,
    consent,
    services: s,
    me,
    isAutomation,
    events: calendar,
    alerts: mail,
    usage,
    health,
    storeUsage: () => store.usage(),
    automationTrouble,
    automationCannotAct: () => automationTrouble() !== null,
  };
}
