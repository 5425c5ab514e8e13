// The product's view of the outside world, in its own words. Adapters (src/adapters)
// implement these over Apps Script and Google's APIs; tests run them over the
// simulated Workspace. Every method that acts "as" someone takes their email: the
// adapter decides how (the user's own token, or domain-wide delegation).

import type { DashboardBlock, SheetRecord } from './dashboard';
import type { ClearedFollowUp, FollowUpSheetRow } from './follow-ups';
import type { HealthState, JobName, PlaceState } from './health';
import type { FollowUp, IncidentReport } from './incident';
import type { Lesson, Room } from './lesson';
import type { MailDay } from './mail-ledger';
import type { Urgency } from './mail-plan';
import type { CallParticipant } from './participants';
import type {
  AuditAction,
  AuditEntry,
  CollectionEntry,
  FoundRecordings,
  NewRecording,
  RecordingTally,
  RoomCall,
} from './recording';
import type { DueCandidate, RegisteredRecording } from './retention';
import type { PurgeMode } from './settings';
import type { TeacherLogEntry } from './teacher-log';

export interface Clock {
  now(): number;
  /** Waits (Apps Script's Utilities.sleep), for a lesson another run holds for a few seconds. */
  sleep?(ms: number): void;
}

/** Operator log lines (script logs): lesson ids, counts and failure kinds only, never pupil data (R20). */
export interface OpsLog {
  info(message: string): void;
  warn(message: string): void;
}

/** A run's time budget, shared by the use case that sets it and the adapters that respect it. */
export interface WorkBudget {
  /** Stop starting new Google requests after this time (ms since epoch); Infinity: no limit. */
  stopAt: number;
}

/** A run's budget and its clock: an adapter starts no call once the budget is spent. */
export interface Deadline {
  budget: WorkBudget;
  now(): number;
}

/** How full the script-properties store is, and the lessons' share of it (R28). */
export interface StoreUsage {
  bytes: number;
  limit: number;
  /** Lessons may take `limit` of the store; past it a new lesson is refused. */
  lessons: { bytes: number; limit: number; count: number };
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
  /** How full the store is (bytes of its limit), where the store can say. */
  usage?(): { bytes: number; limit: number };
}

/** Mutual exclusion between executions (two triggers at once, a teacher and the automation). */
export interface Mutex {
  /** Runs `fn` holding the script-wide lock; undefined when the lock could not be had in time. */
  run<T>(fn: () => T, waitMs: number): { ok: true; value: T } | { ok: false };
}

export interface RoomSettings {
  accessType: 'RESTRICTED' | 'TRUSTED';
  /** Meet records the call automatically (R16); per lesson, as the school's recording setting says (R25). */
  autoRecording: boolean;
  /** R9: people join as viewers (no microphone or camera) until the teacher lets them contribute. */
  pupilsJoinAsViewers?: boolean;
}

export interface CallNow {
  conference: string;
  /** Who is in the call now. */
  participants: CallParticipant[];
  /**
   * Who was in this call and has left, with when they last left (R21: when the last member of
   * staff left; R22: an outsider gone before the look still counts). Absent: not read.
   */
  departed?: CallParticipant[];
}

/** What Meet kept of a room's calls, read once when the lesson closes (R14, R16). */
export interface RoomHistory {
  /** Every call the room had, with its times, so recordings need not list them again (R16). */
  conferences: RoomCall[];
  /** Everyone who joined any of them, with their times. */
  participants: CallParticipant[];
}

/**
 * Google Meet, as the lesson sees it. Every method takes a list: one lesson (a teacher's click)
 * and 300 (every class at 09:00) are the same call, sent as parallel requests in bounded chunks.
 * Answers line up with the requests; a request that failed answers with its Error.
 */
export interface Rooms {
  /** Fresh Meet spaces, each owned by its `host`, with the safe configuration (R7-R9, R16). */
  create(requests: readonly { host: string; settings: RoomSettings }[]): (Room | Error)[];
  /**
   * R21: makes each named member of staff a member of the room, so that they come in without
   * knocking (back to the pupils when the teacher has dropped out too), with no host powers.
   * Null where it was done (or they already were one), else Meet's refusal.
   */
  addMembers(requests: readonly { host: string; room: Room; email: string }[]): (Error | null)[];
  /**
   * Who is in each room's call right now (R6, R14), keyed by space; `null` for a room with no
   * call. A room whose look failed answers with its Error (a 'cannot-act-as' one: Google refuses
   * the host's account). A look takes up to three rounds of requests (the hosts' tokens, the
   * rooms, who is in each call); `stopIf` is asked before each, and once it says so the rooms
   * not yet answered are left out of the map, unlooked at (a safety step has come due).
   * `askAgain` (R21: a look at pupils without staff, as urgent as the safety steps) asks again
   * for a host's token that Google failed to issue earlier in the run for a passing reason.
   */
  whoIsIn(
    requests: readonly { host: string; room: Room; conference: string | null }[],
    stopIf?: () => boolean,
    options?: { askAgain?: boolean },
  ): Map<string, CallNow | null | Error>;
  /** Ends each call for everyone and locks its room so nobody can re-enter (R10). */
  endAndLock(requests: readonly { host: string; room: Room }[]): EndAnswer[];
  /** R9: the teacher may let pupils chat. */
  setChat(host: string, room: Room, pupilsMayChat: boolean): void;
  /** Each room's calls and everyone who joined them (R14), keyed by space. */
  history(requests: readonly { host: string; room: Room }[]): Map<string, RoomHistory | Error>;
}

