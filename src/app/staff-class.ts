// R5, R11, R21: who the school itself lists as staff, where it keeps such a list. Pupils' accounts
// often share the staff domain, and nothing Google documents lets a teacher (or the automation
// with the rights it has) tell a pupil of someone else's class from a teaching assistant:
// - Classroom courses.list?studentId= shows a caller only the classes they can view, and acting
//   as the typed person needs classroom.courses.readonly, which the delegation does not hold (the
//   sidebar cannot delegate at all); being someone's pupil is also no proof of not being staff
//   (staff sit as students in staff training classes).
//   doc: https://developers.google.com/workspace/classroom/reference/rest/v1/courses/list
// - Classroom userProfiles.verifiedTeacher says only whether the administrator verified the
//   account as a teacher; assistants are often not verified, and another user's profile may be
//   refused ("PERMISSION_DENIED if the requesting user is not permitted to access this user
//   profile"). doc: https://developers.google.com/classroom/reference/rest/v1/userProfiles/get
// - the Admin Directory's domain_public view, the only one readable without admin rights, holds
//   no org unit or role. doc: https://developers.google.com/workspace/admin/directory/v1/guides/manage-users#retrieve_users_non_admin
// - a Google Group needs a new scope for every install (GroupsApp: auth/groups; Cloud Identity:
//   cloud-identity.groups.readonly, and its membership check is for Enterprise editions only).
//   doc: https://developers.google.com/apps-script/reference/groups/groups-app
//   doc: https://cloud.google.com/identity/docs/reference/rest/v1/groups.memberships/checkTransitiveMembership
// So the school names a Classroom class that holds its staff (`staffClass`): its rosters are read
// with the scopes the product already has (courses.teachers.list and courses.students.list, as a
// member of it), and only a teacher of a class can add people to it once its code is off.
// doc: https://developers.google.com/classroom/reference/rest/v1/courses.students/list
// Not set (the default), nothing changes: staff are told by the domain and Classroom as before.

import { isFailure } from '../core/errors';
import type { Deps } from './deps';

export type StaffClass =
  /** The school names no staff class. */
  | { kind: 'none' }
  /** Its members, by lower-case email and by account id. */
  | { kind: 'read'; emails: ReadonlySet<string>; ids: ReadonlySet<string> }
  /** Classroom refused to show it to `actingAs` (403): they are not in it. */
  | { kind: 'not-member' }
  /** Classroom has no such class (404): the setting is wrong. */
  | { kind: 'missing' };

/**
 * The staff class's members as `actingAs` sees them (teachers and students; kept 10 minutes, as
 * every roster the sidebar reads). A 429 or 5xx is thrown: the caller refuses and says try again.
 */
export function staffClass(deps: Deps, actingAs: string): StaffClass {
  const id = deps.settings.staffClass;
  if (!id) return { kind: 'none' };
  try {
    const people = [...deps.classes.teachers(actingAs, id), ...deps.classes.pupils(actingAs, id)];
    return {
      kind: 'read',
      emails: new Set(people.flatMap((p) => (p.email ? [p.email.toLowerCase()] : []))),
      ids: new Set(people.map((p) => p.userId)),
    };
  } catch (error) {
    if (isFailure(error, 'forbidden')) return { kind: 'not-member' };
    if (isFailure(error, 'gone')) return { kind: 'missing' };
    throw error;
  }
}
