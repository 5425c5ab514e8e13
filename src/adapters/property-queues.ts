// Records on their way to the safeguarding log, kept in script properties until a run writes
// them: teachers' lesson-log entries, incident reports for the DSL's Incidents sheet, and
// removed pupils to follow up (R15, R23), with SLT's clearing marks. One property a record,
// keyed by a prefix and the record's id, so a write never rewrites another's record.
// doc: https://developers.google.com/apps-script/reference/properties/properties

import type { ClearedFollowUp } from '../core/follow-ups';
import type { FollowUp, IncidentReport } from '../core/incident';
import type { FollowUps, IncidentQueue, TeacherLogQueue } from '../core/ports';
import type { TeacherLogEntry } from '../core/teacher-log';

type Props = GoogleAppsScript.Properties.Properties;

const TEACHER_LOG = 'tlog:';
const INCIDENT = 'incq:';
const FOLLOW_UP = 'follow:';
/** R23: marks SLT cleared, waiting to be written (with who and when) to the Follow-ups sheet. */
const CLEARED = 'followed:';

function prefixed<T>(props: Props, prefix: string): T[] {
  return Object.entries(props.getProperties())
    .filter(([key]) => key.startsWith(prefix))
    .map(([, value]) => JSON.parse(value) as T);
}

export class PropertyTeacherLogQueue implements TeacherLogQueue {
  constructor(private readonly props: Props) {}

  enqueue(entry: TeacherLogEntry): void {
    this.props.setProperty(`${TEACHER_LOG}${entry.lessonId}:${entry.at}`, JSON.stringify(entry));
  }

  pending(): TeacherLogEntry[] {
    return prefixed<TeacherLogEntry>(this.props, TEACHER_LOG).sort((a, b) => a.at - b.at);
  }

  done(entries: readonly TeacherLogEntry[]): void {
    for (const e of entries) this.props.deleteProperty(`${TEACHER_LOG}${e.lessonId}:${e.at}`);
  }
}

export class PropertyIncidentQueue implements IncidentQueue {
  constructor(private readonly props: Props) {}

  enqueue(report: IncidentReport): void {
    this.props.setProperty(INCIDENT + report.id, JSON.stringify(report));
  }

  pending(): IncidentReport[] {
    return prefixed<IncidentReport>(this.props, INCIDENT).sort((a, b) => a.at - b.at);
  }

  done(reports: readonly IncidentReport[]): void {
    for (const r of reports) this.props.deleteProperty(INCIDENT + r.id);
  }
}

export class PropertyFollowUps implements FollowUps {
  constructor(private readonly props: Props) {}

  open(): FollowUp[] {
    return prefixed<FollowUp>(this.props, FOLLOW_UP).sort((a, b) => a.at - b.at);
  }

  add(followUp: FollowUp): void {
    this.props.setProperty(FOLLOW_UP + followUp.incidentId, JSON.stringify(followUp));
  }

  close(incidentIds: readonly string[]): number {
    let closed = 0;
    for (const id of incidentIds) {
      if (this.props.getProperty(FOLLOW_UP + id) === null) continue;
      this.props.deleteProperty(FOLLOW_UP + id);
      closed += 1;
    }
    return closed;
  }

  /** R23: the mark moves to the cleared list (with who and when) in one write, then leaves the open one. */
  clear(incidentId: string, by: string, at: number, how: ClearedFollowUp['how']): boolean {
    const raw = this.props.getProperty(FOLLOW_UP + incidentId);
    if (raw === null) return false;
    const cleared: ClearedFollowUp = {
      ...(JSON.parse(raw) as FollowUp),
      clearedBy: by.toLowerCase(),
      clearedAt: at,
      how,
    };
    this.props.setProperty(CLEARED + incidentId, JSON.stringify(cleared));
    this.props.deleteProperty(FOLLOW_UP + incidentId);
    return true;
  }

  cleared(): ClearedFollowUp[] {
    return prefixed<ClearedFollowUp>(this.props, CLEARED).sort((a, b) => a.clearedAt - b.clearedAt);
  }

  clearedLogged(incidentIds: readonly string[]): void {
    for (const id of incidentIds) this.props.deleteProperty(CLEARED + id);
  }
}
