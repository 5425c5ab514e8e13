// An Apps Script execution: who it runs as, what started it, and its time limit
// (developers.google.com/apps-script/guides/services/quotas: 6 min per execution;
// developers.google.com/workspace/add-ons/concepts/actions: 30 s per card action).

import type { CallCounter } from './calls';

export type ExecutionKind = 'card' | 'trigger' | 'editor';

export const EXECUTION_LIMIT_MS: Record<ExecutionKind, number> = {
  card: 30_000,
  trigger: 6 * 60_000,
  editor: 6 * 60_000,
};

export interface Execution {
  id: number;
  /** The effective user: whose authority Google calls made by Apps Script carry. */
  user: string;
  kind: ExecutionKind;
  functionName: string;
  startedAt: number;
  /** When it finished, on its own timeline (set as it ends). */
  endedAt?: number;
  deadline: number;
  /** Set once the time limit passed: every later service call fails too, as the runtime is gone. */
  killed: boolean;
  calls: CallCounter;
}

export interface ExecutionResult<T> {
  ok: boolean;
  value?: T;
  error?: unknown;
  killed: boolean;
  execution: Execution;
}
