// The human part of the log (Appendix A of policy 000): what the teacher says about
// technology issues, behaviour and anything for SLT. Teachers cannot open the log
// (R20), so their entries wait in a queue that the automation writes into the row.

import { safeCell } from './sheet-safe';

export interface TeacherLogEntry {
  lessonId: string;
  teacher: string;
  technologyIssues: string;
  inappropriateBehaviour: string;
  shareWithSlt: string;
  at: number;
}

/** Longest entry kept per field; a cell holds 50,000 characters but a log line should not. */
export const MAX_LOG_FIELD = 2000;

export type LogEntryCheck =
  | { ok: true; entry: TeacherLogEntry }
  | { ok: false; problems: string[] };

export function checkTeacherLog(entry: TeacherLogEntry): LogEntryCheck {
  const problems: string[] = [];
  const fields: [keyof TeacherLogEntry, string][] = [
    ['technologyIssues', 'Technology issues'],
    ['inappropriateBehaviour', 'Inappropriate behaviour'],
    ['shareWithSlt', 'Anything to share with SLT'],
  ];
  for (const [key, label] of fields) {
    const value = String(entry[key] ?? '');
    if (value.length > MAX_LOG_FIELD)
      problems.push(`${label} is too long (${value.length} characters; at most ${MAX_LOG_FIELD}).`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    entry: {
      ...entry,
      technologyIssues: entry.technologyIssues.trim() || 'None',
      inappropriateBehaviour: entry.inappropriateBehaviour.trim() || 'None',
      shareWithSlt: entry.shareWithSlt.trim() || 'None',
    },
  };
}

/** The three Appendix A cells, safe for the sheet, in column order (4, 5, 7). */
export function teacherLogCells(entry: TeacherLogEntry): {
  technologyIssues: string;
  inappropriateBehaviour: string;
  shareWithSlt: string;
} {
  return {
    technologyIssues: safeCell(entry.technologyIssues),
    inappropriateBehaviour: safeCell(entry.inappropriateBehaviour),
    shareWithSlt: safeCell(entry.shareWithSlt),
  };
}
