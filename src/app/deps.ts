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
  LessonStore,
  Mutex,
  Notifier,
  OpsLog,
  Rooms,
  SafeguardingLog,
  SchoolDirectory,
  TeacherLogQueue,
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
}
