// PropertiesService: the script's small persistent key-value stores (script-wide, per user,
// per document), with Apps Script's string coercion and storage limits.
// doc: https://developers.google.com/apps-script/reference/properties/properties-service
// doc: https://developers.google.com/apps-script/guides/properties

import { appsScriptException } from '../kernel/google-error';
import type { SimKernel } from '../kernel/kernel';

type Properties = GoogleAppsScript.Properties.Properties;

/** doc: https://developers.google.com/apps-script/guides/services/quotas "Properties value size 9 KB / val". */
export const PROPERTY_VALUE_MAX_BYTES = 9 * 1024;
/** doc: same page, "Properties total storage 500 KB / property store". */
export const PROPERTY_STORE_MAX_BYTES = 500 * 1024;

/**
 * What Apps Script throws for both limits. The quotas page gives no message; this is the
 * one users report, including for a single value over 9 KB (public reports, e.g.
 * tanaikech.github.io/2023/05/22/report-specification-of-properties-service-for-google-apps-script
 * measures that keys count toward the store's total too).
 */
export const PROPERTY_QUOTA_MESSAGE =
  'You have exceeded the property storage quota. Please remove some properties and try again.';

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function storeBytes(store: Map<string, string>): number {
  let total = 0;
  for (const [k, v] of store) total += bytes(k) + bytes(v);
  return total;
}

/** doc: guides/properties "Data types that are not already strings are automatically converted to strings". */
function asString(value: unknown): string {
  return String(value);
}

export class SimProperties {
  private script = new Map<string, string>();
  private users = new Map<string, Map<string, string>>();
  private documents = new Map<string, Map<string, string>>();

  /**
   * @param documentId the open document the add-on runs in, if any. Safe Live Lessons is a
   *   Calendar add-on with no bound file, so by default there is no document store.
   */
  constructor(
    private readonly kernel: SimKernel,
    private readonly documentId?: string,
  ) {}

  global(): Pick<
    GoogleAppsScript.Properties.PropertiesService,
    'getScriptProperties' | 'getUserProperties' | 'getDocumentProperties'
  > {
    return {
      getScriptProperties: () => this.facade(() => this.script),
      // doc: properties-service#getUserProperties "only the current user can access" — the
      // execution's effective user.
      getUserProperties: () => this.facade(() => this.userMap(this.kernel.effectiveUser())),
      // doc: properties-service#getDocumentProperties returns null "if the script is neither an
      // add-on nor bound to a Google Workspace file" (available only with a document open).
      getDocumentProperties: () => {
        const id = this.documentId;
        if (id === undefined) return null as unknown as Properties;
        return this.facade(() => {
          let map = this.documents.get(id);
          if (!map) {
            map = new Map();
            this.documents.set(id, map);
          }
          return map;
        });
      },
    };
  }

  // --- world API (not counted) ---

  scriptStore(): Record<string, string> {
    return Object.fromEntries(this.script);
  }

  userStore(email: string): Record<string, string> {
    return Object.fromEntries(this.users.get(email.toLowerCase()) ?? []);
  }

  /** Seeds script properties as an administrator would in the project settings. */
  seedScript(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.script.set(k, v);
  }

  /** Deletes script properties as an administrator would in the project settings. */
  deleteScript(keys: readonly string[]): void {
    for (const k of keys) this.script.delete(k);
  }

  private userMap(email: string): Map<string, string> {
    const key = email.toLowerCase();
    let map = this.users.get(key);
    if (!map) {
      map = new Map();
      this.users.set(key, map);
    }
    return map;
  }

  private facade(resolve: () => Map<string, string>): Properties {
    const k = this.kernel;
    const call = <T>(method: string, op: (store: Map<string, string>) => T): T =>
      k.invoke(`properties.${method}`, () => op(resolve()));
    const self: Pick<
      Properties,
      | 'getProperty'
      | 'getProperties'
      | 'getKeys'
      | 'setProperty'
      | 'setProperties'
      | 'deleteProperty'
      | 'deleteAllProperties'
    > = {
      getProperty: (key) => call('getProperty', (s) => s.get(asString(key)) ?? null),
      // doc: guides/properties "getProperty() and getProperties() return a copy of the stored data".
      getProperties: () => call('getProperties', (s) => Object.fromEntries(s)),
      getKeys: () => call('getKeys', (s) => [...s.keys()]),
      setProperty: (key, value) => {
        call('setProperty', (s) => commit(s, [[asString(key), asString(value)]], false));
        return self as Properties;
      },
      setProperties: (properties, deleteAllOthers?: boolean) => {
        call('setProperties', (s) =>
          commit(
            s,
            Object.entries(properties ?? {}).map(([key, v]) => [key, asString(v)]),
            deleteAllOthers === true,
          ),
        );
        return self as Properties;
      },
      deleteProperty: (key) => {
        call('deleteProperty', (s) => s.delete(asString(key)));
        return self as Properties;
      },
      deleteAllProperties: () => {
        call('deleteAllProperties', (s) => s.clear());
        return self as Properties;
      },
    };
    return self as Properties;
  }
}

/** Applies a write atomically: either every entry is stored within the limits, or nothing. */
function commit(
  store: Map<string, string>,
  entries: [string, string][],
  deleteAllOthers: boolean,
): void {
  const next = deleteAllOthers ? new Map<string, string>() : new Map(store);
  for (const [key, value] of entries) {
    if (bytes(value) > PROPERTY_VALUE_MAX_BYTES) throw appsScriptException(PROPERTY_QUOTA_MESSAGE);
    next.set(key, value);
  }
  if (storeBytes(next) > PROPERTY_STORE_MAX_BYTES)
    throw appsScriptException(PROPERTY_QUOTA_MESSAGE);
  store.clear();
  for (const [key, value] of next) store.set(key, value);
}
