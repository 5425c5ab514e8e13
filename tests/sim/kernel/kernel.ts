// The heart of the simulated Workspace: the clock, the people, tokens, the network,
// call counters, fault injection and the execution in progress. Every simulated
// service routes its calls through `invoke`, so latency, limits and faults apply
// the same way everywhere.

import { CallCounter, GOOGLE_SERVICES } from './calls';
import { SimClock } from './clock';
import { Directory } from './directory';
import {
  EXECUTION_LIMIT_MS,
  type Execution,
  type ExecutionKind,
  type ExecutionResult,
} from './execution';
import { Faults, globMatches } from './faults';
import { appsScriptException, ExecutionTimeLimitError, GoogleApiError } from './google-error';
import { HttpRouter } from './http';
import { LATENCY_MS, latencyFor, URLFETCH_TIMEOUT_MS } from './latency';
import { type Principal, TOKEN_LIFETIME_MS, Tokens } from './tokens';

/** The request reached Google but no answer came back in time (the change may or may not have happened). */
export class TransportTimeout extends Error {
  constructor(readonly key: string) {
    super(`Timeout while calling ${key}`);
    this.name = 'TransportTimeout';
  }
}

export interface KernelOptions {
  start: Date | number;
  domain: string;
  seed?: number;
  /** The standard Cloud project the script (and its service account) belong to. */
  projectNumber?: string;
  /** Scopes the manifest asks for; what an Apps Script token carries. */
  manifestScopes?: string[];
}

export interface LogEntry {
  execution: number | undefined;
  level: 'log' | 'info' | 'warn' | 'error';
  message: string;
  at: number;
}

export class SimKernel {
  readonly clock: SimClock;
  readonly calls = new CallCounter();
  readonly faults: Faults;
  readonly directory: Directory;
  readonly tokens = new Tokens();
  readonly http = new HttpRouter();
  readonly latency: Record<string, number> = { ...LATENCY_MS };
  /** Draws each call's latency from a distribution (the benchmarks); null: the fixed table. */
  latencyModel: ((key: string, base: number) => number) | null = null;
  readonly projectNumber: string;
  manifestScopes: string[];
  /** What `console.*` printed, per execution: the privacy tests read it. */
  readonly logs: LogEntry[] = [];
  /** Executions that ended with an uncaught error or were killed. */
  readonly failures: { execution: Execution; error: unknown }[] = [];

  private stack: Execution[] = [];
  private serial = 0;
  private endHooks: ((execution: Execution) => void)[] = [];
  private callHooks: { match: string; times: number; run: () => void }[] = [];
  private parallelLatencies: number[] | undefined;

  constructor(options: KernelOptions) {
    this.clock = new SimClock(options.start);
    this.faults = new Faults(options.seed ?? 1);
    this.directory = new Directory(options.domain);
    this.projectNumber = options.projectNumber ?? '800000000001';
    this.manifestScopes = options.manifestScopes ?? [];
  }

  now(): number {
    return this.clock.now();
  }

  current(): Execution | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** The user whose authority Apps Script services use right now. */
  effectiveUser(): string {
    const execution = this.current();
    if (!execution) throw new Error('No simulated execution is running: use runExecution()');
    return execution.user;
  }

  /** The principal an Apps Script advanced service or `ScriptApp.getOAuthToken()` acts as. */
  scriptPrincipal(): Principal {
    return {
      user: this.effectiveUser(),
      scopes: this.manifestScopes,
      project: this.projectNumber,
      expiresAt: this.now() + TOKEN_LIFETIME_MS,
      via: 'apps-script',
    };
  }

  /** Runs `fn` as one Apps Script execution with its time limit; returns what happened. */
  runExecution<T>(
    spec: { user: string; kind: ExecutionKind; functionName: string; detached?: boolean },
    fn: () => T,
  ): ExecutionResult<T> {
    // Triggers run side by side in Apps Script: a detached execution's time is its own.
    if (spec.detached) this.clock.detach();
    this.serial += 1;
    const start = this.now();
    const execution: Execution = {
      id: this.serial,
      user: spec.user.toLowerCase(),
      kind: spec.kind,
      functionName: spec.functionName,
      startedAt: start,
      deadline: start + EXECUTION_LIMIT_MS[spec.kind],
      killed: false,
      calls: new CallCounter(),
    };
    this.stack.push(execution);
    try {
      const value = fn();
      return { ok: !execution.killed, value, killed: execution.killed, execution };
    } catch (error) {
      this.failures.push({ execution, error });
      return { ok: false, error, killed: execution.killed, execution };
    } finally {
      execution.endedAt = this.now();
      this.stack.pop();
      for (const hook of this.endHooks) hook(execution);
      if (spec.detached) this.clock.reattach();
    }
  }

