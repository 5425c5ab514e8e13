// The product's view of the outside world, in its own words. Adapters (src/adapters)
// implement these over Apps Script and Google's APIs; tests run them over the
// simulated Workspace. Every method that acts "as" someone takes their email: the
// adapter decides how (the user's own token, or domain-wide delegation).

import type { DashboardBlock, SheetRecord } from './dashboard';
import type { FollowUp, IncidentReport } from './incident';
import type { Lesson, Room } from './lesson';
import type { CallParticipant } from './participants';
import type {
  AuditAction,
  AuditEntry,
  CollectionEntry,
  FoundRecordings,
  NewRecording,
} from './recording';
import type { DueCandidate, RegisteredRecording } from './retention';
import type { PurgeMode } from './settings';
import type { TeacherLogEntry } from './teacher-log';

export interface Clock {
  now(): number;
}

/** Operator log lines (script logs): lesson ids, counts and failure kinds only, never pupil data (R20). */
export interface OpsLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Where lessons live between executions (script properties): one read gets them all. */
export interface LessonStore {
  all(): Lesson[];
  get(id: string): Lesson | undefined;
  put(lesson: Lesson): void;
  /** Several lessons in one write (a batch step for many lessons at once). */
  putMany(lessons: readonly Lesson[]): void;
  remove(id: string): void;
  /** Takes the right to run `name` (the monitor) until `until`, unless a live run holds it. */
  claimRun(name: string, owner: string, until: number, now: number): boolean;
  releaseRun(name: string, owner: string): void;
}

/** Mutual exclusion between executions (two triggers at once, a teacher and the automation). */
export interface Mutex {
  /** Runs `fn` holding the script-wide lock; undefined when the lock could not be had in time. */
  run<T>(fn: () => T, waitMs: number): { ok: true; value: T } | { ok: false };
}

export interface RoomSettings {
  accessType: 'RESTRICTED' | 'TRUSTED';
}

export interface CallNow {
  conference: string;
  participants: CallParticipant[];
}

/** Google Meet, as the lesson sees it. */
export interface Rooms {
  /** A fresh Meet space owned by `host`, with the safe configuration (R7-R9, R16). */
  create(host: string, settings: RoomSettings): Room;
  /**
   * Who is in each room's call right now (R6, R14); `null` for a room with no call.
   * Batched: one round of requests for many lessons.
   */
  whoIsIn(
    requests: readonly { host: string; room: Room; conference: string | null }[],
  ): Map<string, CallNow | null>;
  /** Ends the call for everyone and locks the room so nobody can re-enter (R10). */
  endAndLock(host: string, room: Room): void;
  /** R9: the teacher may let pupils chat. */
  setChat(host: string, room: Room, pupilsMayChat: boolean): void;
  /** Everyone who joined any call in the room, with their times (R14). */
  history(host: string, room: Room): CallParticipant[];
}

export interface StreamPost {
  text: string;
  url: string;
  title: string;
  /** A marker the post carries so it can be found again after a lost answer. */
  marker: string;
}

/** The Classroom course stream (R6, R7, R10). */
export interface ClassStream {
  post(teacher: string, courseId: string, post: StreamPost): string;
  /** The id of this product's post carrying `marker`, if one exists (after a lost answer). */
  find(teacher: string, courseId: string, marker: string): string | null;
  /** Deletes the post; a post already gone counts as deleted. */
  remove(teacher: string, courseId: string, postId: string): void;
  /**
   * Many posts at once (one round of parallel requests). Each answer is the post's id or
   * the failure; a failed post may still have been made (find it before posting again).
   */
  postMany(
    items: readonly { teacher: string; courseId: string; post: StreamPost }[],
  ): (string | Error)[];
  /** Many deletions at once; each answer is null (gone) or the failure. */
  removeMany(
    items: readonly { teacher: string; courseId: string; postId: string }[],
  ): (Error | null)[];
}

export interface Person {
  userId: string;
  name: string;
  email: string | null;
}

export interface Course {
  id: string;
  name: string;
}

/** Google Classroom courses and rosters (R1, R14). */
export interface Classes {
  taughtBy(teacher: string): Course[];
  course(actingAs: string, courseId: string): Course | null;
  teachers(actingAs: string, courseId: string): Person[];
  pupils(actingAs: string, courseId: string): Person[];
  /** Reads many classes' rosters ahead, in one call where the adapter can (optional). */
  warm?(courseIds: readonly string[]): void;
}

