// Small helpers shared by the lesson scenario tests: schedule a lesson from the sidebar,
// get the teacher into the call, let pupils in, and read the lesson's flags.

import type { SimCourse } from '../sim/school';
import { PROPERTY_STORE_MAX_BYTES } from '../sim/services/properties';
import { DeployedSchool, MIN, monday, type Sidebar } from './deployed-school';

export interface Scheduled {
  course: SimCourse;
  teacher: Sidebar;
  lessonId: string;
}

/** Schedules a lesson from the teacher's sidebar (by default 10:00-10:30, with the TA named). */
export function scheduleFor(
  school: DeployedSchool,
  options: {
    course?: number;
    title?: string;
    start?: number;
    minutes?: number;
    secondStaff?: string | null;
  } = {},
): Scheduled {
  const course = school.school.courses[options.course ?? 0]!;
  const teacher = school.sidebar(course.teacher.email);
  const result = teacher.schedule({
    title: options.title ?? 'Phonics',
    start: options.start ?? monday(10),
    minutes: options.minutes ?? 30,
    secondStaff: options.secondStaff === undefined ? course.assistant.email : options.secondStaff,
    courseId: course.id,
  });
  if (!result.lessonId) throw new Error(`not scheduled: ${result.message}`);
  return { course, teacher, lessonId: result.lessonId };
}

/** The room's link once the automation has opened it (the teacher's card shows it). */
export function roomLink(school: DeployedSchool, s: Scheduled): string {
  const link = s.teacher.meetLink(s.lessonId);
  if (!link) throw new Error(`no room yet for ${s.lessonId} at ${new Date(school.ws.now())}`);
  return link;
}

/** The teacher joins and the automation shares the link within a minute. */
export function teacherJoinsAndShares(school: DeployedSchool, s: Scheduled): string {
  const link = roomLink(school, s);
  if (school.ws.meet.join(s.course.teacher.email, link) !== 'joined')
    throw new Error('the teacher could not join their own room');
  school.advance(MIN);
  return link;
}

/** Each person knocks and the teacher admits them (the waiting room, R8). */
export function admit(school: DeployedSchool, s: Scheduled, link: string, people: string[]): void {
  for (const who of people) {
    const outcome = school.ws.meet.join(who, link);
    if (outcome === 'knocking') school.ws.meet.admit(s.course.teacher.email, link, who);
    else if (outcome !== 'joined') throw new Error(`${who} was ${outcome}`);
  }
}

/** The flag codes in a Sessions row's Flags column ("code: detail" per line). */
export function flagCodes(row: Record<string, unknown> | undefined): string[] {
  return String(row?.Flags ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(':')[0]!.trim());
}

/** Every Classroom post ever made in the course (deleted ones included). */
export function everyPost(school: DeployedSchool, courseId: string) {
  return school.ws.classroom.allAnnouncements(courseId);
}

/**
 * Something else the automation account runs fills its script-properties store to the last byte
 * (8 KB values), so that every write the product tries from now on throws. Returns the keys it
 * added, to delete when the admin "makes room".
 */
export function fillScriptStore(school: DeployedSchool): string[] {
  const { ws } = school;
  const used = Object.entries(ws.properties.scriptStore()).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
    0,
  );
  const filler: string[] = [];
  for (let left = PROPERTY_STORE_MAX_BYTES - used; left > 0; ) {
    const key = `f:${filler.length}`;
    const size = Math.max(0, Math.min(8_000, left - key.length));
    ws.properties.seedScript({ [key]: 'x'.repeat(size) });
    filler.push(key);
    left -= key.length + size;
  }
  return filler;
}

/**
 * A 10:00 lesson with the school's `settings`: at 09:55 the teacher is in and has shared the
 * link, and the TA and the class are in the call.
 */
export function lessonWithClass(settings: Record<string, string> = {}) {
  const school = new DeployedSchool({ settings });
  const s = scheduleFor(school);
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
  return { school, s, link, ws: school.ws };
}

/** The automation's trigger handlers (setup installs one of each, as the automation account). */
export const AUTOMATION_JOBS = [
  'monitorTick',
  'hourlyHousekeeping',
  'collectRecordings',
  'purgeRecordings',
  'dailyDigest',
];

/**
 * Phonics 10:00-10:30 (class 0) and Spelling, class 1's, from `secondStart`, both scheduled at
 * 07:00; at 09:55 Phonics's teacher is in the call. `teachers`: how many classes the school has.
 */
export function twoLessonsTeacherInAt955(secondStart = monday(10, 30), teachers?: number) {
  const school = new DeployedSchool({ start: monday(7, 0), ...(teachers ? { teachers } : {}) });
  const { ws } = school;
  const a = scheduleFor(school, { title: 'Phonics' });
  const b = scheduleFor(school, { course: 1, title: 'Spelling', start: secondStart });
  school.advanceTo(monday(9, 55));
  const linkA = roomLink(school, a);
  if (ws.meet.join(a.course.teacher.email, linkA) !== 'joined')
    throw new Error('the teacher could not join their own room');
  const automation = school.school.automation.email;
  return { school, ws, automation, slt: school.school.slt.email, a, b, linkA };
}

/** Everything a card action could change: the store, Meet, Classroom, Calendar and mail. */
export function world(school: DeployedSchool, s: Scheduled) {
  const { ws } = school;
  const lesson = school.lessons().find((l) => l.id === s.lessonId)!;
  const link = lesson.room?.meetingUri;
  return JSON.stringify({
    store: ws.properties.scriptStore(),
    space: link ? ws.meet.spaceInfo(link) : null,
    inCall: link ? ws.meet.participantsNow(link) : [],
    spaces: ws.meet.spaces.size,
    posts: ws.classroom.allAnnouncements(s.course.id),
    events: ws.calendar.events(s.course.teacher.email),
    mail: ws.mail.outbox().length,
  });
}

/** The teacher reports from the lesson card that they removed a pupil for behaviour (R15, R23). */
export function reportRemovedPupil(s: Scheduled, pupil: string, details: string): unknown {
  const form = s.teacher.next(
    s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
  );
  return s.teacher.click(form, 'Send to the DSL', {
    person: pupil,
    role: 'O',
    nature: 'Inappropriate language or behaviour in the lesson',
    where: 'outside',
    details,
    action: 'removed',
  });
}
