import type { AdaptiveCard } from '@microsoft/teams-ai';
import { Template } from 'adaptivecards-templating';
import statusTemplate from '../../adaptive-cards/incident-status.json';
import { VERBS } from '../../adaptive-cards/verbs';
import { cardText, ownerName } from '../bot/cards/cardText';
import {
  CLASSIFICATION_REASONS,
  CLASSIFICATIONS,
  INCIDENT_STATUSES,
  type Classification,
  type ClassificationReason,
  type Incident,
  type IncidentStatus,
  type IncidentUpdate,
} from '../domain/types';
import type { SentinelGateway } from '../sentinel/gateway';
import { clockText } from './cardRefresh';
import { updateWithEtag } from './etagUpdate';

export const CLOSE_COMMENT_MAX_CHARS = 1000;

/**
 * Which reasons Sentinel (and the portal's close dialog) pairs with each classification: true positive
 * → suspicious activity; benign positive → suspicious but expected; false positive → incorrect alert
 * logic or inaccurate data; undetermined → none.
 */
export const REASONS_BY_CLASSIFICATION: Readonly<Record<Classification, readonly ClassificationReason[]>> = {
  TruePositive: ['SuspiciousActivity'],
  BenignPositive: ['SuspiciousButExpected'],
  FalsePositive: ['IncorrectAlertLogic', 'InaccurateData'],
  Undetermined: [],
};

const CLASSIFICATION_TITLES: Record<Classification, string> = {
  TruePositive: 'True positive',
  BenignPositive: 'Benign positive',
  FalsePositive: 'False positive',
  Undetermined: 'Undetermined',
};

const REASON_TITLES: Record<ClassificationReason, string> = {
  SuspiciousActivity: 'True positive: suspicious activity',
  SuspiciousButExpected: 'Benign positive: suspicious but expected',
  IncorrectAlertLogic: 'False positive: incorrect alert logic',
  InaccurateData: 'False positive: inaccurate data',
};

export interface StatusFormValues {
  status?: string;
  classification?: string;
  classificationReason?: string;
  comment?: string;
}

export function renderStatusForm(
  incident: Incident,
  error = '',
  values: StatusFormValues = {},
): AdaptiveCard {
  const owner = ownerName(incident.owner);
  return new Template(statusTemplate).expand({
    $root: {
      verbs: VERBS,
      number: incident.number,
      title: cardText(incident.title, 200) || '(untitled incident)',
      currentStatus: incident.status,
      ownerText: owner === 'Unassigned' ? ', unassigned' : `, owner ${cardText(owner, 120)}`,
      error: cardText(error, 400),
      selectedStatus: values.status ?? (incident.status === 'Closed' ? 'Active' : 'Closed'),
      selectedClassification: values.classification ?? '',
      selectedReason: values.classificationReason ?? '',
      comment: cardText(values.comment, CLOSE_COMMENT_MAX_CHARS, { multiline: true }),
      statusChoices: INCIDENT_STATUSES.map((s) => ({ title: s, value: s })),
      classificationChoices: CLASSIFICATIONS.map((c) => ({ title: CLASSIFICATION_TITLES[c], value: c })),
      reasonChoices: CLASSIFICATION_REASONS.map((r) => ({ title: REASON_TITLES[r], value: r })),
    },
  });
}

export type StatusRequest =
  | { ok: true; status: IncidentStatus; update: IncidentUpdate; summary: string }
  | { ok: false; error: string; values: StatusFormValues };