/**
 * What Meet answered when one call was ended and its room locked: each refusal, or null when it
 * was done. A call that had already ended (or never started) counts as ended.
 */
export interface EndAnswer {
  end: Error | null;
  lock: Error | null;
}

export interface StreamPost {
  text: string;
  url: string;
  title: string;
  /** A marker the post carries so it can be found again after a lost answer. */
  marker: string;
}

/** One lesson's post on its course stream, as the teacher made it. */
export interface PostRef {
  teacher: string;
  courseId: string;
  postId: string;
}

/**
 * The Classroom course stream (R6, R7, R10). Lists in, answers out in the same order: one post
 * and 300 go the same way.
 */
export interface ClassStream {
  /**
   * Posts each link; each answer is the post's id or the failure. A failed post may still have
   * been made (a lost answer): find it by its marker before posting again.
   */
  post(
    items: readonly { teacher: string; courseId: string; post: StreamPost }[],
  ): (string | Error)[];
  /** The id of this product's post carrying each marker, null when there is none (after a lost answer). */
  find(
    items: readonly { teacher: string; courseId: string; marker: string }[],
  ): (string | null | Error)[];
  /** Deletes each post; null when it is gone (a post already deleted counts as gone). */
  remove(items: readonly PostRef[]): (Error | null)[];
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
  /**
   * The classes `actingAs` can see (their own) in which `email` is a pupil: none for an address
   * Classroom does not know. Classroom shows a teacher only the classes they are in, so a pupil
   * of someone else's class is not found here.
   */
  classesWithPupil(actingAs: string, email: string): Course[];
  /**
   * Whether the school's administrator verified `user` as a teacher in Classroom (R5), as their
   * own profile says, read as them. A failed read throws: it is never taken as a yes.
   */
  isVerifiedTeacher(user: string): boolean;
  /**
   * Many classes' pupils (or, with `of: 'teachers'`, teachers) at once, keyed by course id: read
   * from Classroom when `fresh` or not yet known, else what was read then (kept `keepSeconds`,
   * under the names `pupils` and `teachers` keep theirs). A failed read is its Error. Pupils are
   * read fresh at the room's opening; co-teachers are recorded on the lesson when it is
   * scheduled, and the class's teachers read again only for someone who may be a cover
   * (call-people.ts, cover.ts).
   */
  rosters(
    requests: readonly { actingAs: string; courseId: string }[],
    options: { fresh: boolean; keepSeconds: number; of?: 'pupils' | 'teachers' },
  ): Map<string, Person[] | Error>;
}

/** The school's directory: is this account one of ours (R14 external participants)? */
export interface SchoolDirectory {
  /** The account's email when it belongs to the school's domain, else null. */
  schoolAccount(userId: string): string | null;
  /**
   * Many accounts at once, keyed by account id: the school email, null for an account outside
   * the school, or the Error when the directory could not say (R22: "unverified").
   */
  lookup(userIds: readonly string[]): Map<string, string | null | Error>;
  /**
   * The account ids of named staff (the second adult, SLT, DSL, approvers), keyed by email: null
   * for an address the directory does not know, the Error when it could not say. Kept long, so
   * staff are recognised in a call even while the directory is failing (R11).
   */
  accountIds(emails: readonly string[]): Map<string, string | null | Error>;
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
  /**
   * The lesson id in the event's private extended property on this calendar. Empty for a deleted
   * event (Calendar returns only its id and status) and for a guest's copy (private properties
   * belong to one calendar's copy); anyone can type one into an event, so it proves nothing.
   */
  lessonId: string;
  eventId: string;
  cancelled: boolean;
  start: number;
  end: number;
  /**
   * The event's guests (lower case), but for its organiser: the product adds only the second
   * adult; the teacher may add others in Calendar. Empty for a deleted event.
   * doc: https://developers.google.com/workspace/calendar/api/v3/reference/events#attendees
   */
  guests: string[];
}

