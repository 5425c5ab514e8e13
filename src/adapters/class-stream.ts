// The link's only road to pupils (R7): an announcement on the course stream, created
// PUBLISHED (Classroom's default state is DRAFT, which pupils never see), and deleted
// before the end (R10). A second delete, or a post a teacher removed by hand, is done.

import { isFailure, ServiceFailure } from '../core/errors';
import type { ClassStream, StreamPost } from '../core/ports';
import type { ClassroomClient } from './classroom-client';

/** How far back to look for our own post after a lost answer: lessons post one each. */
const FIND_PAGE = 30;

/** Parallel create/delete over REST, as many teachers at once (the automation's batch steps). */
export interface AnnouncementBatch {
  create(
    items: readonly {
      teacher: string;
      courseId: string;
      body: GoogleAppsScript.Classroom.Schema.Announcement;
    }[],
  ): (string | Error)[];
  remove(items: readonly { teacher: string; courseId: string; postId: string }[]): (Error | null)[];
}

export class ClassroomStream implements ClassStream {
  constructor(
    private readonly as: (user: string) => ClassroomClient,
    /** Present for the automation (delegated REST); a teacher's own session posts one by one. */
    private readonly batch: AnnouncementBatch | null = null,
  ) {}

  post(teacher: string, courseId: string, post: StreamPost): string {
    const created = this.as(teacher).createAnnouncement(courseId, announcement(post));
    return String(created.id);
  }

  postMany(
    items: readonly { teacher: string; courseId: string; post: StreamPost }[],
  ): (string | Error)[] {
    if (!this.batch)
      return items.map((i) => this.tryOne(() => this.post(i.teacher, i.courseId, i.post)));
    return this.batch.create(
      items.map((i) => ({ teacher: i.teacher, courseId: i.courseId, body: announcement(i.post) })),
    );
  }

  removeMany(
    items: readonly { teacher: string; courseId: string; postId: string }[],
  ): (Error | null)[] {
    if (!this.batch) {
      return items.map((i) => {
        const outcome = this.tryOne(() => this.remove(i.teacher, i.courseId, i.postId));
        return outcome instanceof Error ? outcome : null;
      });
    }
    return this.batch.remove(items).map((r) => (r === null || isGone(r) ? null : r));
  }

  private tryOne<T>(run: () => T): T | Error {
    try {
      return run();
    } catch (error) {
      if (error instanceof ServiceFailure) return error;
      throw error;
    }
  }

  find(teacher: string, courseId: string, marker: string): string | null {
    const found = this.as(teacher)
      .listAnnouncements(courseId, FIND_PAGE)
      .find((a) => (a.text ?? '').includes(marker));
    return found?.id ? String(found.id) : null;
  }

  remove(teacher: string, courseId: string, postId: string): void {
    try {
      this.as(teacher).deleteAnnouncement(courseId, postId);
    } catch (error) {
      // NOT_FOUND (gone) and FAILED_PRECONDITION (already deleted) both mean the link is off.
      // doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements/delete
      if (isGone(error)) return;
      throw error;
    }
  }
}

function announcement(post: StreamPost): GoogleAppsScript.Classroom.Schema.Announcement {
  return {
    text: post.text,
    materials: [{ link: { url: post.url, title: post.title } }],
    state: 'PUBLISHED',
    assigneeMode: 'ALL_STUDENTS',
  };
}

/** NOT_FOUND (gone) and FAILED_PRECONDITION (already deleted) both mean the link is off. */
function isGone(error: unknown): boolean {
  return (
    isFailure(error, 'gone') ||
    (isFailure(error, 'permanent') && /precondition/i.test(error.message))
  );
}
