import {
  CLASSIFICATION_REASONS,
  CLASSIFICATIONS,
  INCIDENT_STATUSES,
  SEVERITIES,
  TASK_STATUSES,
  type TaskStatus,
} from '../domain/types';
import { DemoHttpError, isRecord } from './requestIo';
import type { IncidentPatch, StoredIncident } from './storeTypes';

/** Sentinel's limit on an incident comment's message. */
export const COMMENT_MAX_CHARS = 30_000;

function invalid(message: string): DemoHttpError {
  return new DemoHttpError(400, 'BadRequest', message);
}

function properties(body: unknown, what: string): Record<string, unknown> {
  if (!isRecord(body))
    throw invalid(`The request body must be a JSON object with "properties" for the ${what}.`);
  const props = body.properties;
  if (!isRecord(props)) throw invalid(`The ${what} body must have a "properties" object.`);
  return props;
}

function optionalString(props: Record<string, unknown>, key: string): string | undefined {
  const v = props[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`properties.${key} must be a string.`);
  return v;
}

function enumValue<T extends string>(
  props: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const v = optionalString(props, key);
  if (v === undefined) return undefined;
  const found = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  if (found === undefined)
    throw invalid(`properties.${key} '${v}' is not valid. Allowed values: ${allowed.join(', ')}.`);
  return found;
}

/** The etag a client expects, from If-Match or (as the SDK sends it) the body. */
export function expectedEtag(ifMatch: string | undefined, body: unknown): string | undefined {
  if (ifMatch !== undefined && ifMatch.trim().length > 0) return ifMatch.trim();
  if (isRecord(body) && typeof body.etag === 'string' && body.etag.length > 0) return body.etag;
  return undefined;
}

export function etagMatches(expected: string, current: string): boolean {
  const strip = (s: string): string => s.replace(/^W\//, '').replace(/^"|"$/g, '');
  return expected === '*' || strip(expected) === strip(current);
}

/**
 * A PUT body for an incident, checked as Sentinel checks it: title, severity and status are required,
 * enums must be known values, and a Closed incident needs a classification.
 */
export function parseIncidentPut(
  body: unknown,
  existing: StoredIncident | undefined,
): IncidentPatch & Required<Pick<IncidentPatch, 'title' | 'severity' | 'status'>> {
  const props = properties(body, 'incident');
  const title = optionalString(props, 'title') ?? existing?.title;
  if (title === undefined || title.trim().length === 0) throw invalid('properties.title is required.');
  const severity = enumValue(props, 'severity', SEVERITIES) ?? existing?.severity;
  if (severity === undefined) throw invalid(`properties.severity is required (${SEVERITIES.join(', ')}).`);
  const status = enumValue(props, 'status', INCIDENT_STATUSES) ?? existing?.status;
  if (status === undefined) throw invalid(`properties.status is required (${INCIDENT_STATUSES.join(', ')}).`);
  const classification = enumValue(props, 'classification', CLASSIFICATIONS) ?? existing?.classification;
  const classificationReason = enumValue(props, 'classificationReason', CLASSIFICATION_REASONS);
  if (status === 'Closed' && classification === undefined) {
    throw invalid(
      "properties.classification is required when properties.status is 'Closed' (Undetermined, TruePositive, BenignPositive or FalsePositive).",
    );
  }
  const patch: IncidentPatch & Required<Pick<IncidentPatch, 'title' | 'severity' | 'status'>> = {
    title,
    severity,
    status,
  };
  if (classification !== undefined) patch.classification = classification;
  if (classificationReason !== undefined) patch.classificationReason = classificationReason;
  const classificationComment = optionalString(props, 'classificationComment');
  if (classificationComment !== undefined) patch.classificationComment = classificationComment;
  const description = optionalString(props, 'description');
  if (description !== undefined) patch.description = description;
  for (const key of ['firstActivityTimeUtc', 'lastActivityTimeUtc'] as const) {
    const v = optionalString(props, key);
    if (v !== undefined && Number.isNaN(Date.parse(v)))
      throw invalid(`properties.${key} must be an ISO 8601 datetime.`);
    if (v !== undefined) patch[key] = new Date(v).toISOString();
  }
  if ('owner' in props) {
    const owner = props.owner;
    if (owner === null) patch.owner = null;
    else if (!isRecord(owner)) throw invalid('properties.owner must be an object.');
    else {
      const pick = (k: string): string | undefined => optionalString(owner as Record<string, unknown>, k);
      patch.owner = {
        objectId: pick('objectId'),
        email: pick('email'),
        assignedTo: pick('assignedTo'),
        userPrincipalName: pick('userPrincipalName'),
      };
    }
  }
  if ('labels' in props && props.labels !== null) {
    if (!Array.isArray(props.labels)) throw invalid('properties.labels must be an array.');
    patch.labels = props.labels.map((l, i) => {
      if (!isRecord(l) || typeof l.labelName !== 'string')
        throw invalid(`properties.labels[${i}].labelName is required.`);
      return l.labelName;
    });
  }
  return patch;
}

export function parseCommentPut(body: unknown): string {
  const props = properties(body, 'incident comment');
  const message = optionalString(props, 'message');
  if (message === undefined || message.trim().length === 0) throw invalid('properties.message is required.');
  if (message.length > COMMENT_MAX_CHARS) {
    throw invalid(`properties.message is ${message.length} characters; the maximum is ${COMMENT_MAX_CHARS}.`);
  }
  return message;
}

export function parseTaskPut(body: unknown): { title: string; description?: string; status?: TaskStatus } {
  const props = properties(body, 'incident task');
  const title = optionalString(props, 'title');
  if (title === undefined || title.trim().length === 0) throw invalid('properties.title is required.');
  return {
    title,
    description: optionalString(props, 'description'),
    status: enumValue(props, 'status', TASK_STATUSES),
  };
}
