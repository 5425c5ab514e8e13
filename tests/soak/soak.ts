// The soak itself, shared by `npm run soak` and a smaller jest test: a school's lessons over
// simulated days with a fraction of Google calls failing, people behaving as people do
// (teachers write their log and now and then report an incident from the sidebar; now and then
// a teacher drops out of the call, alone or with the second adult, R21), and the
// safety invariants checked every simulated minute (invariants.ts). At the end it counts what
// the log spreadsheet and the outbox hold against what happened.

import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { type PlannedLesson, Timetable } from '../e2e/timetable';
import { seededRandom } from '../sim/kernel/faults';
import { InvariantWatch, type Violation, type ViolationKind } from './invariants';
import {
  balanceNotices,
  emailKind,
  type NoticeBalance,
  type NoticeKind,
  noticesDue,
  noticesOf,
  noticesSent,
  noticesThatMay,
  type SentNotice,
} from './notices';

export interface SoakOptions {
  lessons: number;
  faultRate: number;
  seed: number;
  /** School days simulated (Monday onwards); the week by default. */
  days?: number;
  /**
   * Watches the simulated school (to trace a violation): called once the lessons are scheduled,
   * before the faults start; what it returns is called when the run is over.
   */
  observe?: (school: DeployedSchool) => (() => void) | undefined;
}

/** What the log and the outbox hold against what happened. */
export interface SoakCounts {
  sessions: {
    lessons: number;
    rows: number;
    missing: number;
    duplicate: number;
    notClosed: number;
  };
  attendance: { pupilsJoined: number; rowsPresent: number; missing: number; extra: number };
  /** Log entries teachers were told were sent, those in Sessions, and those sent but not there. */
  teacherEntries: { submitted: number; inLog: number; lost: number };
  /** `duplicate`: rows beyond one per report; `dslNotEmailed`: the teacher was told to go in person. */
  incidents: {
    reported: number;
    inLog: number;
    lost: number;
    duplicate: number;
    dslNotEmailed: number;
  };
  emails: Record<string, number>;
  notices: Record<NoticeKind, NoticeBalance>;
}

export interface SoakResult {
  lessons: number;
  days: number;
  ticks: number;
  faultsInjected: number;
  overlappingRuns: number;
  failedExecutions: number;
  /** Each failed execution: its function and the error's name and first line (no people). */
  failures: string[];
  /** Invariants, each a count of lessons; every one should be 0. */
  lostLogRows: number;
  duplicateAnnouncements: number;
  linksLiveAfterEnd: number;
  withdrawalsLate: number;
  callsPastEnd: number;
  /** Lessons whose pupils stayed in the call past staffAbsentEndMinutes + 2 after staff left. */
  leftAloneTooLong: number;
  /** Lessons whose call was ended early after their teacher came back in (R21). */
  endedWithStaffBack: number;
  /** Lessons whose link, taken down while pupils were alone, did not go back up for the teacher back in time. */
  linkNotBack: number;
  roomsOpenAfterEnd: number;
  stuckLessons: number;
  sharedLate: number;
  /** Each invariant breach with its lesson and the minute it was first seen. */
  violations: Violation[];
  counts: SoakCounts;
  /** Sidebar clicks that failed outright (the teacher tries again the next minute). */
  sidebarErrors: number;
  /** Lessons whose incident took more than one click: what each click showed the teacher. */
  incidentRetries: Record<string, string[]>;
  runs: {
    count: number;
    skipped: number;
    stoppedEarly: number;
    longestMs: number;
    retryLater: number;
  };
  /** Seconds from the teacher joining to the link on Classroom. */
  shareDelay: { p50: number; p95: number; max: number };
  /**
   * Staff drop-outs (R21): lessons whose teacher left, those where nobody from the school was
   * left with the pupils, those whose teacher came back in, and the longest anyone stayed in
   * such a call with no staff (seconds, from Meet's record; null: someone was still in one
   * when the run ended).
   */
  dropOuts: {
    teacherLeft: number;
    pupilsLeftAlone: number;
    teacherBack: number;
    longestAloneSeconds: number | null;
  };
}

