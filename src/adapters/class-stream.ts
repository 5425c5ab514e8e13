// The link's only road to pupils (R7): an announcement on the course stream, created
// PUBLISHED (Classroom's default state is DRAFT, which pupils never see), and deleted
// before the end (R10). A second delete, or a post a teacher removed by hand, is done.

import { isFailure, ServiceFailure } from '../core/errors';
import type { ClassStream, PostRef, StreamPost } from '../core/ports';
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
  remove(items: readonly PostRef[]): (Error | null)[];
  list(
    items: readonly { teacher: string; courseId: string; pageSize: number }[],
  ): (GoogleAppsScript.Classroom.Schema.Announcement[] | Error)[];
}

export class ClassroomStream implements ClassStream {
  constructor(
    private readonly as: (user: string) => ClassroomClient,
    /** Present for the automation (delegated REST); a teacher's own session posts one by one. */
    private readonly batch: AnnouncementBatch | null = null,
  ) {}

  post(
    items: readonly { teacher: string; courseId: string; post: StreamPost }[],
  ): (string | Error)[] {
    if (!this.batch)
      return items.map((i) =>
        this.tryOne(() =>
          String(this.as(i.teacher).createAnnouncement(i.courseId, announcement(i.post)).id),
        ),
      );
    return this.batch.create(
      items.map((i) => ({ teacher: i.teacher, courseId: i.courseId, body: announcement(i.post) })),
    );
  }

  remove(items: readonly PostRef[]): (Error | null)[] {
    const answers: (Error | null)[] = this.batch
      ? this.batch.remove(items)
      : items.map((i) => {
          const outcome = this.tryOne(() =>
            this.as(i.teacher).deleteAnnouncement(i.courseId, i.postId),
          );
          return outcome instanceof Error ? outcome : null;
        });
    // NOT_FOUND (gone) and FAILED_PRECONDITION (already deleted) both mean the link is off.
    // doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements/delete
    return answers.map((r) => (r === null || isGone(r) ? null : r));
  }

  find(
    items: readonly { teacher: string; courseId: string; marker: string }[],
  ): (string | null | Error)[] {
    const lists = this.batch
      ? this.batch.list(
          items.map((i) => ({ teacher: i.teacher, courseId: i.courseId, pageSize: FIND_PAGE })),
        )
      : items.map((i) =>
          this.tryOne(() => this.as(i.teacher).listAnnouncements(i.courseId, FIND_PAGE)),
        );
    return lists.map((list, index) => {
      if (list instanceof Error) return list;
      const found = list.find((a) => (a.text ?? '').includes(items[index]!.marker));
      return found?.id ? String(found.id) : null;
    });
  }

  private tryOne<T>(run: () => T): T | Error {
    try {
      return run();
    } catch (error) {
      if (error instanceof ServiceFailure) return error;
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
