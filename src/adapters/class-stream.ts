// The link's only road to pupils (R7): an announcement on the course stream, created
// PUBLISHED (Classroom's default state is DRAFT, which pupils never see), and deleted
// before the end (R10). A second delete, or a post a teacher removed by hand, is done.

import { isFailure } from '../core/errors';
import type { ClassStream, StreamPost } from '../core/ports';
import type { ClassroomClient } from './classroom-client';

/** How far back to look for our own post after a lost answer: lessons post one each. */
const FIND_PAGE = 30;

export class ClassroomStream implements ClassStream {
  constructor(private readonly as: (user: string) => ClassroomClient) {}

  post(teacher: string, courseId: string, post: StreamPost): string {
    const created = this.as(teacher).createAnnouncement(courseId, {
      text: post.text,
      materials: [{ link: { url: post.url, title: post.title } }],
      state: 'PUBLISHED',
      assigneeMode: 'ALL_STUDENTS',
    });
    return String(created.id);
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
      if (
        isFailure(error, 'gone') ||
        (isFailure(error, 'permanent') && /precondition/i.test(error.message))
      )
        return;
      throw error;
    }
  }
}