const DAY = 24 * 60 * MIN;
/** Monday 23 November 2026, 07:30 London (GMT): teachers plan their lessons before school. */
const MONDAY_MORNING = Date.UTC(2026, 10, 23, 7, 30);
const MONDAY = Date.UTC(2026, 10, 23);
/** The run goes on this long after the last lesson: closing, the log and late steps settle. */
const SETTLE_AFTER_LAST_MINUTES = 3 * 60;
/** A teacher writes their log this long after the lesson's end, if they write it at all. */
const LOG_AFTER_END_MINUTES = 5;
/** An incident is reported this far into the lesson. */
const INCIDENT_AT_MINUTE = 12;
/** Staff who drop out of a call leave this far into the lesson. */
const DROP_OUT_AT_MINUTE = 12;
/** A teacher whose connection dropped comes back this long after leaving: within the 3 minutes. */
const BACK_AFTER_MINUTES = 2.5;
/** A teacher gives up on a sidebar action after this many failed clicks. */
const MAX_TRIES = 5;

interface Chores {
  writesLog: boolean;
  reportsIncident: boolean;
  logTries: number;
  incidentTries: number;
  logSent: boolean;
  incidentSent: boolean;
  incidentEmailFailed: boolean;
  /** What each incident click showed the teacher (a notification, or the error). */
  incidentAttempts: string[];
}