/** Events changed on one person's own calendar, and how to keep the place reached. */
export interface CalendarChanges {
  changes: CalendarChange[];
  /** The sync token had expired (410), so the whole calendar was read again. */
  restarted: boolean;
  /** Keeps the place reached (the sync token), so these are not read again: call it once all are applied. */
  commit(): void;
}

/** The teacher's Google Calendar (R1, R5). */
export interface LessonCalendar {
  create(teacher: string, event: LessonEvent): string;
  /** Events changed on `owner`'s own calendar since the place last kept (a 410 starts a full sync). */
  changes(owner: string): CalendarChanges;
}

/** Where the teacher and the second adult find the room link: the lesson's own Calendar event (R5, R7). */
export interface LessonEvents {
  /**
   * Writes each room's link onto its lesson's event in the teacher's calendar (pupils are never
   * guests, so it reaches only staff). Answers line up: null when done, else the failure.
   */
  showRoom(
    items: readonly { teacher: string; eventId: string; link: string; note: string }[],
  ): (Error | null)[];
}

/** An email the product means to send, as data, so pure code can decide it (R3, R12, R14, R15, R28). */
export interface Notice {
  to: string[];
  subject: string;
  body: string;
  /** 'now' for what a person must act on at once; 'soon' (the default) for the rest. */
  urgency?: Urgency;
}

export interface NoticeOptions {
  /** 'now': sent at once (and retried every few minutes until it leaves); 'soon' (default): queued. */
  urgency?: Urgency;
  /** What the notice is about, for the Mail sheet and the counts; from the subject when absent. */
  kind?: string;
}

/** What one flush of the mail queue did. */
export interface MailFlushReport {
  /** Emails handed to MailApp (each may carry several notices). */
  emails: number;
  /** Notices that reached every recipient. */
  notices: number;
  failed: number;
  /** Notices still in the queue. */
  waiting: number;
  /** The day's counts after the flush (null when the queue was not read). */
  today: MailDay | null;
}

/**
 * Email to SLT, the DSL and teachers (R3, R12, R14, R15), through a durable queue (issue 9):
 * `send` stores the notice (a 'now' one also tries to leave at once); `flush` sends what is
 * due, retrying with back-off, within the day's budget. Never call it holding the script lock.
 */
/** One notice to queue: who, what, and how soon (NoticeOptions). */
export interface OutgoingNotice extends NoticeOptions {
  to: readonly string[];
  subject: string;
  body: string;
}

export interface Notifier {
  send(to: readonly string[], subject: string, body: string, options?: NoticeOptions): void;
  /**
   * Notices raised together (one step of a run, for every lesson it acted on): all queued, then
   * the alerts among them sent at once in one go, so that a reader who has many at the same
   * moment gets them together (mail-plan ALERTS_GROUPED_OVER) and no later than one by one.
   * `hold`: queued now, but the alerts wait for `release` (a link to take down or a call to
   * end first: sending can wait a minute on MailApp).
   */
  sendAll(notices: readonly OutgoingNotice[], options?: { hold?: boolean }): void;
  /** Sends at once, together, the alerts queued with `hold` (the queue keeps them meanwhile). */
  release(): void;
  /**
   * Sends what is due, starting nothing after `stopAt`; never throws for a Google failure.
   * `record: false` keeps what was sent in the store for a later run to write into the log's
   * Mail sheet (the minute monitor leaves that to the hourly job: a Sheets call saved a run).
   */
  flush(stopAt: number, options?: { record?: boolean }): MailFlushReport;
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
  /**
   * Batched, one round of requests for many rooms, keyed by space; a room that failed maps to
   * its Error. With `conferences` (and their times) known, the room's calls are not listed again.
   */
  find(
    requests: readonly { host: string; space: string; conferences?: readonly RoomCall[] }[],
  ): Map<string, FoundRecordings | Error>;
  /**
   * Who was in each of a room's calls (ended ones), as the room's owner: each participant's
   * Google account id, or null for a guest or a caller. Asked only of a call that left no recording.
   */
  peopleIn(host: string, conferences: readonly string[]): Map<string, (string | null)[] | Error>;
}

export type CollectOutcome =
  /** `from`: the other shared drive it was taken back from (its name), when it was in one. */
  | { kind: 'moved'; fileId: string; name: string; createdAt: number; from?: string }
  /** Deleted (or trashed and emptied) before it could be collected. */
  | { kind: 'missing'; fileId: string }
  /** Moved somewhere its owner can no longer move it from (another shared drive). */
  | { kind: 'elsewhere'; fileId: string; detail: string }
  /** Drive refused (403) to let the owner read or move it: it stays where it is; try again later. */
  | { kind: 'refused'; fileId: string; detail: string }
  /** The safeguarding shared drive or its Recordings folder is gone: nothing can be collected. */
  | { kind: 'no-vault'; detail: string };