  onExecutionEnd(hook: (execution: Execution) => void): void {
    this.endHooks.push(hook);
  }

  /** Runs `run` (say, a second trigger execution) in the middle of the next matching call. */
  duringCall(match: string, run: () => void, times = 1): void {
    this.callHooks.push({ match, times, run });
  }

  /**
   * Within `fn`, calls run concurrently (UrlFetchApp.fetchAll): each is counted, but
   * the clock moves once, by the slowest.
   */
  parallel<T>(fn: () => T): T {
    const outer = this.parallelLatencies;
    this.parallelLatencies = [];
    let result: T;
    try {
      result = fn();
    } finally {
      const slowest = Math.max(0, ...this.parallelLatencies);
      this.parallelLatencies = outer;
      this.elapse(slowest);
    }
    // The batch as a whole may have run past the execution's time limit.
    this.checkDeadline();
    return result;
  }

  /**
   * Every simulated service call goes through here: counted, charged its latency,
   * checked against the execution's time limit, and possibly failed by an injected fault.
   * Throws GoogleApiError (an HTTP-level failure) or TransportTimeout; the service's edge
   * (advanced service, UrlFetchApp) turns those into what Apps Script would throw.
   */
  invoke<T>(key: string, op: () => T, options: { latencyMs?: number; target?: string } = {}): T {
    const execution = this.current();
    if (execution?.killed) throw new ExecutionTimeLimitError();
    this.calls.add(key);
    execution?.calls.add(key);
    const base = options.latencyMs ?? latencyFor(key, this.latency);
    this.elapse(this.latencyModel ? this.latencyModel(key, base) : base);
    this.checkDeadline();

    for (const hook of this.callHooks) {
      if (hook.times > 0 && globMatches(hook.match, key)) {
        hook.times -= 1;
        hook.run();
      }
    }

    const fault = GOOGLE_SERVICES.has(key.split('.')[0]!)
      ? this.faults.pick(key, this.now(), options.target)
      : undefined;
    switch (fault) {
      case undefined:
        return op();
      case 429:
        throw new GoogleApiError(
          'RESOURCE_EXHAUSTED',
          'Quota exceeded for quota metric and limit (simulated): rate limit exceeded.',
          'rateLimitExceeded',
        );
      case 500:
        throw new GoogleApiError('INTERNAL', 'Internal error encountered.', 'backendError');
      case 503:
        throw new GoogleApiError(
          'UNAVAILABLE',
          'The service is currently unavailable.',
          'backendError',
        );
      case 'timeout':
        this.elapse(URLFETCH_TIMEOUT_MS);
        this.checkDeadline();
        throw new TransportTimeout(key);
      case 'lost-answer':
        op();
        throw new GoogleApiError(
          'DEADLINE_EXCEEDED',
          'Deadline expired before operation could complete.',
          'deadlineExceeded',
        );
      case 'lost-response': {
        op();
        this.elapse(URLFETCH_TIMEOUT_MS);
        this.checkDeadline();
        throw new TransportTimeout(key);
      }
      case 'exception':
        throw appsScriptException(
          "We're sorry, a server error occurred. Please wait a bit and try again.",
        );
    }
  }

  log(level: LogEntry['level'], message: string): void {
    this.logs.push({ execution: this.current()?.id, level, message, at: this.now() });
  }

  private elapse(ms: number): void {
    if (this.parallelLatencies) this.parallelLatencies.push(ms);
    else this.clock.advance(ms);
  }

  private checkDeadline(): void {
    const execution = this.current();
    if (execution && this.now() > execution.deadline) {
      execution.killed = true;
      throw new ExecutionTimeLimitError();
    }
  }
}
