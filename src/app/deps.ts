// Everything a use case needs, passed in (never fetched): the ports, the settings,
// the clock, and a log for operators that must never carry pupil data (R20).

import type {
  Classes,
  ClassStream,
  Clock,
  ConsentRegister,
  FollowUps,
  IncidentLog,
  IncidentQueue,
  LessonCalendar,
  LessonEvents,
  LessonStore,
  Mutex,
  Notifier,
  OpsLog,
  Rooms,
  SafeguardingLog,
  SchoolDirectory,
  TeacherLogQueue,
  WorkBudget,
} from '../core/ports';
import type { SchoolSettings } from '../core/settings';

export interface Deps {
  clock: Clock;
  settings: SchoolSettings;
  store: LessonStore;
  mutex: Mutex;
  rooms: Rooms;
  stream: ClassStream;
  classes: Classes;
  directory: SchoolDirectory;
  calendar: LessonCalendar;
  /** The room link on each lesson's Calendar event (for the teacher and the second adult). */
  events: LessonEvents;
  notifier: Notifier;
  consent: ConsentRegister;
  log: OpsLog;
  teacherLogs: TeacherLogQueue;
  /** Incident reports on their way to the Incidents sheet (R15, R20). */
  incidents: IncidentQueue;
  followUps: FollowUps;
  /** Only the automation account can write the log (R20); null in a teacher's execution. */
  safeguardingLog: (SafeguardingLog & IncidentLog) | null;
  random: () => number;
  /** Who this execution is (for leases and messages). */
  executionId: string;
  /**
   * When this execution must stop starting Google requests (a run's time budget; Infinity
   * when unbounded). Shared with the adapters, which stop sending new rounds after it.
   */
  budget: WorkBudget;
}
