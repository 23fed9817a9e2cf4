import type { IncidentData } from '../ai/incidentData';
import type { Evidence, IncidentUnderstanding } from '../ai/understanding';
import type { Incident, IncidentStatus, QueryResult, Severity } from '../domain/types';

/**
 * The queue as data: read-only questions about many incidents, answered from Sentinel (incident API and
 * validated KQL over SecurityIncident / SecurityAlert / ThreatIntelligenceIndicator / the logs).
 *
 * This module knows no Teams. Two callers share it:
 * - the deterministic router in chat (`src/queue/` feature: list/filter, status of N, who owns N, compare,
 *   related, where else has X appeared, is X malicious) — no model needed;
 * - the model's read-only tools for multi-step investigation (`src/ai/investigate/`).
 * Nothing here writes. Writes happen only through the confirmation cards and the card-action runtime.
 */

/** Who "me" is, resolved from the Teams activity by the caller (the service never sees Teams). */
export interface Asker {
  aadObjectId?: string;
  userPrincipalName?: string;
  name?: string;
}

export type OwnerFilter =
  | { kind: 'me' }
  | { kind: 'unassigned' }
  /** A name, UPN or email as typed ("dana", "dana.ruiz@contoso.com"). */
  | { kind: 'named'; text: string };

export interface IncidentFilter {
  severities?: Severity[];
  /** Default when absent: open (New, Active). */
  statuses?: IncidentStatus[];
  owner?: OwnerFilter;
  /** ISO-8601 bounds on createdTimeUtc (the router turns "today", "last 24h", "this week" into these). */
  createdFrom?: string;
  createdTo?: string;
  /** Alert product name, case-insensitive contains ("Defender for Endpoint", "Entra ID Protection"). */
  product?: string;
  /** MITRE ATT&CK tactic as Sentinel names it ("CredentialAccess"); the router maps "credential access". */
  tactic?: string;
  label?: string;
  /** An indicator the incident's entities must contain: IP, account/UPN, host, domain, URL, file hash. */
  entity?: string;
}

/** Sorted by severity (High first), then newest first. */
export interface IncidentPage {
  incidents: Incident[];
  /** How many incidents match in total (for "14 open High — showing 10"). */
  total: number;
  offset: number;
}

export interface IncidentDetail {
  data: IncidentData;
  understanding: IncidentUnderstanding;
}

export interface RelatedIncident {
  incident: Incident;
  /** The entity values both incidents share ("185.220.101.45", "adele.vance@contoso.com"). */
  shared: string[];
}

export type IndicatorKind = 'ip' | 'account' | 'host' | 'domain' | 'url' | 'hash' | 'unknown';

export interface IndicatorSighting {
  /** Where it was seen: "incident #1", "SigninLogs", "ThreatIntelligenceIndicator". */
  source: string;
  count: number;
  first?: string;
  last?: string;
  /** One line about the sighting ("28 failed sign-ins against 8 accounts"). */
  summary: string;
  /** The validated query that produced it, when it came from the logs. */
  query?: string;
}

export interface IndicatorReport {
  value: string;
  kind: IndicatorKind;
  /** Incidents whose entities contain it, with the role the understanding gave it there. */
  incidents: { incident: Incident; role?: string; evidence: Evidence[] }[];
  sightings: IndicatorSighting[];
  /** malicious / suspicious / legitimate by evidence; not-seen when nothing anywhere mentions it. */
  assessment: 'malicious' | 'suspicious' | 'legitimate' | 'unknown' | 'not-seen';
  evidence: Evidence[];
}

export interface HuntRun {
  /** The query as run (row cap added). */
  query: string;
  result: QueryResult;
}

export interface QueueService {
  list(filter: IncidentFilter, page: { offset: number; limit: number }, asker?: Asker): Promise<IncidentPage>;
  /** By analyst-facing number, with the role analysis; undefined when no such incident. */
  incident(incidentNumber: number): Promise<IncidentDetail | undefined>;
  related(incidentNumber: number, limit?: number): Promise<RelatedIncident[]>;
  indicator(value: string): Promise<IndicatorReport>;
  /**
   * Runs a hunting query only if it passes the schema validator and the read-only check, with the row,
   * time and size caps; throws a typed error naming why it was refused otherwise.
   */
  hunt(query: string, options?: { timespan?: string }): Promise<HuntRun>;
}
