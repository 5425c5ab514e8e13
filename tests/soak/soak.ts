// The soak itself, shared by `npm run soak` and a smaller jest test.

import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { type PlannedLesson, Timetable } from '../e2e/timetable';
import { seededRandom } from '../sim/kernel/faults';

export interface SoakOptions {
  lessons: number;
  faultRate: number;
  seed: number;
  /** School days simulated (Monday onwards); the week by default. */
  days?: number;
}

export interface SoakResult {
  lessons: number;
  days: number;
  ticks: number;
  faultsInjected: number;
  overlappingRuns: number;
  failedExecutions: number;
  lostLogRows: number;
  duplicateAnnouncements: number;
  linksLiveAfterEnd: number;
  roomsOpenAfterEnd: number;
  stuckLessons: number;
  sharedLate: number;
  runs: {
    count: number;
    skipped: number;
    stoppedEarly: number;
    longestMs: number;
    retryLater: number;
  };
  /** Seconds from the teacher joining to the link on Classroom. */
  shareDelay: { p50: number; p95: number; max: number };
}

const DAY = 24 * 60 * MIN;
/** Sunday 22 November 2026, 18:00 London: teachers plan the week. */
const SUNDAY_EVENING = Date.UTC(2026, 10, 22, 18, 0);
const MONDAY = Date.UTC(2026, 10, 23);

export function runSoak(options: SoakOptions): SoakResult {
  const random = seededRandom(options.seed);
  const days = options.days ?? 5;
  const perDay = Math.ceil(options.lessons / days);
  // Two lessons a teacher a day, in slots from 09:00 to 15:00.
  const teachers = Math.max(1, Math.ceil(perDay / 2));
  const school = new DeployedSchool({
    teachers,
    pupilsPerCourse: 10,
    start: SUNDAY_EVENING,
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

  const table = new Timetable(school);
  let n = 0;
  for (let day = 0; day < days && n < options.lessons; day++) {
    for (let i = 0; i < perDay && n < options.lessons; i++, n++) {
      const course = school.school.courses[i % teachers]!;
      const slot = (Math.floor(i / teachers) * 3 + ((i % teachers) % 3)) % 12; // spread over the day
      const start = MONDAY + day * DAY + 9 * 60 * MIN + slot * 30 * MIN;
      const roll = random();
      table.add({
        course,
        title: `Lesson ${n + 1}`,
        start,
        minutes: 30,
        teacherJoins: roll < 0.05 ? null : roll < 0.15 ? 1 + Math.floor(random() * 6) : -3,
        pupils: course.pupils.slice(0, 3 + Math.floor(random() * 7)),
        intruder: roll > 0.97 ? { anonymous: 'Uninvited guest' } : null,
      });
    }
  }
  const scheduled = table.lessons.filter((l) => l.lessonId);

  // From now on, a tenth of Google calls fail.
  ws.kernel.faults.rate(options.faultRate, [429, 500, 'timeout', 'lost-response']);
  let ticks = 0;
  let overlapping = 0;
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
  const end = MONDAY + days * DAY;
  table.runUntil(end, () => {
    ticks += 1;
    // Now and then a second monitor run starts while one is mid-call (two triggers at once).
    if (ticks % 97 === 0) {
      ws.kernel.duringCall('meet.*', () => {
        overlapping += 1;
        school.tryRun('monitorTick', {}, school.school.automation.email, 'trigger');
      });
    }
  });

  return {
    ...measure(school, scheduled, table),
    runs,
    lessons: scheduled.length,
    days,
    ticks,
    faultsInjected: ws.kernel.faults.injected.length,
    overlappingRuns: overlapping,
    failedExecutions: ws.kernel.failures.length - failedBefore,
  };
}

function measure(school: DeployedSchool, lessons: PlannedLesson[], table: Timetable) {
  const delays: number[] = [];
  const { ws } = school;
  let lostLogRows = 0;
  let duplicateAnnouncements = 0;
  let linksLiveAfterEnd = 0;
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
    const lessonEnd = plan.start + plan.minutes * MIN;
    for (const post of posts) {
      const deleted = post.history.find((h) => h.action === 'deleted');
      if (!deleted || Date.parse(deleted.at) > lessonEnd) {
        linksLiveAfterEnd += 1;
        if (process.env.SOAK_DEBUG)
          console.log(
            'late withdrawal',
            id,
            new Date(lessonEnd).toISOString(),
            deleted?.at ?? 'never',
            post.history.map((h) => `${h.action}@${h.at}`).join(' '),
          );
      }
    }
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
    linksLiveAfterEnd,
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
