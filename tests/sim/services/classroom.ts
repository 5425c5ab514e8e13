// The simulated Google Classroom API v1 (courses, rosters, user profiles,
// announcements): one implementation, reached both as the `Classroom` advanced
// service and over REST, enforcing Classroom's roles and its creator-project rule.

import { advancedCall } from '../kernel/edges';
import { GoogleApiError } from '../kernel/google-error';
import type { SimKernel } from '../kernel/kernel';
import { noteScopeUse, type Principal, requireScope } from '../kernel/tokens';

type Course = GoogleAppsScript.Classroom.Schema.Course;
type Announcement = GoogleAppsScript.Classroom.Schema.Announcement;
type Material = GoogleAppsScript.Classroom.Schema.Material;
type UserProfile = GoogleAppsScript.Classroom.Schema.UserProfile;
type Teacher = GoogleAppsScript.Classroom.Schema.Teacher;
type Student = GoogleAppsScript.Classroom.Schema.Student;
type ListCoursesResponse = GoogleAppsScript.Classroom.Schema.ListCoursesResponse;
type ListAnnouncementsResponse = GoogleAppsScript.Classroom.Schema.ListAnnouncementsResponse;
type ListTeachersResponse = GoogleAppsScript.Classroom.Schema.ListTeachersResponse;
type ListStudentsResponse = GoogleAppsScript.Classroom.Schema.ListStudentsResponse;
type CoursesCollection = GoogleAppsScript.Classroom.Collection.CoursesCollection;
type AnnouncementsCollection =
  GoogleAppsScript.Classroom.Collection.Courses.AnnouncementsCollection;
type TeachersCollection = GoogleAppsScript.Classroom.Collection.Courses.TeachersCollection;
type StudentsCollection = GoogleAppsScript.Classroom.Collection.Courses.StudentsCollection;
type UserProfilesCollection = GoogleAppsScript.Classroom.Collection.UserProfilesCollection;

// Scopes per method, from the Authorization section of each reference page.
// doc: https://developers.google.com/classroom/reference/rest/v1/courses/list (and courses/get)
const COURSE_READ = ['classroom.courses', 'classroom.courses.readonly'];
// doc: https://developers.google.com/classroom/reference/rest/v1/courses.students/list (teachers/list, userProfiles/get alike)
const ROSTER_READ = [
  'classroom.profile.emails',
  'classroom.profile.photos',
  'classroom.rosters',
  'classroom.rosters.readonly',
];
// doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements/get (and list)
const ANNOUNCEMENT_READ = ['classroom.announcements', 'classroom.announcements.readonly'];
// doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements/create (patch, delete alike)
const ANNOUNCEMENT_WRITE = ['classroom.announcements'];
const SCOPE_PREFIX = 'https://www.googleapis.com/auth/';

/** The project behind announcements posted in the Classroom web UI: no API client may modify them. */
export const CLASSROOM_UI_PROJECT = 'classroom-web-ui';

// Canonical messages for gRPC statuses. doc: https://cloud.google.com/apis/design/errors
const notFound = () => new GoogleApiError('NOT_FOUND', 'Requested entity was not found.');
const denied = () => new GoogleApiError('PERMISSION_DENIED', 'The caller does not have permission');
const badArgument = (detail?: string) =>
  new GoogleApiError('INVALID_ARGUMENT', detail ?? 'Request contains an invalid argument.');
// doc: https://developers.google.com/classroom/reference/Access.Errors (ProjectPermissionDenied)
const projectDenied = () =>
  new GoogleApiError(
    'PERMISSION_DENIED',
    '@ProjectPermissionDenied The Developer Console project is not permitted to make this request.',
  );
const alreadyDeleted = () =>
  new GoogleApiError('FAILED_PRECONDITION', 'Precondition check failed.');

/** doc: https://developers.google.com/classroom/reference/rest/v1/courses/list (courseStates default) */
const DEFAULT_COURSE_STATES = ['ACTIVE', 'ARCHIVED', 'PROVISIONED', 'DECLINED'];
/** doc: courses.teachers/list and courses.students/list ("The default is 30 if unspecified or 0") */
const ROSTER_PAGE_SIZE = 30;
// "Zero or unspecified indicates that the server may assign a maximum": no figure is published; we pick 100.
const SERVER_PAGE_SIZE = 100;
// doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements (text ≤ 30,000; ≤ 20 materials)
const MAX_TEXT = 30_000;
const MAX_MATERIALS = 20;
// doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements/patch (updateMask)
const PATCHABLE: Record<string, 'text' | 'state' | 'scheduledTime'> = {
  text: 'text',
  state: 'state',
  scheduledTime: 'scheduledTime',
  scheduled_time: 'scheduledTime',
};

