// Proves the simulated Classroom API keeps Google's documented contracts: the creator-project
// rule, deleted/missing announcements, who sees what, profile emails behind their scope,
// scope checks, paging, over both the advanced service and REST.

import type { SimHttpResponse } from './kernel/http';
import { SimKernel } from './kernel/kernel';
import { TOKEN_LIFETIME_MS } from './kernel/tokens';
import { SimClassroom } from './services/classroom';

const TEACHER = 'teacher@school.test';
const COTEACHER = 'coteacher@school.test';
const PUPIL = 'pupil@school.test';
const OUTSIDER = 'outsider@school.test';
const SCOPE = (s: string) => `https://www.googleapis.com/auth/${s}`;
const PRODUCT_SCOPES = [
  SCOPE('classroom.courses.readonly'),
  SCOPE('classroom.rosters.readonly'),
  SCOPE('classroom.announcements'),
];
const API = 'https://classroom.googleapis.com/v1';
const PROJECT_DENIED =
  '@ProjectPermissionDenied The Developer Console project is not permitted to make this request.';

type ApiError = Error & { details: { code: number; message: string; status: string } };

function setup(scopes = PRODUCT_SCOPES) {
  const kernel = new SimKernel({
    start: Date.parse('2025-03-03T08:00:00Z'),
    domain: 'school.test',
  });
  kernel.directory.add({ email: TEACHER, name: 'Tess Teacher', kind: 'staff' });
  kernel.directory.add({ email: COTEACHER, name: 'Colin Co', kind: 'staff' });
  kernel.directory.add({ email: PUPIL, name: 'Pip Pupil', kind: 'pupil' });
  kernel.directory.add({ email: OUTSIDER, name: 'Olga Out', kind: 'staff' });
  kernel.manifestScopes = scopes;
  const classroom = new SimClassroom(kernel);
  const courseId = classroom.addCourse({ name: 'Maths 7B', section: '7B', ownerEmail: TEACHER });
  classroom.addTeacher(courseId, COTEACHER);
  classroom.addStudent(courseId, PUPIL);
  const Classroom = classroom.advancedService();
  const as = <T>(user: string, fn: () => T): T => {
    const result = kernel.runExecution({ user, kind: 'trigger', functionName: 't' }, fn);
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  const failure = (user: string, fn: () => unknown): ApiError => {
    const result = kernel.runExecution({ user, kind: 'trigger', functionName: 't' }, fn);
    expect(result.ok).toBe(false);
    return result.error as ApiError;
  };
  const rest = (
    user: string,
    method: string,
    url: string,
    options: { body?: unknown; scopes?: string[]; project?: string } = {},
  ): SimHttpResponse & { json: () => Record<string, unknown> } => {
    const token = kernel.tokens.issue({
      user,
      scopes: options.scopes ?? scopes,
      project: options.project ?? kernel.projectNumber,
      expiresAt: kernel.now() + TOKEN_LIFETIME_MS,
      via: 'delegation',
    });
    const request = {
      method,
      url,
      headers: { Authorization: `Bearer ${token}` },
      body: options.body === undefined ? '' : JSON.stringify(options.body),
      contentType: 'application/json',
    };
    const matched = kernel.http.match(request);
    if (!matched) throw new Error(`no route for ${method} ${url}`);
    const response = kernel.http.handle(
      matched,
      request,
      kernel.tokens.resolve(request.headers.Authorization, kernel.now()),
    );
    return { ...response, json: () => JSON.parse(response.body) };
  };
  const post = (text: string, state = 'PUBLISHED') =>
    as(TEACHER, () =>
      Classroom.Courses.Announcements.create(
        {
          text,
          state,
          materials: [{ link: { url: 'https://school.test/join/abc', title: 'Join' } }],
        },
        courseId,
      ),
    );
  return { kernel, classroom, Classroom, courseId, as, failure, rest, post };
}

describe('announcements', () => {
  test('a teacher posts; the pupil sees it in the stream with its link; state defaults to DRAFT', () => {
    const { Classroom, as, classroom, courseId, post } = setup();
    const published = post('Live lesson now');
    expect(published).toMatchObject({ courseId, state: 'PUBLISHED', assigneeMode: 'ALL_STUDENTS' });
    expect(published.alternateLink).toMatch(/^https:\/\/classroom\.google\.com\/c\/.+\/p\/.+/);
    expect(published.materials).toEqual([
      { link: { url: 'https://school.test/join/abc', title: 'https://school.test/join/abc' } },
    ]);
    const draft = as(TEACHER, () =>
      Classroom.Courses.Announcements.create({ text: 'Not yet' }, courseId),
    );
    expect(draft.state).toBe('DRAFT');
    expect(draft.alternateLink).toBeUndefined();
    expect(classroom.announcementsVisibleTo(PUPIL, courseId).map((a) => a.text)).toEqual([
      'Live lesson now',
    ]);
  });

  test('list: PUBLISHED by default; teachers may ask for drafts; students only ever get PUBLISHED', () => {
    const { Classroom, as, courseId, post } = setup();
    post('published one');
    post('a draft', 'DRAFT');
    const byDefault = as(TEACHER, () => Classroom.Courses.Announcements.list(courseId));
    expect(byDefault.announcements!.map((a) => a.text)).toEqual(['published one']);
    const teacherAll = as(TEACHER, () =>
      Classroom.Courses.Announcements.list(courseId, {
        announcementStates: ['PUBLISHED', 'DRAFT'],
      }),
    );
    expect(teacherAll.announcements!.map((a) => a.text).sort()).toEqual([
      'a draft',
      'published one',
    ]);
    const pupil = as(PUPIL, () =>
      Classroom.Courses.Announcements.list(courseId, {
        announcementStates: ['PUBLISHED', 'DRAFT'],
      }),
    );
    expect(pupil.announcements!.map((a) => a.text)).toEqual(['published one']);
  });

  test('only course teachers may create: a pupil gets PERMISSION_DENIED, an outsider too', () => {
    const { Classroom, failure, courseId } = setup();
    for (const user of [PUPIL, OUTSIDER]) {
      const error = failure(user, () =>
        Classroom.Courses.Announcements.create({ text: 'hi', state: 'PUBLISHED' }, courseId),
      );
      expect(error.details).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    }
  });

  test('creator-project rule: an announcement made in the Classroom UI cannot be deleted or patched by the app', () => {
    const { Classroom, failure, classroom, courseId } = setup();
    const manual = classroom.postAsOtherProject(courseId, TEACHER, { text: 'Posted by hand' });
    const del = failure(TEACHER, () =>
      Classroom.Courses.Announcements.remove(courseId, manual.id!),
    );
    expect(del.name).toBe('GoogleJsonResponseException');
    expect(del.message).toBe(
      `API call to classroom.courses.announcements.delete failed with error: ${PROJECT_DENIED}`,
    );
    expect(del.details).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
      message: PROJECT_DENIED,
    });
    const patch = failure(TEACHER, () =>
      Classroom.Courses.Announcements.patch({ text: 'edited' }, courseId, manual.id!, {
        updateMask: 'text',
      }),
    );
    expect(patch.details).toMatchObject({ code: 403, message: PROJECT_DENIED });
    expect(classroom.allAnnouncements(courseId)[0]).toMatchObject({
      state: 'PUBLISHED',
      text: 'Posted by hand',
    });
  });

  test('the same rule holds between two API projects over REST, even for the same teacher', () => {
    const { rest, courseId, kernel } = setup();
    const created = rest(TEACHER, 'POST', `${API}/courses/${courseId}/announcements`, {
      body: { text: 'from project A', state: 'PUBLISHED' },
      project: 'project-a',
    });
    expect(created.code).toBe(200);
    const id = created.json().id as string;
    const other = rest(TEACHER, 'DELETE', `${API}/courses/${courseId}/announcements/${id}`, {
      project: kernel.projectNumber,
    });
    expect(other.code).toBe(403);
    expect(other.json()).toEqual({
      error: { code: 403, message: PROJECT_DENIED, status: 'PERMISSION_DENIED' },
    });
    const same = rest(TEACHER, 'DELETE', `${API}/courses/${courseId}/announcements/${id}`, {
      project: 'project-a',
    });
    expect(same.code).toBe(200);
    expect(same.json()).toEqual({});
  });

  test('the co-teacher may delete what the app posted for the owner (same project)', () => {
    const { Classroom, as, classroom, courseId, post } = setup();
    const a = post('Live lesson now');
    as(COTEACHER, () => Classroom.Courses.Announcements.remove(courseId, a.id!));
    expect(classroom.announcementsVisibleTo(PUPIL, courseId)).toEqual([]);
  });

  test('deleting twice is FAILED_PRECONDITION; patching a deleted one too; history is kept', () => {
    const { Classroom, as, failure, classroom, courseId, post, rest } = setup();
    const a = post('Live lesson now');
    as(TEACHER, () => Classroom.Courses.Announcements.remove(courseId, a.id!));
    const again = failure(TEACHER, () => Classroom.Courses.Announcements.remove(courseId, a.id!));
    expect(again.details).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });
    const overRest = rest(TEACHER, 'DELETE', `${API}/courses/${courseId}/announcements/${a.id}`);
    expect(overRest.code).toBe(400);
    expect(overRest.json()).toMatchObject({ error: { status: 'FAILED_PRECONDITION' } });
    const patch = failure(TEACHER, () =>
      Classroom.Courses.Announcements.patch({ text: 'x' }, courseId, a.id!, { updateMask: 'text' }),
    );
    expect(patch.details).toMatchObject({ status: 'FAILED_PRECONDITION' });
    const [record] = classroom.allAnnouncements(courseId);
    expect(record).toMatchObject({ state: 'DELETED', creatorProject: '800000000001' });
    expect(record!.history.map((h) => h.action)).toEqual(['created', 'deleted']);
    // A deleted announcement is gone for everyone, teachers included.
    const get = failure(TEACHER, () => Classroom.Courses.Announcements.get(courseId, a.id!));
    expect(get.details).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });

  test('NOT_FOUND for a missing course or a missing announcement', () => {
    const { Classroom, failure, courseId } = setup();
    const cases: (() => unknown)[] = [
      () => Classroom.Courses.get('123456789'),
      () => Classroom.Courses.Announcements.create({ text: 'x', state: 'PUBLISHED' }, '123456789'),
      () => Classroom.Courses.Announcements.remove('123456789', '1'),
      () => Classroom.Courses.Announcements.remove(courseId, '999999'),
      () => Classroom.Courses.Announcements.get(courseId, '999999'),
      () =>
        Classroom.Courses.Announcements.patch({ text: 'x' }, courseId, '999999', {
          updateMask: 'text',
        }),
    ];
    for (const call of cases) {
      expect(failure(TEACHER, call).details).toMatchObject({
        code: 404,
        status: 'NOT_FOUND',
        message: 'Requested entity was not found.',
      });
    }
  });

  test('patch needs an updateMask; text and publishing a draft can be patched', () => {
    const { Classroom, as, failure, kernel, courseId, post } = setup();
    const draft = post('Lesson at 10', 'DRAFT');
    const noMask = failure(TEACHER, () =>
      Classroom.Courses.Announcements.patch({ text: 'x' }, courseId, draft.id!),
    );
    expect(noMask.details).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const badField = failure(TEACHER, () =>
      Classroom.Courses.Announcements.patch({ assigneeMode: 'ALL_STUDENTS' }, courseId, draft.id!, {
        updateMask: 'assigneeMode',
      }),
    );
    expect(badField.details).toMatchObject({ status: 'INVALID_ARGUMENT' });
    kernel.clock.advance(60_000);
    const published = as(TEACHER, () =>
      Classroom.Courses.Announcements.patch(
        { text: 'Lesson at 11', state: 'PUBLISHED' },
        courseId,
        draft.id!,
        {
          updateMask: 'text,state',
        },
      ),
    );
    expect(published).toMatchObject({
      text: 'Lesson at 11',
      state: 'PUBLISHED',
      creationTime: draft.creationTime,
    });
    expect(Date.parse(published.updateTime!)).toBeGreaterThan(Date.parse(draft.updateTime!));
    expect(published.alternateLink).toBeDefined();
    const unpublish = failure(TEACHER, () =>
      Classroom.Courses.Announcements.patch({ state: 'DRAFT' }, courseId, draft.id!, {
        updateMask: 'state',
      }),
    );
    expect(unpublish.details).toMatchObject({ status: 'INVALID_ARGUMENT' });
  });

  test('scope enforcement: a read-only token cannot post', () => {
    const { Classroom, failure, courseId } = setup([
      SCOPE('classroom.announcements.readonly'),
      SCOPE('classroom.courses'),
    ]);
    const error = failure(TEACHER, () =>
      Classroom.Courses.Announcements.create({ text: 'x', state: 'PUBLISHED' }, courseId),
    );
    expect(error.details).toMatchObject({
      code: 403,
      message: 'Request had insufficient authentication scopes.',
    });
  });
});