function field(data: Record<string, unknown>, name: string): string | undefined {
  const v = data[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/**
 * Validates the form on the server: the card is client-side and anything can be posted to us. Only the
 * allowed values pass; closing needs a classification, and the reason must be one Sentinel pairs with it.
 */
export function parseStatusRequest(data: Record<string, unknown>, incident: Incident): StatusRequest {
  const values: StatusFormValues = {
    status: field(data, 'status'),
    classification: field(data, 'classification'),
    classificationReason: field(data, 'classificationReason'),
    comment: field(data, 'closeComment'),
  };
  const fail = (error: string): StatusRequest => ({ ok: false, error, values });
  const status = oneOf(values.status, INCIDENT_STATUSES);
  if (!status) return fail(`Choose a status: ${INCIDENT_STATUSES.join(', ')}.`);
  if (status === incident.status && status !== 'Closed') {
    return fail(`Incident #${incident.number} is already ${status}.`);
  }
  if (status !== 'Closed') {
    return { ok: true, status, update: { status }, summary: `Status set to ${status}` };
  }
  if (incident.status === 'Closed') {
    const how = incident.classification ? ` as ${CLASSIFICATION_TITLES[incident.classification]}` : '';
    return fail(`Incident #${incident.number} is already closed${how}. Choose New or Active to reopen it.`);
  }
  const classification = oneOf(values.classification, CLASSIFICATIONS);
  if (!classification) {
    return fail(
      `Closing needs a classification: ${CLASSIFICATIONS.map((c) => CLASSIFICATION_TITLES[c]).join(', ')}.`,
    );
  }
  const allowed = REASONS_BY_CLASSIFICATION[classification];
  let reason: ClassificationReason | undefined;
  if (values.classificationReason !== undefined) {
    reason = oneOf(values.classificationReason, allowed);
    if (!reason) {
      return fail(
        allowed.length === 0
          ? `${CLASSIFICATION_TITLES[classification]} takes no reason; clear the reason field.`
          : `For ${CLASSIFICATION_TITLES[classification]} the reason must be: ${allowed.map((r) => REASON_TITLES[r]).join(' or ')}.`,
      );
    }
  } else if (allowed.length === 1) {
    reason = allowed[0];
  } else if (allowed.length > 1) {
    return fail(
      `Choose the reason for ${CLASSIFICATION_TITLES[classification]}: ${allowed.map((r) => REASON_TITLES[r]).join(' or ')}.`,
    );
  }
  const comment = values.comment;
  if (comment !== undefined && comment.length > CLOSE_COMMENT_MAX_CHARS) {
    return fail(`The comment is ${comment.length} characters; the limit is ${CLOSE_COMMENT_MAX_CHARS}.`);
  }
  const update: IncidentUpdate = {
    status,
    classification,
    ...(reason ? { classificationReason: reason } : {}),
    ...(comment !== undefined ? { classificationComment: comment } : {}),
  };
  return { ok: true, status, update, summary: `Closed as ${CLASSIFICATION_TITLES[classification]}` };
}

export type StatusChangeResult =
  | { written: true; incident: Incident; note: string }
  | { written: false; incident: Incident; note: string; conflict: boolean };

/** Applies a validated request with the incident's etag; on 412 re-checks the status the click saw. */
export async function applyStatusChange(
  gateway: SentinelGateway,
  incident: Incident,
  request: Extract<StatusRequest, { ok: true }>,
  actorName: string,
  now: Date,
): Promise<StatusChangeResult> {
  const result = await updateWithEtag(gateway, incident, request.update, (fresh) => {
    if (fresh.status === request.status) {
      return {
        kind: 'done',
        note: `Incident #${incident.number} is already ${fresh.status}; nothing changed.`,
      };
    }
    if (fresh.status === incident.status) return { kind: 'apply' };
    const at = new Date(fresh.lastModifiedTimeUtc);
    const when = Number.isNaN(at.getTime()) ? '' : ` at ${clockText(at)}`;
    return {
      kind: 'conflict',
      note: `Not changed: someone set incident #${incident.number} to ${fresh.status}${when}, while you were choosing. Check it and try again.`,
    };
  });
  if (result.written) {
    return {
      written: true,
      incident: result.incident,
      note: `${request.summary} by ${actorName}, ${clockText(now)}`,
    };
  }
  return {
    written: false,
    incident: result.incident,
    note: result.note,
    conflict: result.outcome === 'conflict',
  };
}