interface AnnouncementHistoryEntry {
  at: string;
  action: 'created' | 'patched' | 'deleted';
  byUserId: string;
  project: string;
  state: string;
  text: string;
}

interface StoredAnnouncement {
  announcement: Announcement;
  /** The Developer Console project whose OAuth client created it (hidden from the API). */
  creatorProject: string;
  history: AnnouncementHistoryEntry[];
}

interface StoredCourse {
  course: Course;
  /** User ids, in the order they joined. */
  teachers: string[];
  students: string[];
  announcements: Map<string, StoredAnnouncement>;
  serial: number;
}

/** An announcement as the world sees it: the API fields plus what the API does not show. */
export interface AnnouncementRecord extends Announcement {
  creatorProject: string;
  history: AnnouncementHistoryEntry[];
}

export interface ListAnnouncementsArgs {
  announcementStates?: string[];
  orderBy?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface ListCoursesArgs {
  teacherId?: string;
  studentId?: string;
  courseStates?: string[];
  pageSize?: number;
  pageToken?: string;
}

export interface PageArgs {
  pageSize?: number;
  pageToken?: string;
}

const BASE = 'https://classroom.googleapis.com/v1';

export class SimClassroom {
  private courses = new Map<string, StoredCourse>();
  private admins = new Set<string>();
  /** Accounts the domain's administrator verified as teachers (the Classroom teachers group). */
  private verifiedTeachers = new Set<string>();
  private nextCourseId = 600_000_000_000n;
  private nextAnnouncementId = 700_000_000_000n;
  private serial = 0;

  constructor(private readonly kernel: SimKernel) {
    this.registerRoutes();
  }

  // ---- API methods (logic once, taking the caller) ---------------------------------

  listCourses(p: Principal, args: ListCoursesArgs = {}): ListCoursesResponse {
    requireScope(p, COURSE_READ);
    const teacher =
      args.teacherId === undefined ? undefined : this.resolveUser(p, args.teacherId, 'notFound');
    const student =
      args.studentId === undefined ? undefined : this.resolveUser(p, args.studentId, 'notFound');
    const states = args.courseStates?.length ? args.courseStates : DEFAULT_COURSE_STATES;
    const me = this.userId(p);
    const visible = [...this.courses.values()]
      .filter((c) => this.isAdmin(p) || c.teachers.includes(me) || c.students.includes(me))
      .filter((c) => !teacher || c.teachers.includes(teacher))
      .filter((c) => !student || c.students.includes(student))
      .filter((c) => states.includes(c.course.courseState!))
      // doc: courses/list ("ordered by creation time, with the most recently created coming first")
      .sort((a, b) => b.serial - a.serial);
    const { items, nextPageToken } = paginate(visible, args, SERVER_PAGE_SIZE, 'courses');
    return withToken({ courses: items.map((c) => structuredClone(c.course)) }, nextPageToken);
  }

  getCourse(p: Principal, courseId: string): Course {
    requireScope(p, COURSE_READ);
    const c = this.member(p, courseId);
    return structuredClone(c.course);
  }

  listTeachers(p: Principal, courseId: string, args: PageArgs = {}): ListTeachersResponse {
    requireScope(p, ROSTER_READ);
    const c = this.member(p, courseId);
    const { items, nextPageToken } = paginate(c.teachers, args, ROSTER_PAGE_SIZE, `t${courseId}`);
    const teachers: Teacher[] = items.map((id) => ({
      courseId: c.course.id,
      userId: id,
      profile: this.profile(p, id),
    }));
    return withToken({ teachers }, nextPageToken);
  }

  listStudents(p: Principal, courseId: string, args: PageArgs = {}): ListStudentsResponse {
    requireScope(p, ROSTER_READ);
    const c = this.member(p, courseId);
    const { items, nextPageToken } = paginate(c.students, args, ROSTER_PAGE_SIZE, `s${courseId}`);
    const students: Student[] = items.map((id) => ({
      courseId: c.course.id,
      userId: id,
      profile: this.profile(p, id),
    }));
    return withToken({ students }, nextPageToken);
  }

  /** doc: https://developers.google.com/classroom/reference/rest/v1/userProfiles/get (unknown user → PERMISSION_DENIED) */
  getUserProfile(p: Principal, userId: string): UserProfile {
    requireScope(p, ROSTER_READ);
    const id = this.resolveUser(p, userId, 'denied');
    const me = this.userId(p);
    const sharesCourse = [...this.courses.values()].some(
      (c) =>
        [...c.teachers, ...c.students].includes(me) && [...c.teachers, ...c.students].includes(id),
    );
    if (id !== me && !sharesCourse && !this.isAdmin(p)) throw denied();
    return this.profile(p, id);
  }

