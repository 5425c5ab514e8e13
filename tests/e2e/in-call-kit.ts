// What the in-call tests read back from the simulated Workspace: when each Classroom post was
// made and deleted, when the room's calls ended, who is in the call, and the lesson's own record
// as the product stored it. Only world state; nothing here asks the product anything.

import { type DeployedSchool, monday } from './deployed-school';

export interface PostLife {
  id: string;
  text: string;
  created: number;
  deleted: number | null;
}

/** Every post the product made in the course, with when it was created and deleted. */
export function postLives(school: DeployedSchool, courseId: string): PostLife[] {
  return school.ws.classroom.allAnnouncements(courseId).map((a) => {
    const at = (action: string) => {
      const entry = a.history.find((h) => h.action === action);
      return entry ? Date.parse(entry.at) : null;
    };
    return {
      id: String(a.id),
      text: String(a.text ?? ''),
      created: at('created')!,
      deleted: at('deleted'),
    };
  });
}

/** Whether some post carrying the link was on Classroom at `t`. */
export function linkLiveAt(school: DeployedSchool, courseId: string, t: number): boolean {
  return postLives(school, courseId).some((p) => p.created <= t && (p.deleted ?? Infinity) > t);
}

/** The room's conferences (calls), oldest first, with their start and end. */
export function callsOf(
  school: DeployedSchool,
  link: string,
): { start: number; end: number | null }[] {
  const code = link.replace(/^https:\/\/meet\.google\.com\//, '');
  const space = [...school.ws.meet.spaces.values()].find((s) => s.meetingCode === code);
  if (!space) throw new Error(`no space ${link}`);
  return [...school.ws.meet.conferences.values()]
    .filter((c) => c.spaceId === space.id)
    .sort((a, b) => a.startTime - b.startTime)
    .map((c) => ({ start: c.startTime, end: c.endTime ?? null }));
}

/** The lesson as the product keeps it (script properties), with its in-call record. */
export function storedLesson(school: DeployedSchool, lessonId: string) {
  return school.lesson(lessonId) as unknown as {
    status: string;
    post: { state: string; round?: number };
    flags: { code: string; severity: string; detail: string }[];
    inCall?: {
      gaps: {
        from: number;
        to: number | null;
        alertedAt: number | null;
        withdrawnAt: number | null;
        linkBackAt: number | null;
        endedAt: number | null;
      }[];
      end: { at: number; why: string; doneAt: number | null } | null;
    };
    secondStaffUserId: string | null;
  };
}

/** 'HH:MM:SS' (the simulated school is in London; November is GMT). */
export function hms(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : new Date(ms).toISOString().slice(11, 19);
}

/** The emails whose subject matches, sent to `email`. */
export function mailAbout(school: DeployedSchool, email: string, subject: RegExp) {
  return school.mailTo(email).filter((m) => subject.test(m.subject));
}

/** Someone knocks (a guest, a caller, an account) and the teacher admits them. */
export function letIn(
  school: DeployedSchool,
  teacher: string,
  link: string,
  person: string | { anonymous: string } | { phone: string },
): void {
  const outcome = school.ws.meet.join(person, link);
  if (outcome === 'knocking') school.ws.meet.admit(teacher, link, person);
  else if (outcome !== 'joined') throw new Error(`${JSON.stringify(person)} was ${outcome}`);
}

/** Schedules a lesson with a second adult typed on the form (not picked from the course's teachers). */
export function scheduleWithTypedSecondAdult(
  school: DeployedSchool,
  secondAdult: string,
  options: { course?: number; title?: string; start?: number } = {},
) {
  const course = school.school.courses[options.course ?? 0]!;
  const teacher = school.sidebar(course.teacher.email);
  const form = teacher.next(teacher.click(teacher.home(), 'Schedule a lesson'));
  const before = new Set(school.lessons().map((l) => l.id));
  teacher.click(form, 'Schedule', {
    title: options.title ?? 'Phonics',
    start: { msSinceEpoch: options.start ?? monday(10), hasDate: true, hasTime: true },
    minutes: '30',
    courseId: course.id,
    otherStaff: secondAdult,
  });
  const created = school.lessons().find((l) => !before.has(l.id));
  if (!created) throw new Error('not scheduled');
  return { course, teacher, lessonId: created.id };
}
