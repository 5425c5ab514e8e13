// Google Classroom, as a given user: through the advanced service when that user is
// this execution's own, or over REST with a delegated token when the automation acts
// for a teacher (an advanced service always carries the effective user's authority).
// Both paths belong to the same Cloud project, which matters: only the project that
// created an announcement may delete it.
// doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements

import type { Person } from '../core/ports';
import type { Credentials } from './credentials';
import { guarded } from './google-failure';
import { query, RestClient } from './rest-client';

type Announcement = GoogleAppsScript.Classroom.Schema.Announcement;
type Course = GoogleAppsScript.Classroom.Schema.Course;
type Teacher = GoogleAppsScript.Classroom.Schema.Teacher;
type Student = GoogleAppsScript.Classroom.Schema.Student;
type UserProfile = GoogleAppsScript.Classroom.Schema.UserProfile;

export interface ClassroomClient {
  createAnnouncement(courseId: string, body: Announcement): Announcement;
  listAnnouncements(courseId: string, pageSize: number): Announcement[];
  deleteAnnouncement(courseId: string, id: string): void;
  /**
   * Active courses the caller may view with this teacher, or with this pupil (an id, an email or
   * "me"; one of the two). doc: https://developers.google.com/workspace/classroom/reference/rest/v1/courses/list
   * (NOT_FOUND when a user named does not exist).
   */
  listCourses(who: { teacherId: string } | { studentId: string }): Course[];
  getCourse(courseId: string): Course;
  listTeachers(courseId: string): Teacher[];
  listStudents(courseId: string): Student[];
  /** doc: https://developers.google.com/classroom/reference/rest/v1/userProfiles/get ("me": the caller) */
  getUserProfile(userId: string): UserProfile;
}

const API = 'https://classroom.googleapis.com/v1';

export function classroomAs(
  user: string,
  credentials: Credentials,
  advanced: GoogleAppsScript.Classroom | undefined,
  rest: RestClient,
): ClassroomClient {
  if (credentials.isSelf(user) && advanced) return advancedClient(advanced);
  return restClient(() => credentials.token(user), rest);
}

function advancedClient(c: GoogleAppsScript.Classroom): ClassroomClient {
  const all = <T>(page: (token: string | undefined) => { items?: T[]; next?: string }): T[] => {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const p = page(token);
      out.push(...(p.items ?? []));
      token = p.next;
    } while (token);
    return out;
  };
  return {
    createAnnouncement: (courseId, body) =>
      guarded('classroom', () => c.Courses!.Announcements!.create(body, courseId)),
    listAnnouncements: (courseId, pageSize) =>
      guarded(
        'classroom',
        () =>
          c.Courses!.Announcements!.list(courseId, { pageSize, announcementStates: ['PUBLISHED'] })
            .announcements ?? [],
      ),
    deleteAnnouncement: (courseId, id) =>
      guarded('classroom', () => c.Courses!.Announcements!.remove(courseId, id)),
    listCourses: (who) =>
      all((pageToken) => {
        const r = guarded('classroom', () =>
          c.Courses!.list({ ...who, courseStates: ['ACTIVE'], pageSize: 100, pageToken }),
        );
        return { items: r.courses, next: r.nextPageToken };
      }),
    getCourse: (courseId) => guarded('classroom', () => c.Courses!.get(courseId)),
    getUserProfile: (userId) => guarded('classroom', () => c.UserProfiles!.get(userId)),
    listTeachers: (courseId) =>
      all((pageToken) => {
        const r = guarded('classroom', () =>
          c.Courses!.Teachers!.list(courseId, { pageSize: 100, pageToken }),
        );
        return { items: r.teachers, next: r.nextPageToken };
      }),
    listStudents: (courseId) =>
      all((pageToken) => {
        const r = guarded('classroom', () =>
          c.Courses!.Students!.list(courseId, { pageSize: 100, pageToken }),
        );
        return { items: r.students, next: r.nextPageToken };
      }),
  };
}