  createAnnouncement(p: Principal, courseId: string, resource: Announcement): Announcement {
    requireScope(p, ANNOUNCEMENT_WRITE);
    const c = this.course(courseId);
    if (!this.canTeach(p, c)) throw denied();
    const text = resource.text ?? '';
    if (text.length > MAX_TEXT) throw badArgument();
    if ((resource.materials?.length ?? 0) > MAX_MATERIALS) throw badArgument();
    // doc: courses.announcements resource ("If unspecified, the default state is DRAFT")
    const state = resource.state ?? 'DRAFT';
    if (state !== 'DRAFT' && state !== 'PUBLISHED') throw badArgument();
    if (!text.trim() && !resource.materials?.length) throw badArgument();
    this.nextAnnouncementId += 7919n;
    const id = this.nextAnnouncementId.toString();
    const now = iso(this.kernel.now());
    const announcement: Announcement = {
      courseId: c.course.id,
      id,
      text,
      state,
      creationTime: now,
      updateTime: now,
      creatorUserId: this.userId(p),
      // doc: courses.announcements resource (assigneeMode "If unspecified, the default value is ALL_STUDENTS")
      assigneeMode: resource.assigneeMode ?? 'ALL_STUDENTS',
    };
    if (resource.materials?.length) announcement.materials = resource.materials.map(serverMaterial);
    if (resource.individualStudentsOptions && announcement.assigneeMode === 'INDIVIDUAL_STUDENTS') {
      announcement.individualStudentsOptions = structuredClone(resource.individualStudentsOptions);
    }
    if (resource.scheduledTime) announcement.scheduledTime = resource.scheduledTime;
    this.setLink(c, announcement);
    const stored: StoredAnnouncement = { announcement, creatorProject: p.project, history: [] };
    this.log(stored, 'created', p);
    c.announcements.set(id, stored);
    return structuredClone(announcement);
  }

  getAnnouncement(p: Principal, courseId: string, id: string): Announcement {
    requireScope(p, ANNOUNCEMENT_READ);
    const c = this.member(p, courseId);
    const stored = c.announcements.get(id);
    // Deleted announcements and ones a pupil may not see are reported as missing (our choice: no doc
    // says whether Classroom answers NOT_FOUND or PERMISSION_DENIED there).
    if (!stored || !this.canSee(p, c, stored.announcement)) throw notFound();
    return structuredClone(stored.announcement);
  }

  listAnnouncements(
    p: Principal,
    courseId: string,
    args: ListAnnouncementsArgs = {},
  ): ListAnnouncementsResponse {
    requireScope(p, ANNOUNCEMENT_READ);
    const c = this.member(p, courseId);
    // doc: courses.announcements/list (announcementStates "default value is PUBLISHED"; students only PUBLISHED)
    const states = args.announcementStates?.length ? args.announcementStates : ['PUBLISHED'];
    for (const s of states) if (!['PUBLISHED', 'DRAFT', 'DELETED'].includes(s)) throw badArgument();
    const order = parseOrderBy(args.orderBy);
    const visible = [...c.announcements.values()]
      .map((s) => s.announcement)
      .filter((a) => a.state !== 'DELETED' && states.includes(a.state!) && this.canSee(p, c, a))
      .sort(
        (a, b) =>
          order * (Date.parse(a.updateTime!) - Date.parse(b.updateTime!)) ||
          order * cmpId(a.id!, b.id!),
      );
    const { items, nextPageToken } = paginate(
      visible,
      args,
      SERVER_PAGE_SIZE,
      `a${courseId}${states}${order}`,
    );
    return withToken({ announcements: items.map((a) => structuredClone(a)) }, nextPageToken);
  }

