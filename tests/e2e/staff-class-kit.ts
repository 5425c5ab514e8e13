// A school that keeps its staff in a Classroom class of their own (a staff room class) and names
// it in the settings (`staffClass`, R5, R11, R21): what probe-people and probe-authority share.

import type { DeployedSchool } from './deployed-school';

/**
 * SLT's staff room class: the teachers, SLT and the DSL as its teachers, the teaching assistants
 * (and `students`) as its students; then SLT set `staffClass` to it (setup applies it at once).
 */
export function nameStaffClass(school: DeployedSchool, students: string[] = []): string {
  const { ws } = school;
  const s = school.school;
  const id = ws.classroom.addCourse({ name: 'Staff room', ownerEmail: s.head.email });
  for (const adult of [...s.teachers, s.slt, s.dsl]) ws.classroom.addTeacher(id, adult.email);
  for (const adult of [...s.courses.map((c) => c.assistant.email), ...students])
    ws.classroom.addStudent(id, adult);
  school.writeSettings({ staffClass: id });
  school.run('setup', {}, s.automation.email, 'editor');
  return id;
}
