// R28: the automation's own set-up as it can look at it: its triggers (installed by setup, as
// the automation account; put back when one was deleted), the log spreadsheet (there, in its
// owner's Bin, or gone), the safeguarding shared drive, and delegation (a fresh token).
// doc: https://developers.google.com/apps-script/reference/script/script-app#getProjectTriggers()
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/get ("trashed")
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/get

import { isFailure } from '../core/errors';
import type { JobName } from '../core/health';
import type { PlaceCheck, Plumbing } from '../core/ports';
import type { Credentials } from './credentials';
import { ALL_DRIVES, DRIVE } from './drive-rest';
import { guarded } from './google-failure';
import { gridCells } from './log-book';
import { query, type RestClient } from './rest-client';

/** How a job's trigger is made (setup and the mend use the same table). */
export type TriggerSpec =
  | { handler: string; everyMinutes: number }
  | { handler: string; everyHours: number }
  | { handler: string; dailyAtHour: number };

/** Installs one clock trigger as the effective user (the automation account). */
export function installTrigger(
  scriptApp: GoogleAppsScript.Script.ScriptApp,
  spec: TriggerSpec,
  timeZone: string,
): void {
  const clock = scriptApp.newTrigger(spec.handler).timeBased();
  if ('everyMinutes' in spec) clock.everyMinutes(spec.everyMinutes).create();
  else if ('everyHours' in spec) clock.everyHours(spec.everyHours).create();
  else clock.everyDays(1).atHour(spec.dailyAtHour).inTimezone(timeZone).create();
}

export interface PlumbingPlaces {
  logSpreadsheetId: string | null;
  sharedDriveId: string | null;
}

export class ScriptPlumbing implements Plumbing {
  constructor(
    private readonly scriptApp: GoogleAppsScript.Script.ScriptApp,
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly drive: RestClient,
    private readonly credentials: Credentials,
    private readonly triggers: Record<JobName, TriggerSpec>,
    private readonly places: PlumbingPlaces,
    private readonly timeZone: string,
  ) {}

  missingTriggers(jobs: readonly JobName[]): JobName[] {
    const installed = new Set(
      guarded('script', () => this.scriptApp.getProjectTriggers()).map((t) =>
        t.getHandlerFunction(),
      ),
    );
    return jobs.filter((j) => !installed.has(this.triggers[j].handler));
  }

  reinstall(job: JobName): boolean {
    try {
      installTrigger(this.scriptApp, this.triggers[job], this.timeZone);
      return true;
    } catch (error) {
      if (error instanceof TypeError || error instanceof ReferenceError) throw error;
      return false;
    }
  }

  checkLog(): PlaceCheck | null {
    const id = this.places.logSpreadsheetId;
    if (!id) return null;
    const file = this.file(id);
    if (file === 'transient') return null;
    if (file === 'missing')
      return { state: 'missing', detail: 'Drive has no such file: it was deleted for good' };
    if (file.trashed) return { state: 'binned', detail: 'in the Bin' };
    try {
      guarded('sheets', () => this.spreadsheetApp.openById(id).getSheets().length);
      return { state: 'ok', detail: '' };
    } catch (error) {
      if (!isFailure(error)) throw error;
      if (error.kind === 'transient') return null;
      return { state: 'unreadable', detail: `Sheets: ${error.message.slice(0, 120)}` };
    }
  }

  logCells(): number | null {
    const id = this.places.logSpreadsheetId;
    if (!id) return null;
    try {
      return guarded('sheets', () => gridCells(this.spreadsheetApp.openById(id)));
    } catch (error) {
      if (!isFailure(error)) throw error;
      return null;
    }
  }

  checkDrive(): PlaceCheck | null {
    const id = this.places.sharedDriveId;
    if (!id) return null;
    try {
      this.drive.json({
        method: 'get',
        url: `${DRIVE}/drives/${id}${query({ fields: 'id' })}`,
        token: this.credentials.token(this.credentials.self()),
      });
      return { state: 'ok', detail: '' };
    } catch (error) {
      if (!isFailure(error)) throw error;
      if (error.kind === 'gone')
        return { state: 'missing', detail: 'Drive answers that the shared drive does not exist' };
      if (error.kind === 'forbidden')
        return {
          state: 'unreadable',
          detail: 'Drive refuses the automation account: it is no longer a member',
        };
      return null;
    }
  }

  checkDelegation(user: string): void {
    this.credentials.probe(user);
  }

  /** The file as the automation sees it in Drive. */
  private file(id: string): { trashed: boolean } | 'missing' | 'transient' {
    try {
      const f = this.drive.json<{ trashed?: boolean }>({
        method: 'get',
        url: `${DRIVE}/files/${id}${query({ ...ALL_DRIVES, fields: 'id,trashed' })}`,
        token: this.credentials.token(this.credentials.self()),
      });
      return { trashed: f.trashed === true };
    } catch (error) {
      if (!isFailure(error)) throw error;
      return error.kind === 'gone' ? 'missing' : 'transient';
    }
  }
}
