// Courses and rosters from Classroom (R1, R14). Rosters are read every minute while a
// call is watched, so they are cached (CacheService, 10 minutes): a roster change is
// seen within minutes, and a tick with a known roster makes no Classroom call.

import type { Classes, Course, Person } from '../core/ports';
import type { ClassroomClient } from './classroom-client';

const ROSTER_CACHE_SECONDS = 600;

export class ClassroomClasses implements Classes {
  constructor(
    private readonly as: (user: string) => ClassroomClient,
    private readonly cache: GoogleAppsScript.Cache.Cache,
  ) {}

  taughtBy(teacher: string): Course[] {
    return this.as(teacher)
      .listCourses('me')
      .map((c) => ({
        id: String(c.id),
        name: String(c.name ?? c.id) + (c.section ? ` ${c.section}` : ''),
      }));
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

  /** Reads many classes' cached rosters in one call, before looking at many calls at once. */
  warm(courseIds: readonly string[]): void {
    const keys = [...new Set(courseIds)]
      .flatMap((id) => [`teachers:${id}`, `pupils:${id}`])
      .filter((k) => !this.known.has(k));
    if (keys.length === 0) return;
    for (const [key, value] of Object.entries(this.cache.getAll(keys)))
      this.known.set(key, JSON.parse(value) as Person[]);
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

function toPerson(
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
