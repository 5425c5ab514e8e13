// A scripted school in a few lines: a domain, an automation account, SLT, a DSL, an
// approver, teachers with Classroom courses and pupils on their rosters, and the
// keyless delegation an administrator would configure.

import type { SimUser } from './kernel/directory';
import { SimWorkspace, type WorkspaceOptions } from './workspace';

export const DELEGATION_SA = 'sll-automation@school-project.iam.gserviceaccount.com';
export const DELEGATION_CLIENT_ID = '110000000000000000001';

export interface SchoolSpec {
  domain?: string;
  start?: Date | number;
  teachers?: number;
  pupilsPerCourse?: number;
  seed?: number;
  recordingDelayMs?: number;
}

export interface SimCourse {
  id: string;
  name: string;
  teacher: SimUser;
  assistant: SimUser;
  pupils: SimUser[];
}

export interface School {
  ws: SimWorkspace;
  domain: string;
  automation: SimUser;
  head: SimUser;
  dsl: SimUser;
  slt: SimUser;
  teachers: SimUser[];
  courses: SimCourse[];
  outsider: SimUser;
  /** Configures keyless domain-wide delegation as an administrator would (IAM + Admin console). */
  enableDelegation(scopes: string[]): void;
}

const FIRST = [
  'Amara',
  'Ben',
  'Chloe',
  'Dev',
  'Ella',
  'Finn',
  'Grace',
  'Hari',
  'Isla',
  'Jack',
  'Kemi',
  'Leo',
  'Maya',
  'Noah',
  'Orla',
  'Priya',
];
const LAST = [
  'Adams',
  'Brown',
  'Clarke',
  'Davies',
  'Evans',
  'Fisher',
  'Green',
  'Hughes',
  'Iqbal',
  'Jones',
  'Khan',
  'Lewis',
];

export function makeSchool(spec: SchoolSpec = {}): School {
  const domain = spec.domain ?? 'kenilworth.sch.uk';
  const options: WorkspaceOptions = {
    start: spec.start ?? Date.UTC(2026, 10, 23, 7, 0),
    domain,
    seed: spec.seed ?? 1,
    recordingDelayMs: spec.recordingDelayMs,
  };
  const ws = new SimWorkspace(options);
  const dir = ws.kernel.directory;
  const staff = (local: string, name: string) =>
    dir.add({ email: `${local}@${domain}`, name, kind: 'staff' });
  const automation = dir.add({
    email: `automation@${domain}`,
    name: 'Safe Live Lessons automation',
    kind: 'staff',
  });
  const head = staff('head', 'Fiona Ajose');
  const dsl = staff('dsl', 'Dee Safeguard');
  const slt = staff('slt', 'Sam Leader');
  const teachers: SimUser[] = [];
  const courses: SimCourse[] = [];
  const count = spec.teachers ?? 2;
  let pupilSerial = 0;
  for (let t = 0; t < count; t++) {
    const first = FIRST[t % FIRST.length]!;
    const last = LAST[t % LAST.length]!;
    const teacher = staff(
      `${first.toLowerCase()}.${last.toLowerCase()}${t >= FIRST.length ? t : ''}`,
      `${first} ${last}`,
    );
    const assistant = staff(`ta${t + 1}`, `Teaching Assistant ${t + 1}`);
    teachers.push(teacher);
    const name = `Year ${3 + (t % 4)} Class ${String.fromCharCode(65 + t)}`;
    const id = ws.classroom.addCourse({ name, ownerEmail: teacher.email });
    ws.classroom.addTeacher(id, assistant.email);
    ws.classroom.verifyTeacher(teacher.email);
    ws.classroom.verifyTeacher(assistant.email);
    const pupils: SimUser[] = [];
    for (let p = 0; p < (spec.pupilsPerCourse ?? 6); p++) {
      pupilSerial += 1;
      const pupil = dir.add({
        email: `pupil${pupilSerial}@${domain}`,
        name: `${FIRST[(pupilSerial * 7) % FIRST.length]} ${LAST[(pupilSerial * 5) % LAST.length]}`,
        kind: 'pupil',
      });
      ws.classroom.addStudent(id, pupil.email);
      pupils.push(pupil);
    }
    courses.push({ id, name, teacher, assistant, pupils });
  }
  const outsider = dir.add({
    email: 'stranger@gmail.example',
    name: 'A Stranger',
    kind: 'external',
  });
  return {
    ws,
    domain,
    automation,
    head,
    dsl,
    slt,
    teachers,
    courses,
    outsider,
    enableDelegation(scopes: string[]) {
      ws.auth.createServiceAccount(DELEGATION_SA, { clientId: DELEGATION_CLIENT_ID });
      ws.auth.grantTokenCreator(automation.email, DELEGATION_SA);
      ws.auth.authorizeDelegation(DELEGATION_CLIENT_ID, scopes);
    },
  };
}
