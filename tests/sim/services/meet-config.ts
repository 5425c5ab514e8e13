// A Meet space's SpaceConfig: its documented enums and defaults, validation of what a
// caller sends, and how spaces.patch applies an update mask to it.
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces#SpaceConfig

import { GoogleApiError } from '../kernel/google-error';

export type AccessType = 'OPEN' | 'TRUSTED' | 'RESTRICTED';
type OnOff = 'ON' | 'OFF';
type Restriction = 'HOSTS_ONLY' | 'NO_RESTRICTION';

export interface SpaceConfig {
  accessType: AccessType;
  entryPointAccess: 'ALL' | 'CREATOR_APP_ONLY';
  moderation: OnOff;
  moderationRestrictions: {
    chatRestriction: Restriction;
    reactionRestriction: Restriction;
    presentRestriction: Restriction;
    defaultJoinAsViewerType: OnOff;
  };
  attendanceReportGenerationType: 'GENERATE_REPORT' | 'DO_NOT_GENERATE';
  artifactConfig: {
    recordingConfig: { autoRecordingGeneration: OnOff };
    transcriptionConfig: { autoTranscriptionGeneration: OnOff };
    smartNotesConfig: { autoSmartNotesGeneration: OnOff };
  };
}

interface EnumLeaf {
  values: readonly string[];
  unspecified: string;
  /** The proto enum, as Google names it in "Invalid value at ..." errors. */
  type: string;
}
type Schema = { [key: string]: EnumLeaf | Schema };

const T = 'type.googleapis.com/google.apps.meet.v2';
const restriction: EnumLeaf = {
  values: ['HOSTS_ONLY', 'NO_RESTRICTION'],
  unspecified: 'RESTRICTION_TYPE_UNSPECIFIED',
  type: `${T}.SpaceConfig.ModerationRestrictions.RestrictionType`,
};
const autoGeneration: EnumLeaf = {
  values: ['ON', 'OFF'],
  unspecified: 'AUTO_GENERATION_TYPE_UNSPECIFIED',
  type: `${T}.SpaceConfig.ArtifactConfig.AutoGenerationType`,
};

const SCHEMA: Schema = {
  accessType: {
    values: ['OPEN', 'TRUSTED', 'RESTRICTED'],
    unspecified: 'ACCESS_TYPE_UNSPECIFIED',
    type: `${T}.SpaceConfig.AccessType`,
  },
  entryPointAccess: {
    values: ['ALL', 'CREATOR_APP_ONLY'],
    unspecified: 'ENTRY_POINT_ACCESS_UNSPECIFIED',
    type: `${T}.SpaceConfig.EntryPointAccess`,
  },
  moderation: {
    values: ['OFF', 'ON'],
    unspecified: 'MODERATION_UNSPECIFIED',
    type: `${T}.SpaceConfig.Moderation`,
  },
  moderationRestrictions: {
    chatRestriction: restriction,
    reactionRestriction: restriction,
    presentRestriction: restriction,
    defaultJoinAsViewerType: {
      values: ['ON', 'OFF'],
      unspecified: 'DEFAULT_JOIN_AS_VIEWER_TYPE_UNSPECIFIED',
      type: `${T}.SpaceConfig.ModerationRestrictions.DefaultJoinAsViewerType`,
    },
  },
  attendanceReportGenerationType: {
    values: ['GENERATE_REPORT', 'DO_NOT_GENERATE'],
    unspecified: 'ATTENDANCE_REPORT_GENERATION_TYPE_UNSPECIFIED',
    type: `${T}.SpaceConfig.AttendanceReportGenerationType`,
  },
  artifactConfig: {
    recordingConfig: { autoRecordingGeneration: autoGeneration },
    transcriptionConfig: { autoTranscriptionGeneration: autoGeneration },
    smartNotesConfig: { autoSmartNotesGeneration: autoGeneration },
  },
};

const isLeaf = (node: EnumLeaf | Schema): node is EnumLeaf =>
  Array.isArray((node as EnumLeaf).values);

/**
 * Defaults. The docs leave accessType, moderation and artifacts to "the user's policies";
 * the simulated school's policy (a choice, no doc): access as the SimMeet was told (TRUSTED
 * unless set), moderation OFF, no restrictions, no attendance report, no auto artifacts.
 * `ModerationRestrictions` are the "default ModerationRestrictions" that moderation OFF resets to.
 */