  patchAnnouncement(
    p: Principal,
    courseId: string,
    id: string,
    resource: Announcement,
    updateMask: string | undefined,
  ): Announcement {
    requireScope(p, ANNOUNCEMENT_WRITE);
    const c = this.course(courseId);
    const stored = c.announcements.get(id);
    if (!stored) throw notFound();
    if (!this.canTeach(p, c)) throw denied();
    // doc: courses.announcements/patch (PERMISSION_DENIED "if the requesting developer project did not create" it)
    if (stored.creatorProject !== p.project) throw projectDenied();
    // doc: courses.announcements/patch (FAILED_PRECONDITION "if the requested announcement has already been deleted")
    if (stored.announcement.state === 'DELETED') throw alreadyDeleted();
    // doc: courses.announcements/patch (updateMask "This field is required to do an update")
    const fields = (updateMask ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    if (fields.length === 0) throw badArgument('updateMask: Update mask is required.');
    const next = structuredClone(stored.announcement);
    for (const raw of fields) {
      const field = PATCHABLE[raw];
      if (!field)
        throw badArgument(`updateMask: Non-supported update mask fields specified: ${raw}`);
      if (field === 'text') {
        if (!resource.text?.trim() || resource.text.length > MAX_TEXT) throw badArgument();
        next.text = resource.text;
      } else if (field === 'state') {
        // Only a draft can be published; there is no unpublish, and deletion is the delete method (our reading).
        if (resource.state !== 'PUBLISHED' && resource.state !== next.state) throw badArgument();
        next.state = resource.state;
      } else if (resource.scheduledTime) {
        next.scheduledTime = resource.scheduledTime;
      } else {
        delete next.scheduledTime;
      }
    }
    next.updateTime = iso(this.kernel.now());
    this.setLink(c, next);
    stored.announcement = next;
    this.log(stored, 'patched', p);
    return structuredClone(next);
  }

  /**
   * doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements/delete
   * ("must be made by the Developer Console project of the OAuth client ID used to create" it)
   */
  deleteAnnouncement(p: Principal, courseId: string, id: string): Record<string, never> {
    requireScope(p, ANNOUNCEMENT_WRITE);
    const c = this.course(courseId);
    const stored = c.announcements.get(id);
    if (!stored) throw notFound();
    if (!this.canTeach(p, c)) throw denied();
    if (stored.creatorProject !== p.project) throw projectDenied();
    if (stored.announcement.state === 'DELETED') throw alreadyDeleted();
    stored.announcement = {
      ...stored.announcement,
      state: 'DELETED',
      updateTime: iso(this.kernel.now()),
    };
    delete stored.announcement.alternateLink;
    this.log(stored, 'deleted', p);
    return {};
  }

  // ---- Apps Script advanced service -----------------------------------------------

  /** The `Classroom` global (the subset the product uses). */
  advancedService() {
    const k = this.kernel;
    const Announcements = {
      create: (resource: Announcement, courseId: string) =>
        advancedCall(k, 'classroom.courses.announcements.create', (p) =>
          this.createAnnouncement(p, courseId, resource),
        ),
      get: (courseId: string, id: string) =>
        advancedCall(k, 'classroom.courses.announcements.get', (p) =>
          this.getAnnouncement(p, courseId, id),
        ),
      list: (courseId: string, optionalArgs?: object) =>
        advancedCall(k, 'classroom.courses.announcements.list', (p) =>
          this.listAnnouncements(p, courseId, announcementArgs(optionalArgs)),
        ),
      patch: (resource: Announcement, courseId: string, id: string, optionalArgs?: object) =>
        advancedCall(k, 'classroom.courses.announcements.patch', (p) =>
          this.patchAnnouncement(p, courseId, id, resource, updateMaskOf(optionalArgs)),
        ),
      // Apps Script names the REST `delete` method `remove`.
      remove: (courseId: string, id: string): void => {
        advancedCall(k, 'classroom.courses.announcements.delete', (p) =>
          this.deleteAnnouncement(p, courseId, id),
        );
      },
    } satisfies Pick<AnnouncementsCollection, 'create' | 'get' | 'list' | 'patch' | 'remove'>;
    const Teachers = {
      list: (courseId: string, optionalArgs?: object) =>
        advancedCall(k, 'classroom.courses.teachers.list', (p) =>
          this.listTeachers(p, courseId, pageArgs(optionalArgs)),
        ),
    } satisfies Pick<TeachersCollection, 'list'>;
    const Students = {
      list: (courseId: string, optionalArgs?: object) =>
        advancedCall(k, 'classroom.courses.students.list', (p) =>
          this.listStudents(p, courseId, pageArgs(optionalArgs)),
        ),
    } satisfies Pick<StudentsCollection, 'list'>;
    const Courses = {
      list: (optionalArgs?: object) =>
        advancedCall(k, 'classroom.courses.list', (p) =>
          this.listCourses(p, courseArgs(optionalArgs)),
        ),
      get: (id: string) => advancedCall(k, 'classroom.courses.get', (p) => this.getCourse(p, id)),
      Announcements,
      Teachers,
      Students,
    } satisfies Pick<CoursesCollection, 'list' | 'get'> & {
      Announcements: Pick<AnnouncementsCollection, 'create' | 'get' | 'list' | 'patch' | 'remove'>;
      Teachers: Pick<TeachersCollection, 'list'>;
      Students: Pick<StudentsCollection, 'list'>;
    };
    const UserProfiles = {
      get: (userId: string) =>
        advancedCall(k, 'classroom.userProfiles.get', (p) => this.getUserProfile(p, userId)),
    } satisfies Pick<UserProfilesCollection, 'get'>;
    return { Courses, UserProfiles };
  }

  // ---- World / test API (acts as people; not counted) -------------------------------

  /** A teacher creates a class in the Classroom web UI: it is ACTIVE and they own and teach it. */
  addCourse(spec: { name: string; section?: string; ownerEmail: string }): string {
    const owner = this.kernel.directory.require(spec.ownerEmail);
    this.nextCourseId += 104_729n;
    const id = this.nextCourseId.toString();
    const now = iso(this.kernel.now());
    this.serial += 1;
    const course: Course = {
      id,
      name: spec.name,
      ownerId: owner.id,
      creationTime: now,
      updateTime: now,
      enrollmentCode: enrollmentCode(this.serial),
      courseState: 'ACTIVE',
      alternateLink: `https://classroom.google.com/c/${b64(id)}`,
      teacherGroupEmail: `${slug(spec.name)}_teachers_${id.slice(-6)}@${this.kernel.directory.domain}`,
      courseGroupEmail: `${slug(spec.name)}_${id.slice(-6)}@${this.kernel.directory.domain}`,
      guardiansEnabled: false,
    };
    if (spec.section !== undefined) course.section = spec.section;
    this.courses.set(id, {
      course,
      teachers: [owner.id],
      students: [],
      announcements: new Map(),
      serial: this.serial,
    });
    return id;
  }

  /**
   * The administrator verifies an account as a teacher: adds it to the group set as Classroom's
   * teachers group. doc: https://support.google.com/edu/classroom/answer/6071551 ("Verify
   * teachers"); the profile's `verifiedTeacher` then says true.
   */
  verifyTeacher(email: string): void {
    this.verifiedTeachers.add(this.kernel.directory.require(email).id);
  }

  addTeacher(courseId: string, email: string): void {
    const c = this.courseOrThrow(courseId);
    const id = this.kernel.directory.require(email).id;
    if (!c.teachers.includes(id)) c.teachers.push(id);
    c.students = c.students.filter((s) => s !== id);
  }

  /**
   * Someone with rights on the course removes a teacher from it in Classroom. Not the owner:
   * doc: https://developers.google.com/classroom/reference/rest/v1/courses.teachers/delete
   * ("FAILED_PRECONDITION if the requested ID belongs to the primary teacher of this course");
   * the class is handed to someone else first (`transferOwnership`).
   */
  removeTeacher(courseId: string, email: string): void {
    const c = this.courseOrThrow(courseId);
    const id = this.kernel.directory.require(email).id;
    if (c.course.ownerId === id)
      throw new Error(
        `${email} owns course ${courseId}: Classroom refuses to remove a course's primary teacher (FAILED_PRECONDITION); transfer ownership first`,
      );
    c.teachers = c.teachers.filter((t) => t !== id);
  }

  /**
   * An admin hands the class to another of its teachers (courses.patch with `ownerId`).
   * doc: https://developers.google.com/classroom/reference/rest/v1/courses/patch ("Admins can
   * also specify this field in a patch course request to transfer ownership"; FAILED_PRECONDITION
   * "IneligibleOwner").
   * assumption: the new owner must already teach the class (what IneligibleOwner means in the
   * Classroom web app, which offers only co-teachers as new owners).
   */
  transferOwnership(courseId: string, email: string): void {
    const c = this.courseOrThrow(courseId);
    const id = this.kernel.directory.require(email).id;
    if (!c.teachers.includes(id))
      throw new Error(`${email} does not teach course ${courseId}: IneligibleOwner`);
    c.course = { ...c.course, ownerId: id, updateTime: iso(this.kernel.now()) };
  }

  addStudent(courseId: string, email: string): void {
    const c = this.courseOrThrow(courseId);
    const id = this.kernel.directory.require(email).id;
    if (!c.students.includes(id) && !c.teachers.includes(id)) c.students.push(id);
  }

  removeStudent(courseId: string, email: string): void {
    const c = this.courseOrThrow(courseId);
    const id = this.kernel.directory.require(email).id;
    c.students = c.students.filter((s) => s !== id);
  }

  /**
   * A teacher deletes the class (it must be archived first in the UI; the API's delete does not
   * ask). Afterwards every call naming it answers NOT_FOUND.
   * doc: https://developers.google.com/workspace/classroom/reference/rest/v1/courses/delete
   * ("NOT_FOUND if no course exists with the requested ID")
   */
  deleteCourse(courseId: string): void {
    this.courseOrThrow(courseId);
    this.courses.delete(courseId);
  }

  setCourseState(courseId: string, state: string): void {
    this.courseOrThrow(courseId).course.courseState = state;
  }

  /** A Workspace admin (with Classroom admin rights) sees and may act on every course. */
  addDomainAdmin(email: string): void {
    this.admins.add(email.toLowerCase());
  }

  /** What a pupil sees in the class stream now: published announcements meant for them, newest first. */
  announcementsVisibleTo(email: string, courseId: string): Announcement[] {
    const c = this.courseOrThrow(courseId);
    const user = this.kernel.directory.require(email);
    if (!c.students.includes(user.id) && !c.teachers.includes(user.id)) return [];
    return [...c.announcements.values()]
      .map((s) => s.announcement)
      .filter((a) => a.state === 'PUBLISHED' && this.visibleToStudent(user.id, c, a))
      .sort((a, b) => Date.parse(b.updateTime!) - Date.parse(a.updateTime!) || cmpId(b.id!, a.id!))
      .map((a) => structuredClone(a));
  }

  /** Every announcement ever made in the course, deleted ones included, with who did what from where. */
  allAnnouncements(courseId: string): AnnouncementRecord[] {
    const c = this.courseOrThrow(courseId);
    return [...c.announcements.values()].map((s) => ({
      ...structuredClone(s.announcement),
      creatorProject: s.creatorProject,
      history: structuredClone(s.history),
    }));
  }

  /**
   * Someone posts from elsewhere: by default a teacher in the Classroom web UI, or any other
   * Developer Console project; the product's project may then not patch or delete it.
   */
  postAsOtherProject(
    courseId: string,
    authorEmail: string,
    resource: Announcement,
    project: string = CLASSROOM_UI_PROJECT,
  ): Announcement {
    const principal: Principal = {
      user: authorEmail.toLowerCase(),
      scopes: [`${SCOPE_PREFIX}classroom.announcements`],
      project,
      expiresAt: this.kernel.now() + 3_600_000,
      // Not an Apps Script token; `via` only matters to the delegation tests.
      via: 'delegation',
    };
    return this.createAnnouncement(principal, courseId, { state: 'PUBLISHED', ...resource });
  }

  // ---- internals --------------------------------------------------------------------

  private userId(p: Principal): string {
    const user = this.kernel.directory.byEmail(p.user);
    if (!user) throw denied();
    return user.id;
  }

  private isAdmin(p: Principal): boolean {
    return this.admins.has(p.user.toLowerCase());
  }

  /** userId forms: numeric id, email address, or "me". */
  private resolveUser(p: Principal, userId: string, missing: 'notFound' | 'denied'): string {
    if (userId === 'me') return this.userId(p);
    const user = userId.includes('@')
      ? this.kernel.directory.byEmail(userId)
      : this.kernel.directory.byId(userId);
    if (!user) throw missing === 'notFound' ? notFound() : denied();
    return user.id;
  }

  private course(courseId: string): StoredCourse {
    const c = this.courses.get(courseId);
    if (!c) throw notFound();
    return c;
  }

  private courseOrThrow(courseId: string): StoredCourse {
    const c = this.courses.get(courseId);
    if (!c) throw new Error(`No simulated course ${courseId}`);
    return c;
  }

  /** The course, if the caller belongs to it (or administers the domain). */
  private member(p: Principal, courseId: string): StoredCourse {
    const c = this.course(courseId);
    const me = this.userId(p);
    if (!this.isAdmin(p) && !c.teachers.includes(me) && !c.students.includes(me)) throw denied();
    return c;
  }

  private canTeach(p: Principal, c: StoredCourse): boolean {
    return this.isAdmin(p) || c.teachers.includes(this.userId(p));
  }

  /** doc: courses.announcements/list ("Course students may only view PUBLISHED announcements") */
  private canSee(p: Principal, c: StoredCourse, a: Announcement): boolean {
    if (a.state === 'DELETED') return false;
    if (this.canTeach(p, c)) return true;
    return a.state === 'PUBLISHED' && this.visibleToStudent(this.userId(p), c, a);
  }

  private visibleToStudent(userId: string, c: StoredCourse, a: Announcement): boolean {
    if (c.teachers.includes(userId)) return true;
    if (a.assigneeMode === 'INDIVIDUAL_STUDENTS') {
      return a.individualStudentsOptions?.studentIds?.includes(userId) ?? false;
    }
    return true;
  }

  /** doc: courses.announcements resource (alternateLink "only populated if state is PUBLISHED") */
  private setLink(c: StoredCourse, a: Announcement): void {
    if (a.state === 'PUBLISHED') a.alternateLink = `${c.course.alternateLink}/p/${b64(a.id!)}`;
    else delete a.alternateLink;
  }

  /**
   * doc: https://developers.google.com/classroom/reference/rest/v1/userProfiles (emailAddress needs
   * classroom.profile.emails, photoUrl needs classroom.profile.photos)
   */
  private profile(p: Principal, userId: string): UserProfile {
    const user = this.kernel.directory.byId(userId);
    if (!user) throw notFound();
    const [givenName = '', ...rest] = user.name.split(' ');
    const profile: UserProfile = {
      id: user.id,
      name: { givenName, familyName: rest.join(' '), fullName: user.name },
      // doc: https://developers.google.com/classroom/reference/rest/v1/userProfiles ("verifiedTeacher:
      // Represents whether a Google Workspace for Education user's domain administrator has
      // explicitly verified them as being a teacher.")
    };
    // assumption: as in proto3's JSON mapping, a false boolean is left out of the answer; the
    // product reads only `true` as verified.
    if (this.verifiedTeachers.has(user.id)) profile.verifiedTeacher = true;
    if (p.scopes.includes(`${SCOPE_PREFIX}classroom.profile.emails`)) {
      noteScopeUse(p, ['classroom.profile.emails']);
      profile.emailAddress = user.email;
    }
    if (p.scopes.includes(`${SCOPE_PREFIX}classroom.profile.photos`)) {
      profile.photoUrl = `//lh3.googleusercontent.com/a/default-user-${user.id.slice(-6)}`;
    }
    return profile;
  }

  private log(
    stored: StoredAnnouncement,
    action: AnnouncementHistoryEntry['action'],
    p: Principal,
  ): void {
    stored.history.push({
      at: iso(this.kernel.now()),
      action,
      byUserId: this.userId(p),
      project: p.project,
      state: stored.announcement.state!,
      text: stored.announcement.text ?? '',
    });
  }

  private registerRoutes(): void {
    const http = this.kernel.http;
    const announcements = `${BASE}/courses/{courseId}/announcements`;
    http.route(`GET ${BASE}/courses`, 'classroom.courses.list', (ctx) =>
      this.listCourses(ctx.principal, courseArgs(queryObject(ctx.query, ['courseStates']))),
    );
    http.route(`GET ${BASE}/courses/{id}`, 'classroom.courses.get', (ctx) =>
      this.getCourse(ctx.principal, ctx.params.id!),
    );
    http.route(
      `GET ${BASE}/courses/{courseId}/teachers`,
      'classroom.courses.teachers.list',
      (ctx) =>
        this.listTeachers(ctx.principal, ctx.params.courseId!, pageArgs(queryObject(ctx.query))),
    );
    http.route(
      `GET ${BASE}/courses/{courseId}/students`,
      'classroom.courses.students.list',
      (ctx) =>
        this.listStudents(ctx.principal, ctx.params.courseId!, pageArgs(queryObject(ctx.query))),
    );
    http.route(`GET ${BASE}/userProfiles/{userId}`, 'classroom.userProfiles.get', (ctx) =>
      this.getUserProfile(ctx.principal, ctx.params.userId!),
    );
    http.route(`POST ${announcements}`, 'classroom.courses.announcements.create', (ctx) =>
      this.createAnnouncement(ctx.principal, ctx.params.courseId!, ctx.json<Announcement>()),
    );
    http.route(`GET ${announcements}`, 'classroom.courses.announcements.list', (ctx) =>
      this.listAnnouncements(
        ctx.principal,
        ctx.params.courseId!,
        announcementArgs(queryObject(ctx.query, ['announcementStates'])),
      ),
    );
    http.route(`GET ${announcements}/{id}`, 'classroom.courses.announcements.get', (ctx) =>
      this.getAnnouncement(ctx.principal, ctx.params.courseId!, ctx.params.id!),
    );
    http.route(`PATCH ${announcements}/{id}`, 'classroom.courses.announcements.patch', (ctx) =>
      this.patchAnnouncement(
        ctx.principal,
        ctx.params.courseId!,
        ctx.params.id!,
        ctx.json<Announcement>(),
        ctx.query.get('updateMask') ?? undefined,
      ),
    );
    // doc: courses.announcements/delete ("If successful, the response body is an empty JSON object")
    http.route(`DELETE ${announcements}/{id}`, 'classroom.courses.announcements.delete', (ctx) =>
      this.deleteAnnouncement(ctx.principal, ctx.params.courseId!, ctx.params.id!),
    );
  }
}

// ---- helpers ------------------------------------------------------------------------

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function b64(id: string): string {
  return Buffer.from(id).toString('base64url');
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'class'
  );
}

function enrollmentCode(n: number): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  let x = n * 2_654_435_761;
  let code = '';
  for (let i = 0; i < 7; i++) {
    code += alphabet[x % alphabet.length];
    x = Math.floor(x / alphabet.length) + i * 7;
  }
  return code;
}