export function runSoak(options: SoakOptions): SoakResult {
  const random = seededRandom(options.seed);
  const days = options.days ?? 5;
  const perDay = Math.ceil(options.lessons / days);
  // Two lessons a teacher a day, in slots from 09:00 to 15:00.
  const teachers = Math.max(1, Math.ceil(perDay / 2));
  const school = new DeployedSchool({
    teachers,
    pupilsPerCourse: 10,
    start: MONDAY_MORNING,
    seed: options.seed,
  });
  const { ws } = school;
  const everyone = school.school.courses.flatMap((c) => c.pupils);
  ws.sheets.editAsUser(
    school.school.automation.email,
    school.logId,
    `Consent!A2:C${everyone.length + 1}`,
    everyone.map((p) => [p.email, p.name, 'yes']),
  );

  // SLT filled the register before the day: the product reads it into its snapshot hourly,
  // so one housekeeping run now stands for the one that would have run overnight.
  school.run('hourlyHousekeeping', {}, school.school.automation.email, 'trigger');

  const table = new Timetable(school);
  const chores = new Map<PlannedLesson, Chores>();
  let n = 0;
  for (let day = 0; day < days && n < options.lessons; day++) {
    for (let i = 0; i < perDay && n < options.lessons; i++, n++) {
      const course = school.school.courses[i % teachers]!;
      const slot = (Math.floor(i / teachers) * 3 + ((i % teachers) % 3)) % 12; // spread over the day
      const start = MONDAY + day * DAY + 9 * 60 * MIN + slot * 30 * MIN;
      const roll = random();
      // Drop-outs (R21), from rolls no other event uses (so the other draws are as before):
      // the teacher leaves at 12 minutes with the second adult staying on, or the second adult
      // leaves at 11 and the teacher at 12, leaving the pupils with nobody from the school;
      // in some of those the teacher's connection comes back two and a half minutes later.
      const staffLeave =
        roll >= 0.15 && roll < 0.18
          ? { teacher: DROP_OUT_AT_MINUTE }
          : roll >= 0.18 && roll < 0.27
            ? { assistant: DROP_OUT_AT_MINUTE - 1, teacher: DROP_OUT_AT_MINUTE }
            : undefined;
      const staffBack =
        roll >= 0.24 && roll < 0.27
          ? { teacher: DROP_OUT_AT_MINUTE + BACK_AFTER_MINUTES }
          : undefined;
      const plan = table.add({
        course,
        // "#n." so that no title is the start of another (Lesson #1. / Lesson #10.).
        title: `Lesson #${n + 1}.`,
        start,
        minutes: 30,
        teacherJoins: roll < 0.05 ? null : roll < 0.15 ? 1 + Math.floor(random() * 6) : -3,
        pupils: course.pupils.slice(0, 3 + Math.floor(random() * 7)),
        intruder: roll > 0.97 ? { anonymous: 'Uninvited guest' } : null,
        ...(staffLeave ? { staffLeave } : {}),
        ...(staffBack ? { staffBack } : {}),
      });
      // Most teachers write their log; a few report an incident during the lesson.
      const chore = random();
      chores.set(plan, {
        writesLog: chore < 0.6,
        reportsIncident: chore > 0.96,
        logTries: 0,
        incidentTries: 0,
        logSent: false,
        incidentSent: false,
        incidentEmailFailed: false,
        incidentAttempts: [],
      });
    }
  }
  const scheduled = table.lessons.filter((l) => l.lessonId);
  // The school's settings as setup stored them (script properties).
  const settings = JSON.parse(ws.properties.scriptStore().settings ?? '{}') as Record<
    string,
    unknown
  >;
  const watch = new InvariantWatch(ws, table, scheduled, {
    withdrawBeforeEndMinutes: Number(settings.withdrawBeforeEndMinutes ?? 5),
    endGraceMinutes: Number(settings.endGraceMinutes ?? 2),
    staffAbsentEndMinutes: Number(settings.staffAbsentEndMinutes ?? 3),
  });

  const finishObserving = options.observe?.(school);
  // From now on, a fraction of Google calls fail.
  ws.kernel.faults.rate(options.faultRate, [429, 500, 'timeout', 'lost-response']);
  let ticks = 0;
  let overlapping = 0;
  let sidebarErrors = 0;
  const runs = { count: 0, skipped: 0, stoppedEarly: 0, longestMs: 0, retryLater: 0 };
  const advance = school.advance.bind(school);
  school.advance = (ms, onRun) =>
    advance(ms, (name, result) => {
      if (name === 'monitorTick') {
        runs.count += 1;
        const report = result.value as
          | { skipped?: boolean; stoppedEarly?: boolean; retryLater?: number }
          | undefined;
        if (report?.skipped) runs.skipped += 1;
        if (report?.stoppedEarly) runs.stoppedEarly += 1;
        runs.retryLater += report?.retryLater ?? 0;
        runs.longestMs = Math.max(
          runs.longestMs,
          (result.execution.endedAt ?? result.execution.startedAt) - result.execution.startedAt,
        );
      }
      onRun?.(name, result);
    });
  const failedBefore = ws.kernel.failures.length;
  const lastEnd = Math.max(...table.lessons.map((l) => l.start + l.minutes * MIN));
  const end = lastEnd + SETTLE_AFTER_LAST_MINUTES * MIN;
  table.runUntil(end, () => {
    ticks += 1;
    watch.check();
    sidebarErrors += doChores(school, table, chores);
    // Now and then a second monitor run starts while one is mid-call (two triggers at once).
    if (ticks % 97 === 0) {
      ws.kernel.duringCall('meet.*', () => {
        overlapping += 1;
        school.tryRun('monitorTick', {}, school.school.automation.email, 'trigger');
      });
    }
  });
  watch.audit();
  const invariants = watch.counts();
  finishObserving?.();

  return {
    ...measure(school, scheduled, table),
    ...invariantFields(invariants),
    violations: watch.violations.sort((a, b) => a.at - b.at),
    counts: count(school, scheduled, table, chores, watch, settings.approvalRequired === true),
    sidebarErrors,
    dropOuts: {
      teacherLeft: scheduled.filter((p) => p.staffLeave?.teacher !== undefined).length,
      pupilsLeftAlone: scheduled.filter((p) => leftAlone(table, p)).length,
      teacherBack: scheduled.filter((p) => table.teacherBack(p)?.joined).length,
      longestAloneSeconds: Number.isFinite(watch.longestAloneMs)
        ? Math.round(watch.longestAloneMs / 1000)
        : null,
    },
    incidentRetries: Object.fromEntries(
      [...chores]
        .filter(([, c]) => c.incidentAttempts.length > 1)
        .map(([plan, c]) => [plan.lessonId!, c.incidentAttempts]),
    ),
    runs,
    lessons: scheduled.length,
    days,
    ticks,
    faultsInjected: ws.kernel.faults.injected.length,
    overlappingRuns: overlapping,
    failedExecutions: ws.kernel.failures.length - failedBefore,
    failures: ws.kernel.failures.slice(failedBefore).map(({ execution, error }) => {
      const e = error as { name?: string; message?: string };
      const line = String(e?.message ?? error)
        .split('\n')[0]!
        .slice(0, 160);
      return `${execution.functionName}${execution.killed ? ` (killed at its ${execution.kind === 'card' ? '30-second' : '6-minute'} limit)` : ''}: ${e?.name ?? 'Error'}: ${line}`;
    }),
  };
}

function invariantFields(c: Record<ViolationKind, number>) {
  return {
    linksLiveAfterEnd: c['link-live-after-end'],
    withdrawalsLate: c['withdrawal-late'],
    callsPastEnd: c['call-past-end'],
    leftAloneTooLong: c['left-alone-too-long'],
    endedWithStaffBack: c['ended-with-staff-back'],
    linkNotBack: c['link-not-back'],
  };
}

/** The last member of staff left the call with pupils still in it (R21). */
function leftAlone(table: Timetable, plan: PlannedLesson): boolean {
  return (table.staffGone(plan)?.othersIn.length ?? 0) > 0;
}

