// Courses and rosters from Classroom (R1, R14). A class's roster is read once, when its
// room opens, and kept (CacheService) for the lesson's length: every minute's look at the
// call then reads it from the cache, not from Classroom. Many classes opening at once read
// their rosters in parallel rounds.

import { isFailure, ServiceFailure } from '../core/errors';
import type { Classes, Course, Person } from '../core/ports';
import { type ClassroomClient, toPerson } from './classroom-client';

/** What the teacher's own sidebar reads (scheduling) is kept 10 minutes. */
const ROSTER_CACHE_SECONDS = 600;
/** CacheService keeps a value at most 6 hours. doc: https://developers.google.com/apps-script/reference/cache/cache#put(String,String,Integer) */
const MAX_CACHE_SECONDS = 6 * 3600;

/** Many classes' pupils or teachers at once, as the automation reads them (delegated REST, in parallel). */
export interface RosterBatch {
  read(
    items: readonly { actingAs: string; courseId: string }[],
    who: 'students' | 'teachers',
  ): (Person[] | Error)[];
}

export class ClassroomClasses implements Classes {
  constructor(
    private readonly as: (user: string) => ClassroomClient,
    private readonly cache: GoogleAppsScript.Cache.Cache,
    /** Present for the automation; a teacher's own session reads one class at a time. */
    private readonly batch: RosterBatch | null = null,
  ) {}

  /** Kept 10 minutes: the schedule form and its submission read the list once between them. */
  taughtBy(teacher: string): Course[] {
    const key = `courses:${teacher.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit) return JSON.parse(hit) as Course[];
    const courses = this.as(teacher)
      .listCourses({ teacherId: 'me' })
      .map((c) => ({
        id: String(c.id),
        name: String(c.name ?? c.id) + (c.section ? ` ${c.section}` : ''),
      }));
    const text = JSON.stringify(courses);
    if (text.length < 90_000) this.cache.put(key, text, ROSTER_CACHE_SECONDS);
    return courses;
  }

  classesWithPupil(actingAs: string, email: string): Course[] {
    let found: GoogleAppsScript.Classroom.Schema.Course[];
    try {
      found = this.as(actingAs).listCourses({ studentId: email });
    } catch (error) {
      // NOT_FOUND: Classroom knows no such user, so they are nobody's pupil.
      if (isFailure(error, 'gone')) return [];
      throw error;
    }
    return found.map((c) => ({ id: String(c.id), name: String(c.name ?? c.id) }));
  }

  /** Kept 10 minutes, as the classes they teach: the form and its submission ask once. */
  isVerifiedTeacher(user: string): boolean {
    const key = `verified:${user.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit) return hit === 'yes';
    // doc: https://developers.google.com/classroom/reference/rest/v1/userProfiles ("verifiedTeacher:
    // ... whether a Google Workspace for Education user's domain administrator has explicitly
    // verified them as being a teacher"); absent is not a yes.
    const verified = this.as(user).getUserProfile('me').verifiedTeacher === true;
    this.cache.put(key, verified ? 'yes' : 'no', ROSTER_CACHE_SECONDS);
    return verified;
  }

  course(actingAs: string, courseId: string): Course | null {
    const c = this.as(actingAs).getCourse(courseId);
    return c?.id ? { id: String(c.id), name: String(c.name ?? c.id) } : null;
  }

  teachers(actingAs: string, courseId: string): Person[] {
    return this.cached(`teachers:${courseId}`, () =>
      this.as(actingAs)
        .listTeachers(courseId)
        .map((t) => toPerson(t.userId, t.profile)),
    );
  }

  pupils(actingAs: string, courseId: string): Person[] {
    return this.cached(`pupils:${courseId}`, () =>
      this.as(actingAs)
        .listStudents(courseId)
        .map((s) => toPerson(s.userId, s.profile)),
    );
  }

  rosters(
    requests: readonly { actingAs: string; courseId: string }[],
    options: { fresh: boolean; keepSeconds: number; of?: 'pupils' | 'teachers' },
  ): Map<string, Person[] | Error> {
    const of = options.of ?? 'pupils';
    const out = new Map<string, Person[] | Error>();
    const unique = [...new Map(requests.map((r) => [r.courseId, r])).values()];
    const key = (courseId: string) => `${of}:${courseId}`;
    if (!options.fresh) {
      const keys = unique.map((r) => key(r.courseId)).filter((k) => !this.known.has(k));
      if (keys.length > 0)
        for (const [k, value] of Object.entries(this.cache.getAll(keys)))
          this.known.set(k, JSON.parse(value) as Person[]);
    }
    const toRead = unique.filter((r) => options.fresh || !this.known.has(key(r.courseId)));
    for (const r of unique)
      if (!toRead.includes(r)) out.set(r.courseId, this.known.get(key(r.courseId))!);
    const read = this.readNow(toRead, of === 'pupils' ? 'students' : 'teachers');
    const keep: Record<string, string> = {};
    toRead.forEach((r, i) => {
      const people = read[i]!;
      out.set(r.courseId, people);
      if (people instanceof Error) return;
      this.known.set(key(r.courseId), people);
      const text = JSON.stringify(people);
      // CacheService holds at most 100 KB a value; a bigger roster is read again when needed.
      if (text.length < 90_000) keep[key(r.courseId)] = text;
    });
    if (Object.keys(keep).length > 0)
      this.cache.putAll(keep, Math.min(MAX_CACHE_SECONDS, Math.max(60, options.keepSeconds)));
    return out;
  }

  /** From Classroom now: in parallel rounds for the automation, one class at a time otherwise. */
  private readNow(
    requests: readonly { actingAs: string; courseId: string }[],
    who: 'students' | 'teachers',
  ): (Person[] | Error)[] {
    if (requests.length === 0) return [];
    if (this.batch) return this.batch.read(requests, who);
    return requests.map((r): Person[] | Error => {
      try {
        const client = this.as(r.actingAs);
        return who === 'students'
          ? client.listStudents(r.courseId).map((p) => toPerson(p.userId, p.profile))
          : client.listTeachers(r.courseId).map((p) => toPerson(p.userId, p.profile));
      } catch (error) {
        if (error instanceof ServiceFailure) return error;
        throw error;
      }
    });
  }

  /** Rosters already read in this execution. */
  private readonly known = new Map<string, Person[]>();

  private cached(key: string, load: () => Person[]): Person[] {
    const seen = this.known.get(key);
    if (seen) return seen;
    const hit = this.cache.get(key);
    if (hit) {
      const people = JSON.parse(hit) as Person[];
      this.known.set(key, people);
      return people;
    }
    const people = load();
    this.known.set(key, people);
    const text = JSON.stringify(people);
    // CacheService holds at most 100 KB a value; a bigger roster is simply not cached.
    if (text.length < 90_000) this.cache.put(key, text, ROSTER_CACHE_SECONDS);
    return people;
  }
}