/** The school's directory: is this account one of ours (R14 external participants)? */
export interface SchoolDirectory {
  /** The account's email when it belongs to the school's domain, else null. */
  schoolAccount(userId: string): string | null;
}

export interface LessonEvent {
  lessonId: string;
  courseId: string;
  title: string;
  description: string;
  start: number;
  end: number;
  /** Staff guests only: pupils are never guests (R5). */
  staffGuests: string[];
}

export interface CalendarChange {
  /** Empty for a deleted event: Calendar returns only its id and status. */
  lessonId: string;
  eventId: string;
  cancelled: boolean;
  start: number;
  end: number;
}

/** The teacher's Google Calendar (R1, R5). */
export interface LessonCalendar {
  create(teacher: string, event: LessonEvent): string;
  /** Lesson events changed since the last call (moved, cancelled), via the stored sync token. */
  changes(teacher: string): CalendarChange[];
}

/** Email to SLT, the DSL and teachers (R3, R12, R14, R15). */
export interface Notifier {
  send(to: readonly string[], subject: string, body: string): void;
}

/** The consent register the office keeps (R13): pupils (by email or account id) whose parents agreed. */
export interface ConsentRegister {
  hasConsent(pupil: Person): boolean;
}

/**
 * What became of a staff entry or an incident report sent to the log: placed (or already
 * there), its lesson has no Sessions row, the row does not name the author as the lesson's
 * teacher or second adult, or the row's cells are full.
 */
export type Placement = 'placed' | 'no-row' | 'not-staff' | 'full';

/** The log spreadsheet SLT open (R18); only the automation account writes it (R20). */
export interface SafeguardingLog {
  /**
   * Writes or rewrites each lesson's Sessions row (by lesson id) and, once closed, its
   * attendance; `logged` hears of lessons as soon as they are fully written.
   */
  record(lessons: readonly Lesson[], logged: (lessonIds: string[]) => void): void;
  /**
   * Adds staff's Appendix A entries below what their lessons' rows hold, each checked against
   * the row's teacher and second adult; one Placement per entry, in order.
   */
  addTeacherEntries(entries: readonly TeacherLogEntry[]): Placement[];
  /** The lessons still in the store: what the log kept about where the others' rows are can go. */
  retainPlaces(lessonIds: readonly string[]): void;
}

/** Teachers' log entries waiting for the automation (R18, R20): nothing is lost if Sheets is down. */
export interface TeacherLogQueue {
  enqueue(entry: TeacherLogEntry): void;
  pending(): TeacherLogEntry[];
  done(entries: readonly TeacherLogEntry[]): void;
}

// ---------------------------------------------------------------------------------------------
// Recordings (R16, R17): found through Meet, moved into the safeguarding folder, purged.
// ---------------------------------------------------------------------------------------------

/** Meet's record of a room's calls and their recordings. */
export interface RecordingFinder {
  /** Batched, one round of requests for many rooms; a room that failed maps to its Error. */
  find(requests: readonly { host: string; space: string }[]): Map<string, FoundRecordings | Error>;
}

export type CollectOutcome =
  | { kind: 'moved'; fileId: string; name: string; createdAt: number }
  /** Deleted (or trashed and emptied) before it could be collected. */
  | { kind: 'missing'; fileId: string }
  /** Moved somewhere its owner can no longer move it from (another shared drive). */
  | { kind: 'elsewhere'; fileId: string; detail: string };

/** What a purge request did to one file. */
export type RemoveResult = 'removed' | 'already-gone' | 'retry' | 'refused';

/** The safeguarding folder on the school's shared drive. */
export interface RecordingsVault {
  /**
   * Moves a recording out of its owner's Drive into the folder, as the owner (only an owner may
   * move a file into a shared drive), renamed and marked as ours, with no sharing of its own left.
   * Moving a file already there again is a no-op that answers "moved".
   */
  collect(owner: string, fileId: string, name: string, lessonId: string): CollectOutcome;
  /** Marked files in the folder made before `cutoff` and not trashed: one server-side query. */
  due(cutoff: number): DueCandidate[];
  /** Deletes or trashes files in as few requests as Drive allows. Throws if no answer came back. */
  remove(fileIds: readonly string[], mode: PurgeMode): Map<string, RemoveResult>;
  /** Whether each file is still in the folder, untrashed; null where Drive did not say. */
  present(fileIds: readonly string[]): Map<string, boolean | null>;
  /** Puts (or lifts) the hold marker on the files themselves. */
  markHold(fileIds: readonly string[], held: boolean): void;
}

