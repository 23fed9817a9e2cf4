import { z } from 'zod';
import {
  CLASSIFICATION_REASONS,
  CLASSIFICATIONS,
  INCIDENT_STATUSES,
  SEVERITIES,
  TASK_STATUSES,
} from '../domain/types';
import { isIsoDatetime } from './scenarioTime';

/**
 * The scenario pack format (docs/demo-scenarios.md): incidents in the shapes Sentinel's REST API
 * returns, plus log rows by table. Objects are strict so a misspelt field fails at start instead of
 * silently producing an incident without it.
 */

/** Sentinel's entity kinds (EntityKind in the 2024-09-01 API). */
export const ENTITY_KINDS = [
  'Account',
  'Host',
  'File',
  'AzureResource',
  'CloudApplication',
  'DnsResolution',
  'FileHash',
  'Ip',
  'Malware',
  'Process',
  'RegistryKey',
  'RegistryValue',
  'SecurityGroup',
  'Url',
  'IoTDevice',
  'MailCluster',
  'MailMessage',
  'Mailbox',
  'SubmissionMail',
  'Nic',
] as const;

/** Bounds that keep one pack from exhausting the demo workspace (it holds everything in memory). */
export const PACK_LIMITS = {
  incidents: 500,
  alertsPerIncident: 150,
  entitiesPerIncident: 500,
  commentsPerIncident: 500,
  tasksPerIncident: 200,
  bookmarksPerIncident: 100,
  rowsPerPack: 50_000,
  textChars: 30_000,
  listItems: 100,
} as const;

const text = (max: number = PACK_LIMITS.textChars) => z.string().max(max);
const nonEmpty = (max: number = PACK_LIMITS.textChars) => text(max).min(1);
const list = <T extends z.ZodTypeAny>(item: T, max: number = PACK_LIMITS.listItems) => z.array(item).max(max);
const datetime = z.string().refine(isIsoDatetime, {
  message: 'must be an ISO-8601 date-time such as 2026-11-20T08:30:00Z',
});
/** Names end up in resource ids and URLs, so they are restricted to URL-safe characters. */
const resourceName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_" or "-"');
/** Fields the workspace derives (counts, URLs, ids); accepted so a GET response can be pasted in. */
const derived = z.unknown().optional();

/** ClientInfo: who wrote a comment or task. */
const clientInfo = z
  .object({
    name: nonEmpty(256),
    objectId: nonEmpty(64),
    email: text(256).optional(),
    userPrincipalName: text(256).optional(),
    objectType: z.enum(['User', 'Client']).optional(),
  })
  .strict();

const owner = z
  .object({
    objectId: text(64).nullish(),
    email: text(256).nullish(),
    assignedTo: text(256).nullish(),
    userPrincipalName: text(256).nullish(),
    ownerType: z.enum(['User', 'Group', 'Unknown']).optional(),
  })
  .strict();

const incidentProperties = z
  .object({
    title: nonEmpty(512),
    description: text().optional(),
    severity: z.enum(SEVERITIES),
    status: z.enum(INCIDENT_STATUSES),
    classification: z.enum(CLASSIFICATIONS).optional(),
    classificationReason: z.enum(CLASSIFICATION_REASONS).optional(),
    classificationComment: text().optional(),
    owner: owner.optional(),
    labels: list(
      z.object({ labelName: nonEmpty(256), labelType: z.enum(['User', 'AutoAssigned']).optional() }).strict(),
    ).optional(),
    incidentNumber: z.number().int().positive().max(2_000_000_000).optional(),
    createdTimeUtc: datetime.optional(),
    lastModifiedTimeUtc: datetime.optional(),
    firstActivityTimeUtc: datetime.optional(),
    lastActivityTimeUtc: datetime.optional(),
    providerName: nonEmpty(256).optional(),
    providerIncidentId: nonEmpty(256).optional(),
    relatedAnalyticRuleIds: list(nonEmpty(1024)).optional(),
    incidentUrl: derived,
    additionalData: derived,
  })
  .strict()
  .refine((p) => p.status !== 'Closed' || p.classification !== undefined, {
    message: 'a Closed incident needs a classification (as Sentinel requires)',
    path: ['classification'],
  });

const alertProperties = z
  .object({
    alertDisplayName: nonEmpty(512),
    description: text().optional(),
    severity: z.enum(SEVERITIES),
    status: z.enum(['New', 'InProgress', 'Resolved', 'Dismissed']).optional(),
    productName: nonEmpty(256),
    productComponentName: text(256).optional(),
    alertType: nonEmpty(256).optional(),
    providerAlertId: nonEmpty(256).optional(),
    confidenceLevel: z.enum(['Unknown', 'Low', 'High']).optional(),
    tactics: list(nonEmpty(64)).optional(),
    techniques: list(nonEmpty(64)).optional(),
    startTimeUtc: datetime,
    endTimeUtc: datetime.optional(),
    timeGenerated: datetime.optional(),
    remediationSteps: list(text(4000)).optional(),
    compromisedEntity: text(1024).optional(),
    alertLink: text(2048).optional(),
    systemAlertId: derived,
    friendlyName: derived,
    vendorName: derived,
    processingEndTime: derived,
    resourceIdentifiers: derived,
    additionalData: derived,
  })
  .strict();