function restClient(token: () => string, rest: RestClient): ClassroomClient {
  const get = <T>(path: string) =>
    rest.json<T>({ method: 'get', url: `${API}${path}`, token: token() });
  const pages = <T>(path: string, key: string, params: Record<string, string | number>): T[] => {
    const out: T[] = [];
    let pageToken: string | undefined;
    do {
      const page = get<Record<string, unknown>>(`${path}${query({ ...params, pageToken })}`);
      out.push(...((page[key] as T[] | undefined) ?? []));
      pageToken = page.nextPageToken as string | undefined;
    } while (pageToken);
    return out;
  };
  return {
    createAnnouncement: (courseId, body) =>
      rest.json<Announcement>({
        method: 'post',
        url: `${API}/courses/${courseId}/announcements`,
        token: token(),
        body,
      }),
    listAnnouncements: (courseId, pageSize) =>
      get<{ announcements?: Announcement[] }>(
        `/courses/${courseId}/announcements${query({ pageSize, announcementStates: 'PUBLISHED' })}`,
      ).announcements ?? [],
    deleteAnnouncement: (courseId, id) => {
      rest.json({
        method: 'delete',
        url: `${API}/courses/${courseId}/announcements/${id}`,
        token: token(),
      });
    },
    listCourses: (who) =>
      pages<Course>('/courses', 'courses', { ...who, courseStates: 'ACTIVE', pageSize: 100 }),
    getCourse: (courseId) => get<Course>(`/courses/${courseId}`),
    getUserProfile: (userId) => get<UserProfile>(`/userProfiles/${encodeURIComponent(userId)}`),
    listTeachers: (courseId) =>
      pages<Teacher>(`/courses/${courseId}/teachers`, 'teachers', { pageSize: 100 }),
    listStudents: (courseId) =>
      pages<Student>(`/courses/${courseId}/students`, 'students', { pageSize: 100 }),
  };
}

/**
 * Announcements for many teachers at once, over REST with each teacher's delegated token,
 * sent in parallel (UrlFetchApp.fetchAll). Creates are never repeated here: a create whose
 * answer was lost may have happened, and the caller finds it by its marker before posting
 * again. Deletes are safe to repeat.
 */
export function restAnnouncementBatch(credentials: Credentials, rest: RestClient) {
  return {
    create(
      items: readonly { teacher: string; courseId: string; body: Announcement }[],
    ): (string | Error)[] {
      credentials.warm(items.map((i) => i.teacher));
      const answers = rest.jsonAll<Announcement>(
        RestClient.build(items, (i) => ({
          method: 'post' as const,
          url: `${API}/courses/${i.courseId}/announcements`,
          token: credentials.token(i.teacher),
          body: i.body,
        })),
        'never',
      );
      return answers.map((a) => (a instanceof Error ? a : String(a.id)));
    },
    remove(
      items: readonly { teacher: string; courseId: string; postId: string }[],
    ): (Error | null)[] {
      credentials.warm(
        items.map((i) => i.teacher),
        { askAgain: true },
      );
      const answers = rest.jsonAll<unknown>(
        RestClient.build(items, (i) => ({
          method: 'delete' as const,
          url: `${API}/courses/${i.courseId}/announcements/${i.postId}`,
          token: credentials.token(i.teacher),
        })),
        'twice',
      );
      return answers.map((a) => (a instanceof Error ? a : null));
    },
    /** Each course's latest published posts (finding our own after a lost answer). */
    list(
      items: readonly { teacher: string; courseId: string; pageSize: number }[],
    ): (Announcement[] | Error)[] {
      credentials.warm(items.map((i) => i.teacher));
      const answers = rest.jsonAll<{ announcements?: Announcement[] }>(
        RestClient.build(items, (i) => ({
          method: 'get' as const,
          url: `${API}/courses/${i.courseId}/announcements${query({ pageSize: i.pageSize, announcementStates: 'PUBLISHED' })}`,
          token: credentials.token(i.teacher),
        })),
      );
      return answers.map((a) => (a instanceof Error ? a : (a.announcements ?? [])));
    },
  };
}

/**
 * Many classes' pupils (the automation, at the rooms' opening) or teachers (a cover, cover.ts) at
 * once, in parallel rounds, each teacher's delegated token carrying the request.
 * doc: https://developers.google.com/classroom/reference/rest/v1/courses.students/list
 * doc: https://developers.google.com/classroom/reference/rest/v1/courses.teachers/list
 */
export function restRosterBatch(credentials: Credentials, rest: RestClient) {
  return {
    read(
      items: readonly { actingAs: string; courseId: string }[],
      who: 'students' | 'teachers',
    ): (Person[] | Error)[] {
      credentials.warm(items.map((i) => i.actingAs));
      const people = rest.pagedAll<
        { students?: Student[]; teachers?: Teacher[]; nextPageToken?: string },
        { actingAs: string; courseId: string },
        Student | Teacher
      >(
        items,
        (i, pageToken) => ({
          method: 'get',
          url: `${API}/courses/${i.courseId}/${who}${query({ pageSize: 100, pageToken })}`,
          token: credentials.token(i.actingAs),
        }),
        (page) => page[who] ?? [],
      );
      return people.map((list) =>
        list instanceof Error ? list : list.map((x) => toPerson(x.userId, x.profile)),
      );
    },
  };
}

/** A Classroom teacher or student as the product's Person. */
export function toPerson(
  userId: string | undefined,
  profile: GoogleAppsScript.Classroom.Schema.UserProfile | undefined,
): Person {
  const id = String(profile?.id ?? userId ?? '');
  return {
    userId: id,
    name: profile?.name?.fullName ?? id,
    email: profile?.emailAddress?.toLowerCase() ?? null,
  };
}