/** The Recordings and Audit sheets of the log (R17, R18), written only by the automation. */
export interface RecordingsLog {
  registry(): RegisteredRecording[];
  /** Adds rows for recordings not yet registered (a retry adds nothing twice). */
  register(recordings: readonly NewRecording[]): void;
  markPurged(fileIds: readonly string[], text: string): void;
  /** Sets the Hold cell of every recording of the lesson. */
  setHold(lessonId: string, text: string): void;
  audit(entries: readonly AuditEntry[]): void;
  /** File ids that already have an audit row with this action. */
  audited(action: AuditAction): Set<string>;
  /** The Sessions row's Recording cells; returns the lessons whose row was found. */
  linkSessions(
    links: readonly { lessonId: string; recording: string; purgeDue: string }[],
  ): string[];
}

export interface Hold {
  lessonId: string;
  by: string;
  at: number;
  reason: string;
}

export interface HoldEvent extends Hold {
  action: 'hold' | 'release';
}

/** Where a purge stands, so a run cut off at 6 minutes resumes without deleting twice or skipping. */
export interface PurgeCheckpoint {
  /** Sent for deletion; the answer has not been recorded. */
  inflight: string[];
  /** Deleted; not yet audited and marked in the registry. */
  gone: string[];
}

/** The recordings jobs' own small state (script properties). */
export interface RecordingsState {
  pending(): CollectionEntry[];
  /** Lessons queued or already finished (the finished are remembered while lessons stay in the store). */
  known(): Set<string>;
  put(entry: CollectionEntry): void;
  finish(entry: CollectionEntry): void;
  /** Forgets finished lessons that started before `before` (they have left the store). */
  pruneFinished(before: number): void;
  holds(): Map<string, Hold>;
  setHold(hold: Hold): void;
  clearHold(lessonId: string): void;
  holdEvents(): HoldEvent[];
  addHoldEvent(event: HoldEvent): void;
  holdEventsDone(events: readonly HoldEvent[]): void;
  checkpoint(): PurgeCheckpoint;
  saveCheckpoint(checkpoint: PurgeCheckpoint): void;
}

// ---------------------------------------------------------------------------------------------
// Incidents (R15) and oversight (R19).
// ---------------------------------------------------------------------------------------------

/** Incident reports waiting for the automation to put them in the Incidents sheet (R20). */
export interface IncidentQueue {
  enqueue(report: IncidentReport): void;
  pending(): IncidentReport[];
  done(reports: readonly IncidentReport[]): void;
}

/** Pupils removed from a lesson, until SLT close the follow-up (R15). */
export interface FollowUps {
  open(): FollowUp[];
  add(followUp: FollowUp): void;
  /** Closes the follow-ups of these incidents; returns how many were open. */
  close(incidentIds: readonly string[]): number;
}

/** The Incidents sheet (Appendices I-K of policy 004), written only by the automation. */
export interface IncidentLog {
  /**
   * Adds a row per report not yet there (a retry adds nothing twice), each checked against its
   * lesson's Sessions row (its teacher or second adult reported it); one Placement per report.
   */
  addIncidents(reports: readonly IncidentReport[]): Placement[];
}

/** Email that must be known to have left (the DSL hearing of an incident). */
export interface AlertMail {
  /** True when the email was handed to Google; false when it could not be sent. */
  alert(to: readonly string[], subject: string, body: string): boolean;
}

/** Any event in the user's calendar, to offer to make it a lesson. */
export interface CalendarEventInfo {
  title: string;
  start: number;
  end: number;
}

export interface EventReader {
  /** The event as the user sees it; null when it cannot be read (deleted, all-day, not theirs). */
  read(user: string, calendarId: string, eventId: string): CalendarEventInfo | null;
}

/** The Dashboard sheet SLT open first (R19), and the sheets it is computed from. */
export interface DashboardSheet {
  /** The Sessions and Incidents sheets as records keyed by their headers. */
  read(): { sessions: SheetRecord[]; incidents: SheetRecord[] };
  /** Draws the blocks; false when they are what was drawn last (nothing written). */
  write(blocks: readonly DashboardBlock[], now: number): boolean;
}