function cmpId(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** doc: courses.announcements/list orderBy ("updateTime desc" by default; `updateTime`, `updateTime asc`) */
function parseOrderBy(orderBy: string | undefined): 1 | -1 {
  if (orderBy === undefined || orderBy.trim() === '') return -1;
  const m = /^\s*updateTime(\s+(asc|desc))?\s*$/.exec(orderBy);
  if (!m) throw badArgument();
  return m[2] === 'desc' ? -1 : 1;
}

/**
 * A link material keeps its URL; its title is read-only and set by Classroom from the
 * page, which the simulation cannot fetch, so it becomes the URL itself.
 * doc: https://developers.google.com/classroom/reference/rest/v1/Material (Link.title "Read-only")
 */
function serverMaterial(m: Material): Material {
  if (m.link) {
    if (!m.link.url || m.link.url.length > 2024) throw badArgument();
    return { link: { url: m.link.url, title: m.link.url } };
  }
  return structuredClone(m);
}

interface PageTokenBody {
  o: number;
  k: string;
}

/** Opaque page tokens; a token from a different request is INVALID_ARGUMENT ("must be otherwise identical"). */
function paginate<T>(
  all: T[],
  args: PageArgs,
  defaultSize: number,
  key: string,
): { items: T[]; nextPageToken?: string } {
  const size = args.pageSize && args.pageSize > 0 ? args.pageSize : defaultSize;
  if (args.pageSize !== undefined && (!Number.isInteger(args.pageSize) || args.pageSize < 0)) {
    throw badArgument();
  }
  let offset = 0;
  if (args.pageToken) {
    let body: PageTokenBody | undefined;
    try {
      body = JSON.parse(Buffer.from(args.pageToken, 'base64url').toString('utf8')) as PageTokenBody;
    } catch {
      body = undefined;
    }
    if (!body || body.k !== key || typeof body.o !== 'number') throw badArgument();
    offset = body.o;
  }
  const items = all.slice(offset, offset + size);
  if (offset + size >= all.length) return { items };
  const token = Buffer.from(JSON.stringify({ o: offset + size, k: key })).toString('base64url');
  return { items, nextPageToken: token };
}

/** Google omits empty lists and absent tokens from list responses. */
function withToken<T extends Record<string, unknown>>(
  body: T,
  nextPageToken: string | undefined,
): T {
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value) && value.length === 0) delete body[key];
  }
  if (nextPageToken) (body as Record<string, unknown>).nextPageToken = nextPageToken;
  return body;
}