/** Of those, the teacher came back into the call (`staffBack`). */
function cameBack(table: Timetable, plan: PlannedLesson): boolean {
  return leftAlone(table, plan) && table.teacherBack(plan)?.joined === true;
}

/** Teachers' sidebar work this minute; returns how many clicks failed outright. */
function doChores(
  school: DeployedSchool,
  table: Timetable,
  chores: Map<PlannedLesson, Chores>,
): number {
  const now = school.ws.now();
  let errors = 0;
  for (const [plan, c] of chores) {
    const id = plan.lessonId;
    if (!id) continue;
    const end = plan.start + plan.minutes * MIN;
    const sidebar = school.sidebar(plan.course.teacher.email);
    const pupil = table.pupilsIn(plan)[0];
    if (
      c.reportsIncident &&
      !c.incidentSent &&
      c.incidentTries < MAX_TRIES &&
      pupil &&
      now >= plan.start + INCIDENT_AT_MINUTE * MIN
    ) {
      c.incidentTries += 1;
      try {
        const form = sidebar.next(sidebar.click(sidebar.lessonCard(id), 'Report an incident'));
        const note = sidebar.note(
          sidebar.click(form, 'Send to the DSL', {
            person: pupil.email,
            role: 'O',
            nature: 'Inappropriate language or behaviour in the lesson',
            where: 'outside',
            details: `Soak: unkind words in the chat (lesson ${id}).`,
            action: 'warned',
          }),
        );
        // Recorded either way; when the DSL's email failed the teacher is told to go in person.
        c.incidentSent = /^(Sent to the DSL|Recorded)/.test(note);
        c.incidentEmailFailed = /^Recorded, but/.test(note);
        c.incidentAttempts.push(note);
      } catch (error) {
        errors += 1;
        c.incidentAttempts.push(`error: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (
      c.writesLog &&
      !c.logSent &&
      c.logTries < MAX_TRIES &&
      now >= end + LOG_AFTER_END_MINUTES * MIN
    ) {
      c.logTries += 1;
      try {
        const card = sidebar.lessonCard(id);
        const form = sidebar.next(sidebar.click(card, 'Write the lesson log'));
        const note = sidebar.note(
          sidebar.click(form, 'Send log', { technologyIssues: `Soak log for ${id}` }),
        );
        c.logSent = /sent to SLT/.test(note);
      } catch {
        errors += 1;
      }
    }
  }
  return errors;
}

function rowsOf(school: DeployedSchool, sheet: string): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, sheet);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

function count(
  school: DeployedSchool,
  lessons: PlannedLesson[],
  table: Timetable,
  chores: Map<PlannedLesson, Chores>,
  watch: InvariantWatch,
  approvalRequired: boolean,
): SoakCounts {
  const ids = new Set(lessons.map((l) => l.lessonId!));
  const sessions = rowsOf(school, 'Sessions').filter((r) => ids.has(String(r['Lesson ID'])));
  const perLesson = new Map<string, Record<string, unknown>[]>();
  for (const r of sessions) {
    const id = String(r['Lesson ID']);
    perLesson.set(id, [...(perLesson.get(id) ?? []), r]);
  }
  const attendance = rowsOf(school, 'Attendance');
  let pupilsJoined = 0;
  let rowsPresent = 0;
  let missing = 0;
  let extra = 0;
  for (const plan of lessons) {
    const joined = new Set(table.pupilsIn(plan).map((p) => p.name));
    const present = new Set(
      attendance
        .filter((r) => r['Lesson ID'] === plan.lessonId && r.Role === 'pupil' && r.Joined !== '')
        .map((r) => String(r.Name)),
    );
    pupilsJoined += joined.size;
    rowsPresent += present.size;
    for (const name of joined) if (!present.has(name)) missing += 1;
    for (const name of present) if (!joined.has(name)) extra += 1;
  }
  const incidents = rowsOf(school, 'Incidents').filter((r) => ids.has(String(r['Lesson ID'])));
  const logged = new Set(
    sessions
      // Entries are kept with who wrote them and when (issue 9): the text is in the cell.
      .filter((r) => String(r['Any Technology Issues']).includes(`Soak log for ${r['Lesson ID']}`))
      .map((r) => String(r['Lesson ID'])),
  );
  const due: SentNotice[] = [];
  const may: SentNotice[] = [];
  for (const plan of lessons) {
    const id = plan.lessonId!;
    const c = chores.get(plan)!;
    const facts = {
      lessonId: id,
      title: plan.title,
      outsiderJoined: table.intruderIn(plan),
      incidentsReported: c.incidentSent ? 1 : 0,
      linkLiveAtEnd: watch.liveAtEnd.has(id),
      pupilsLeftAlone: leftAlone(table, plan) && !cameBack(table, plan),
      pupilsAloneTillStaffBack: cameBack(table, plan),
    };
    for (const kind of noticesDue(facts, { approvalRequired })) due.push({ kind, lessonId: id });
    for (const kind of noticesThatMay(facts)) may.push({ kind, lessonId: id });
  }
  const outbox = school.ws.mail.outbox();
  // Notices by kind, each notice of a grouped email counted; `emails-sent` is the emails.
  const emails: Record<string, number> = { 'emails-sent': outbox.length };
  for (const notice of outbox.flatMap(noticesOf))
    emails[emailKind(notice)] = (emails[emailKind(notice)] ?? 0) + 1;
  return {
    sessions: {
      lessons: lessons.length,
      rows: sessions.length,
      missing: lessons.filter((l) => !perLesson.has(l.lessonId!)).length,
      duplicate: [...perLesson.values()].filter((rows) => rows.length > 1).length,
      notClosed: sessions.filter((r) => !['closed', 'cancelled'].includes(String(r.Status))).length,
    },
    attendance: { pupilsJoined, rowsPresent, missing, extra },
    teacherEntries: {
      submitted: lessons.filter((l) => chores.get(l)!.logSent).length,
      inLog: lessons.filter((l) => logged.has(l.lessonId!)).length,
      lost: lessons.filter((l) => chores.get(l)!.logSent && !logged.has(l.lessonId!)).length,
    },
    incidents: {
      reported: lessons.filter((l) => chores.get(l)!.incidentSent).length,
      inLog: incidents.length,
      lost: lessons.filter(
        (l) => chores.get(l)!.incidentSent && !incidents.some((r) => r['Lesson ID'] === l.lessonId),
      ).length,
      duplicate: lessons.reduce(
        (n, l) =>
          n +
          Math.max(
            0,
            incidents.filter((r) => r['Lesson ID'] === l.lessonId).length -
              (chores.get(l)!.incidentSent ? 1 : 0),
          ),
        0,
      ),
      dslNotEmailed: lessons.filter((l) => chores.get(l)!.incidentEmailFailed).length,
    },
    emails,
    notices: balanceNotices(
      due,
      noticesSent(
        outbox,
        lessons.map((l) => ({ lessonId: l.lessonId!, title: l.title })),
      ),
      may,
    ),
  };
}

function measure(school: DeployedSchool, lessons: PlannedLesson[], table: Timetable) {
  const delays: number[] = [];
  const { ws } = school;
  let lostLogRows = 0;
  let duplicateAnnouncements = 0;
  let roomsOpenAfterEnd = 0;
  let stuckLessons = 0;
  let sharedLate = 0;
  const store = new Map(school.lessons().map((l) => [l.id, l]));
  for (const plan of lessons) {
    const id = plan.lessonId!;
    const row = school.sessionRow(id);
    if (!row || !['closed', 'cancelled'].includes(String(row.Status))) lostLogRows += 1;
    const stored = store.get(id) as
      | { status: string; end: number; room?: { meetingCode: string } | null }
      | undefined;
    if (stored && !['closed', 'cancelled'].includes(stored.status)) stuckLessons += 1;
    const posts = ws.classroom
      .allAnnouncements(plan.course.id)
      .filter((a) => (a.text ?? '').includes(`(lesson ${id})`));
    duplicateAnnouncements += Math.max(0, posts.length - 1);
    const code = stored?.room?.meetingCode;
    if (code) {
      const info = ws.meet.spaceInfo(code) as { config?: { entryPointAccess?: string } };
      if (info.config?.entryPointAccess !== 'CREATOR_APP_ONLY') roomsOpenAfterEnd += 1;
    }
    const created = posts[0]?.history.find((h) => h.action === 'created');
    const hostJoined = table.teacherJoinedAt(plan);
    if (created && hostJoined !== null) {
      const delay = Date.parse(created.at) - hostJoined;
      delays.push(delay / 1000);
      if (delay > MIN) sharedLate += 1;
    }
  }
  delays.sort((a, b) => a - b);
  const pick = (q: number) =>
    Math.round(delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0);
  return {
    lostLogRows,
    duplicateAnnouncements,
    roomsOpenAfterEnd,
    stuckLessons,
    sharedLate,
    shareDelay: {
      p50: pick(0.5),
      p95: pick(0.95),
      max: Math.round(delays[delays.length - 1] ?? 0),
    },
  };
}