export function defaultConfig(accessType: AccessType): SpaceConfig {
  return {
    accessType,
    entryPointAccess: 'ALL', // doc: "Default: EntryPointAccess.ALL"
    moderation: 'OFF',
    moderationRestrictions: {
      chatRestriction: 'NO_RESTRICTION',
      reactionRestriction: 'NO_RESTRICTION',
      presentRestriction: 'NO_RESTRICTION',
      defaultJoinAsViewerType: 'OFF',
    },
    attendanceReportGenerationType: 'DO_NOT_GENERATE',
    artifactConfig: {
      recordingConfig: { autoRecordingGeneration: 'OFF' },
      transcriptionConfig: { autoTranscriptionGeneration: 'OFF' },
      smartNotesConfig: { autoSmartNotesGeneration: 'OFF' },
    },
  };
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Checks a request's `config` against the schema, the way ESF rejects JSON it cannot map
 * onto the proto (unknown field, value outside the enum), and returns the leaves it sets.
 * An `*_UNSPECIFIED` value sets nothing, except moderation, which "users are not allowed
 * to set ... as unspecified".
 */
export function readConfig(config: unknown, path = 'space.config'): Map<string, string> {
  const leaves = new Map<string, string>();
  walk(config, SCHEMA, path, '', leaves);
  return leaves;
}

function walk(
  value: unknown,
  schema: Schema,
  wirePath: string,
  fieldPath: string,
  out: Map<string, string>,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Invalid JSON payload received. Invalid value at '${wirePath}': expected an object.`,
    );
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const node = schema[camel(key)];
    if (!node) {
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        `Invalid JSON payload received. Unknown name "${key}" at '${wirePath}': Cannot find field.`,
      );
    }
    const childWire = `${wirePath}.${snake(camel(key))}`;
    const childField = fieldPath ? `${fieldPath}.${camel(key)}` : camel(key);
    if (!isLeaf(node)) {
      walk(child, node, childWire, childField, out);
      continue;
    }
    if (child === undefined || child === null) continue;
    if (child === node.unspecified) {
      if (childField === 'moderation') {
        throw new GoogleApiError('INVALID_ARGUMENT', 'Moderation type cannot be unspecified.');
      }
      continue;
    }
    if (typeof child !== 'string' || !node.values.includes(child)) {
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        `Invalid value at '${childWire}' (${node.type}), ${JSON.stringify(child)}`,
      );
    }
    out.set(childField, child);
  }
}

/** Every leaf path of the config, e.g. `moderationRestrictions.chatRestriction`. */
function leafPaths(schema: Schema = SCHEMA, prefix = ''): string[] {
  return Object.entries(schema).flatMap(([key, node]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isLeaf(node) ? [path] : leafPaths(node, path);
  });
}

function setLeaf(config: SpaceConfig, path: string, value: string): void {
  const parts = path.split('.');
  let node = config as unknown as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1]!] = value;
}

function getLeaf(config: SpaceConfig, path: string): string {
  let node: unknown = config;
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  return node as string;
}

/**
 * spaces.patch on the config.
 * doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/patch — with no
 * updateMask, "update all fields provided with values in the request"; "*" updates all fields,
 * "including deleting fields not set in the request"; a named path not set in the request is
 * likewise reset. An unknown path is INVALID_ARGUMENT.
 */
export function applyPatch(
  current: SpaceConfig,
  requestConfig: unknown,
  updateMask: string | null,
  defaults: SpaceConfig,
): SpaceConfig {
  const provided = readConfig(requestConfig);
  const next = structuredClone(current);
  const all = leafPaths();
  const maskPaths = (updateMask ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  let targets: string[];
  if (maskPaths.length === 0) {
    targets = [...provided.keys()];
  } else if (maskPaths.includes('*')) {
    targets = all;
  } else {
    targets = [];
    for (const raw of maskPaths) {
      const path = raw.split('.').map(camel).join('.');
      const under =
        path === 'config'
          ? all
          : all.filter(
              (leaf) => `config.${leaf}` === path || `config.${leaf}`.startsWith(`${path}.`),
            );
      if (!path.startsWith('config') || under.length === 0) {
        throw new GoogleApiError('INVALID_ARGUMENT', `Invalid update mask path: "${raw}".`);
      }
      targets.push(...under);
    }
  }
  for (const leaf of targets) {
    setLeaf(next, leaf, provided.get(leaf) ?? getLeaf(defaults, leaf));
  }
  // doc: "When moderation.OFF, will be reset to default ModerationRestrictions."
  if (next.moderation === 'OFF') next.moderationRestrictions = defaults.moderationRestrictions;
  return next;
}

/** A config for spaces.create: documented defaults overlaid with what the caller set. */
export function configForCreate(requestConfig: unknown, defaults: SpaceConfig): SpaceConfig {
  const next = structuredClone(defaults);
  for (const [leaf, value] of readConfig(requestConfig)) setLeaf(next, leaf, value);
  if (next.moderation === 'OFF') next.moderationRestrictions = defaults.moderationRestrictions;
  return next;
}