const alert = z
  .object({
    name: resourceName.optional(),
    properties: alertProperties,
    entityKeys: list(nonEmpty(128), PACK_LIMITS.entitiesPerIncident),
  })
  .strict();

const entity = z
  .object({
    key: nonEmpty(128),
    kind: z.enum(ENTITY_KINDS),
    name: resourceName.optional(),
    properties: z.record(z.unknown()),
  })
  .strict();

/** A child resource as REST returns it: optional name and etag (generated when absent) around properties. */
const childResource = <T extends z.ZodRawShape>(properties: T) =>
  z
    .object({
      name: resourceName.optional(),
      etag: nonEmpty(128).optional(),
      properties: z.object(properties).strict(),
    })
    .strict();

const comment = childResource({
  message: nonEmpty(),
  createdTimeUtc: datetime.optional(),
  lastModifiedTimeUtc: datetime.optional(),
  author: clientInfo,
});

const task = childResource({
  title: nonEmpty(512),
  description: text().optional(),
  status: z.enum(TASK_STATUSES).optional(),
  createdTimeUtc: datetime.optional(),
  lastModifiedTimeUtc: datetime.optional(),
  createdBy: clientInfo,
  lastModifiedBy: clientInfo.optional(),
});

const bookmark = z
  .object({
    name: resourceName.optional(),
    properties: z
      .object({
        displayName: nonEmpty(512),
        query: nonEmpty(),
        queryResult: text().optional(),
        eventTime: datetime,
        created: datetime,
        updated: datetime.optional(),
        createdBy: clientInfo,
        labels: list(nonEmpty(256)).optional(),
        updatedBy: derived,
        friendlyName: derived,
        additionalData: derived,
      })
      .strict(),
  })
  .strict();

const incident = z
  .object({
    name: resourceName.optional(),
    etag: nonEmpty(128).optional(),
    properties: incidentProperties,
    alerts: list(alert, PACK_LIMITS.alertsPerIncident).optional(),
    entities: list(entity, PACK_LIMITS.entitiesPerIncident).optional(),
    comments: list(comment, PACK_LIMITS.commentsPerIncident).optional(),
    tasks: list(task, PACK_LIMITS.tasksPerIncident).optional(),
    bookmarks: list(bookmark, PACK_LIMITS.bookmarksPerIncident).optional(),
  })
  .strict();

export const scenarioPackSchema = z
  .object({
    anchor: datetime,
    description: text().optional(),
    incidents: list(incident, PACK_LIMITS.incidents).optional(),
    // Rows are checked cell by cell against the served tables (scenarioLogRows.ts), not copied here.
    logs: z.record(z.array(z.unknown())).optional(),
  })
  .strict();

export type ScenarioPack = z.infer<typeof scenarioPackSchema>;
export type PackIncident = NonNullable<ScenarioPack['incidents']>[number];
export type PackClientInfo = z.infer<typeof clientInfo>;

export type JsonPath = readonly (string | number)[];

/** `$.incidents[0].alerts[1].properties.severity`, the way the docs and error messages name a field. */
export function formatJsonPath(path: JsonPath): string {
  return path
    .map((part) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)
          ? `.${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join('')
    .replace(/^/, '$');
}

/** Something wrong at one place in a pack; the loader adds the file name. */
export class PackProblem extends Error {
  constructor(
    readonly path: JsonPath,
    readonly problem: string,
  ) {
    super(`${formatJsonPath(path)}: ${problem}`);
    this.name = 'PackProblem';
  }
}

/** Validates a pack whose date-times were already shifted; the first problems found are reported. */
export function parseScenarioPack(raw: unknown): ScenarioPack {
  const result = scenarioPackSchema.safeParse(raw);
  if (result.success) return result.data;
  // A misspelt field also makes the real one "required"; the misspelling is the problem to name.
  const issues = [...result.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const [first, ...rest] = issues;
  if (first === undefined) throw new PackProblem([], 'is not a valid scenario pack');
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  if (first.code === 'unrecognized_keys')
    throw new PackProblem(
      [...first.path, first.keys[0] ?? ''],
      `is not a field of this object (misspelt? see docs/demo-scenarios.md)${more}`,
    );
  const missing = first.code === 'invalid_type' && first.received === 'undefined';
  throw new PackProblem(first.path, `${missing ? 'is required' : first.message}${more}`);
}
