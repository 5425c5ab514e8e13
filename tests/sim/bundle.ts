// Tests what ships: dist/Code.js runs in a `vm` context holding only the simulated
// Apps Script globals, one fresh context per execution as Apps Script loads the
// script anew for each. A missing top-level function or a Node-only API fails here.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vm from 'node:vm';
import type { ExecutionKind, ExecutionResult } from './kernel/execution';
import type { SimWorkspace } from './workspace';

/** Relative to the project root, where npm scripts and jest run. */
export const BUNDLE_PATH = resolve(process.cwd(), 'dist/Code.js');

/** The longest an execution other than a trigger's can hold the clock: an editor run, 6 minutes. */
const CATCH_UP_MS = 6 * 60_000;

export class Bundle {
  private readonly script: vm.Script;
  readonly source: string;

  constructor(path = BUNDLE_PATH) {
    this.source = readFileSync(path, 'utf8');
    this.script = new vm.Script(this.source, { filename: 'Code.js' });
  }

  /** The names Apps Script can call: top-level function declarations. */
  topLevelFunctions(): string[] {
    // Read once: the soak runs thousands of executions against the same bundle.
    this.entryPoints ??= [...this.source.matchAll(/^function ([A-Za-z_$][\w$]*)\s*\(/gm)].map(
      (m) => m[1]!,
    );
    return this.entryPoints;
  }

  private entryPoints: string[] | undefined;
  /** Per workspace, the time up to which triggers have been fired. */
  private readonly firedUpTo = new WeakMap<SimWorkspace, number>();

  /** Loads the bundle into a fresh context, as Apps Script does at the start of an execution. */
  load(ws: SimWorkspace): vm.Context {
    const context = vm.createContext({ ...ws.globals() });
    this.script.runInContext(context);
    return context;
  }

  /** Runs one entry point as `user` in an execution of the given kind (card 30 s, trigger 6 min). */
  run<T = unknown>(
    ws: SimWorkspace,
    name: string,
    event: unknown,
    as: { user: string; kind: ExecutionKind; detached?: boolean },
  ): ExecutionResult<T> {
    return ws.kernel.runExecution(
      { user: as.user, kind: as.kind, functionName: name, detached: as.detached },
      () => {
        const context = this.load(ws);
        const fn = context[name];
        if (typeof fn !== 'function' || !this.topLevelFunctions().includes(name)) {
          throw new Error(`Script function not found: ${name}`);
        }
        return fn(event) as T;
      },
    );
  }

  /**
   * Moves the clock to `until`, firing every installable trigger that falls due on the
   * way, each as its owner, in time order. Returns what ran.
   */
  runUntil(
    ws: SimWorkspace,
    until: number,
    onRun?: (name: string, result: ExecutionResult<unknown>) => void,
  ): number {
    let ran = 0;
    // Apps Script fires a trigger whatever else is running. The world clock moves outside this
    // loop only while a card action or editor run works (at most 6 minutes) or when a test
    // jumps time on purpose: triggers due during such a run fire now, after it; a longer jump
    // is deliberate and fires nothing in between. (Before, a trigger due while a teacher's card
    // action ran was silently skipped.)
    const last = this.firedUpTo.get(ws);
    let cursor =
      last !== undefined && last < ws.now() && ws.now() - last <= CATCH_UP_MS ? last : ws.now();
    for (;;) {
      // Several triggers can fall due at the same instant (two teachers' calendars changed).
      const batch = ws.scriptApp.dueTogether(cursor);
      if (batch.length === 0 || batch[0]!.at > until) break;
      for (const due of batch) {
        if (due.at > ws.now()) ws.kernel.clock.advanceTo(due.at);
        const event = ws.scriptApp.eventFor(due.trigger, due.at);
        // Apps Script runs triggers side by side: each run is detached, so it starts on time
        // however long the one before it took, and keeps its own time for its 6-minute limit.
        const result = this.run(ws, due.trigger.handlerFunction, event, {
          user: due.trigger.owner,
          kind: 'trigger',
          detached: true,
        });
        onRun?.(due.trigger.handlerFunction, result);
        ran += 1;
      }
      cursor = batch[0]!.at;
    }
    if (until > ws.now()) ws.kernel.clock.advanceTo(until);
    this.firedUpTo.set(ws, Math.max(cursor, until));
    return ran;
  }
}