/** What a purge request did to one file. */
export type RemoveResult = 'removed' | 'already-gone' | 'retry' | 'refused';

/** The safeguarding folder on the school's shared drive. */
export interface RecordingsVault {
  /**
   * Moves a recording out of its owner's Drive into the folder, as the owner (only an owner may
   * move a file into a shared drive), renamed and marked as ours, with no sharing of its own left.
   * Moving a file already there again is a no-op that answers "moved".
   */
  collect(
    owner: string,
    fileId: string,
    name: string,
    lessonId: string,
    lessonEndedAt?: number,
  ): CollectOutcome;
  /**
   * Marked files in the folder made before `cutoff` and not trashed: one server-side query; and
   * `late` (registered files made after the cutoff for a lesson before it), asked for by id.
   */
  due(cutoff: number, late?: readonly string[]): DueCandidate[];
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
  /** Rewrites the Purge Due cells: Recordings rows by file id, Sessions rows by lesson id. */
  showPurgeDue(byFile: ReadonlyMap<string, string>, byLesson: ReadonlyMap<string, string>): void;
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
  /** Lessons with a call recorded or not, for setup's health check. */
  tally(): RecordingTally;
  saveTally(tally: RecordingTally): void;
  /** When an alert (e.g. "the shared drive is missing") was last sent, so it is sent once a day. */
  lastAlert(key: string): number | null;
  setLastAlert(key: string, at: number): void;
  /** The retention (days) the log's Purge Due cells were last written for; null before any. */
  shownRetention(): number | null;
  setShownRetention(days: number): void;
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
  /**
   * R23: SLT cleared the mark (in the Follow-ups sheet or the sidebar): it leaves the open list
   * and is kept, with who and when, until the log has it. False when it was not open.
   */
  clear(incidentId: string, by: string, at: number, how: ClearedFollowUp['how']): boolean;
  /** Clearings not yet written to the Follow-ups sheet. */
  cleared(): ClearedFollowUp[];
  /** The Follow-ups sheet has these clearings. */
  clearedLogged(incidentIds: readonly string[]): void;
}

/** The log's Follow-ups sheet (R23): SLT's Status and Cleared By read, the rest written. */
export interface FollowUpSheet {
  read(): FollowUpSheetRow[];
  /** Rewrites each incident's row (by Incident ID), appending new ones. */
  write(rows: ReadonlyMap<string, readonly (string | number)[]>): void;
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
  /**
   * True when the email was handed to Google now; false when it could not be sent now (it is
   * then queued and retried every few minutes until it leaves).
   */
  alert(to: readonly string[], subject: string, body: string): boolean;
  /**
   * Why the last alert could not be sent now, in words for the person who raised it, when it is
   * known to wait for something other than a retry (the sending account's quota is spent).
   */
  heldBecause?(): string | null;
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

// ---------------------------------------------------------------------------------------------
// R28: the product's own plumbing, watched (health.ts): nothing fails silently.
// ---------------------------------------------------------------------------------------------

/** The health record: one small script property, read and written under the script lock. */
export interface HealthStore {
  read(): HealthState | null;
  write(state: HealthState): void;
}

/**
 * A few hours' memory outside the script-properties store (CacheService in Apps Script, which
 * keeps a value at most six hours and may drop it sooner): what was told when the store itself
 * refused to record it, so a full store is told to the admin without a mail every minute.
 */
export interface ShortMemory {
  get(key: string): string | null;
  put(key: string, value: string, seconds: number): void;
}

/** What a look at the log spreadsheet or the safeguarding shared drive found. */
export interface PlaceCheck {
  state: PlaceState;
  /** A few words from Google; never personal data. */
  detail: string;
}

/** The automation's own set-up, looked at and mended by the automation account. */
export interface Plumbing {
  /** Of these jobs, those whose trigger is not installed. */
  missingTriggers(jobs: readonly JobName[]): JobName[];
  /** Installs the job's trigger again, as setup does; false when Apps Script refused. */
  reinstall(job: JobName): boolean;
  /** The log spreadsheet: there, in its owner's Bin, or not to be opened. Null: no log yet. */
  checkLog(): PlaceCheck | null;
  /**
   * The log spreadsheet's cells as Google counts them against its 10 million (every sheet's rows
   * times columns). Null: no log yet, or it could not be looked at now.
   */
  logCells(): number | null;
  /** The safeguarding shared drive. Null: not set up yet. */
  checkDrive(): PlaceCheck | null;
  /** Asks for a fresh delegated token for `user`; what it found reaches the run's observation. */
  checkDelegation(user: string): void;
}

/** The log's Status sheet (R28), written only by the automation. */
export interface StatusSheet {
  write(rows: readonly (readonly string[])[]): void;
}
