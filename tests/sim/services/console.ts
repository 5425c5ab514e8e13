// console and Logger: what the script prints, recorded per execution in kernel.logs
// (the privacy tests read it to prove no pupil data is logged).
// doc: https://developers.google.com/apps-script/reference/base/console
// doc: https://developers.google.com/apps-script/reference/base/logger

import type { LogEntry, SimKernel } from '../kernel/kernel';

/** How Apps Script prints a value: strings as is, objects and arrays as JSON. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (value instanceof Error || Object.prototype.toString.call(value) === '[object Error]') {
    const e = value as Error;
    return e.stack ?? `${e.name}: ${e.message}`;
  }
  if (Object.prototype.toString.call(value) === '[object Date]') {
    return (value as Date).toString();
  }
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/**
 * Substitutes %s %d %i %f %o %O %j (and %% for a literal percent) as console.log's format
 * string does; arguments left over are appended, space-separated.
 */
export function formatLogArgs(args: readonly unknown[]): string {
  if (args.length === 0) return '';
  const [first, ...rest] = args;
  if (typeof first !== 'string') return args.map(renderValue).join(' ');
  let index = 0;
  const text = first.replace(/%([sdifoOj%])/g, (match, spec: string) => {
    if (spec === '%') return '%';
    if (index >= rest.length) return match;
    const value = rest[index++];
    switch (spec) {
      case 'd':
      case 'i':
        return String(Number.parseInt(String(Number(value)), 10));
      case 'f':
        return String(Number(value));
      case 's':
        return renderValue(value);
      default:
        return renderValue(value);
    }
  });
  return [text, ...rest.slice(index).map(renderValue)].join(' ');
}

export class SimConsole {
  private loggerBuffer: string[] = [];
  private timers = new Map<string, number>();

  constructor(private readonly kernel: SimKernel) {}

  private write(level: LogEntry['level'], args: readonly unknown[]): void {
    this.kernel.log(level, formatLogArgs(args));
  }

  /** The `console` global. doc: console#log(Object,Object...) and siblings. */
  console(): Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'time' | 'timeEnd'> {
    return {
      log: (...args: unknown[]) => this.write('log', args),
      info: (...args: unknown[]) => this.write('info', args),
      warn: (...args: unknown[]) => this.write('warn', args),
      error: (...args: unknown[]) => this.write('error', args),
      // doc: console#time(String) / #timeEnd(String): elapsed time logged as "label: Nms".
      time: (label: string) => {
        this.timers.set(String(label), this.kernel.now());
      },
      timeEnd: (label: string) => {
        const started = this.timers.get(String(label));
        if (started === undefined) return;
        this.timers.delete(String(label));
        this.kernel.log('log', `${label}: ${this.kernel.now() - started}ms`);
      },
    };
  }

  /** The `Logger` global. doc: logger#log(String,Object...) "Writes a formatted string". */
  logger(): Pick<GoogleAppsScript.Base.Logger, 'log' | 'getLog' | 'clear'> {
    const logger: Pick<GoogleAppsScript.Base.Logger, 'log' | 'getLog' | 'clear'> = {
      log: (...args: unknown[]) => {
        const message = formatLogArgs(args);
        this.loggerBuffer.push(message);
        this.kernel.log('info', message);
        return logger as GoogleAppsScript.Base.Logger;
      },
      // doc: logger#getLog "Returns a complete list of messages in the current log."
      getLog: () => this.loggerBuffer.map((line) => `${line}\n`).join(''),
      clear: () => {
        this.loggerBuffer = [];
      },
    };
    return logger;
  }

  /** Both globals, for a vm context. */
  global(): {
    console: ReturnType<SimConsole['console']>;
    Logger: ReturnType<SimConsole['logger']>;
  } {
    return { console: this.console(), Logger: this.logger() };
  }
}