function queryObject(q: URLSearchParams, repeated: string[] = []): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const key of new Set(q.keys())) o[key] = repeated.includes(key) ? q.getAll(key) : q.get(key);
  return o;
}

function toArray(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}

function toNumber(v: unknown): number | undefined {
  return v === undefined || v === null || v === '' ? undefined : Number(v);
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function pageArgs(o: object | undefined): PageArgs {
  const a = (o ?? {}) as Record<string, unknown>;
  const out: PageArgs = {};
  const pageSize = toNumber(a.pageSize);
  if (pageSize !== undefined) out.pageSize = pageSize;
  const pageToken = str(a.pageToken);
  if (pageToken !== undefined) out.pageToken = pageToken;
  return out;
}

function courseArgs(o: object | undefined): ListCoursesArgs {
  const a = (o ?? {}) as Record<string, unknown>;
  const out: ListCoursesArgs = pageArgs(o);
  const teacherId = str(a.teacherId);
  if (teacherId !== undefined) out.teacherId = teacherId;
  const studentId = str(a.studentId);
  if (studentId !== undefined) out.studentId = studentId;
  const courseStates = toArray(a.courseStates);
  if (courseStates !== undefined) out.courseStates = courseStates;
  return out;
}

function announcementArgs(o: object | undefined): ListAnnouncementsArgs {
  const a = (o ?? {}) as Record<string, unknown>;
  const out: ListAnnouncementsArgs = pageArgs(o);
  const states = toArray(a.announcementStates);
  if (states !== undefined) out.announcementStates = states;
  const orderBy = str(a.orderBy);
  if (orderBy !== undefined) out.orderBy = orderBy;
  return out;
}

function updateMaskOf(o: object | undefined): string | undefined {
  return str((o as Record<string, unknown> | undefined)?.updateMask);
}