describe('courses, rosters and profiles', () => {
  test('courses.list with teacherId=me and studentId; non-members get PERMISSION_DENIED on get', () => {
    const { Classroom, as, failure, classroom, courseId } = setup();
    const other = classroom.addCourse({ name: 'Art', ownerEmail: COTEACHER });
    const mine = as(TEACHER, () => Classroom.Courses.list({ teacherId: 'me' }));
    expect(mine.courses!.map((c) => c.id)).toEqual([courseId]);
    const pupils = as(COTEACHER, () => Classroom.Courses.list({ studentId: PUPIL }));
    expect(pupils.courses!.map((c) => c.id)).toEqual([courseId]);
    // Newest first.
    expect(as(COTEACHER, () => Classroom.Courses.list()).courses!.map((c) => c.id)).toEqual([
      other,
      courseId,
    ]);
    expect(as(OUTSIDER, () => Classroom.Courses.list()).courses).toBeUndefined();
    expect(failure(OUTSIDER, () => Classroom.Courses.get(courseId)).details).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
    });
    expect(
      failure(TEACHER, () => Classroom.Courses.list({ teacherId: 'nobody@school.test' })).details,
    ).toMatchObject({
      status: 'NOT_FOUND',
    });
    classroom.setCourseState(other, 'SUSPENDED');
    expect(as(COTEACHER, () => Classroom.Courses.list()).courses!.map((c) => c.id)).toEqual([
      courseId,
    ]);
  });

  test('a course’s owner cannot be taken off it until the class is handed to another of its teachers; then a co-teacher deletes the old teacher’s post', () => {
    const { Classroom, as, classroom, courseId, post } = setup();
    const made = post('Join here');
    expect(() => classroom.removeTeacher(courseId, TEACHER)).toThrow(/FAILED_PRECONDITION/);
    expect(() => classroom.transferOwnership(courseId, OUTSIDER)).toThrow(/IneligibleOwner/);
    classroom.transferOwnership(courseId, COTEACHER);
    classroom.removeTeacher(courseId, TEACHER);
    expect(as(COTEACHER, () => Classroom.Courses.get(courseId)).ownerId).toBe(
      as(COTEACHER, () => Classroom.UserProfiles.get(COTEACHER)).id,
    );
    as(COTEACHER, () => Classroom.Courses.Announcements.remove(courseId, String(made.id)));
    expect(classroom.allAnnouncements(courseId)[0]!.state).toBe('DELETED');
  });

  test('course pages: pageSize and nextPageToken', () => {
    const { Classroom, as, classroom } = setup();
    for (let i = 0; i < 3; i++) classroom.addCourse({ name: `Extra ${i}`, ownerEmail: TEACHER });
    const first = as(TEACHER, () => Classroom.Courses.list({ pageSize: 3 }));
    expect(first.courses).toHaveLength(3);
    const second = as(TEACHER, () =>
      Classroom.Courses.list({ pageSize: 3, pageToken: first.nextPageToken }),
    );
    expect(second.courses).toHaveLength(1);
    expect(second.nextPageToken).toBeUndefined();
  });

  test('students.list: 30 a page by default; emails only with classroom.profile.emails', () => {
    const { rest, classroom, courseId, kernel } = setup();
    for (let i = 0; i < 34; i++) {
      kernel.directory.add({ email: `p${i}@school.test`, name: `Pupil Number${i}`, kind: 'pupil' });
      classroom.addStudent(courseId, `p${i}@school.test`);
    }
    const page1 = rest(TEACHER, 'GET', `${API}/courses/${courseId}/students`).json() as {
      students: GoogleAppsScript.Classroom.Schema.Student[];
      nextPageToken: string;
    };
    expect(page1.students).toHaveLength(30);
    expect(page1.students[0]).toEqual({
      courseId,
      userId: kernel.directory.require(PUPIL).id,
      profile: {
        id: kernel.directory.require(PUPIL).id,
        name: { givenName: 'Pip', familyName: 'Pupil', fullName: 'Pip Pupil' },
      },
    });
    const page2 = rest(
      TEACHER,
      'GET',
      `${API}/courses/${courseId}/students?pageToken=${page1.nextPageToken}`,
    ).json();
    expect((page2.students as unknown[]).length).toBe(5);
    const withEmails = rest(TEACHER, 'GET', `${API}/courses/${courseId}/teachers`, {
      scopes: [SCOPE('classroom.rosters.readonly'), SCOPE('classroom.profile.emails')],
    }).json() as { teachers: GoogleAppsScript.Classroom.Schema.Teacher[] };
    expect(withEmails.teachers.map((t) => t.profile?.emailAddress)).toEqual([TEACHER, COTEACHER]);
    const outsider = rest(OUTSIDER, 'GET', `${API}/courses/${courseId}/students`);
    expect(outsider.code).toBe(403);
  });

  test('userProfiles.get: me, a classmate; an unknown user is PERMISSION_DENIED', () => {
    const { Classroom, as, failure } = setup();
    expect(as(PUPIL, () => Classroom.UserProfiles.get('me')).name?.fullName).toBe('Pip Pupil');
    expect(as(TEACHER, () => Classroom.UserProfiles.get(PUPIL)).emailAddress).toBeUndefined();
    expect(
      failure(TEACHER, () => Classroom.UserProfiles.get('nobody@school.test')).details,
    ).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
    });
    expect(failure(TEACHER, () => Classroom.UserProfiles.get(OUTSIDER)).details).toMatchObject({
      code: 403,
    });
  });

  test('userProfiles.get: verifiedTeacher is true only once the administrator verifies the account', () => {
    const { Classroom, as, classroom } = setup();
    expect(as(TEACHER, () => Classroom.UserProfiles.get('me')).verifiedTeacher).toBeUndefined();
    classroom.verifyTeacher(TEACHER);
    expect(as(TEACHER, () => Classroom.UserProfiles.get('me')).verifiedTeacher).toBe(true);
    expect(as(PUPIL, () => Classroom.UserProfiles.get('me')).verifiedTeacher).toBeUndefined();
  });

  test('every call is counted under its REST method id', () => {
    const { Classroom, as, kernel, courseId } = setup();
    as(TEACHER, () => {
      Classroom.Courses.list({ teacherId: 'me' });
      Classroom.Courses.Students.list(courseId);
      Classroom.Courses.Teachers.list(courseId);
    });
    expect(kernel.calls.snapshot()).toEqual({
      'classroom.courses.list': 1,
      'classroom.courses.students.list': 1,
      'classroom.courses.teachers.list': 1,
    });
  });
});
