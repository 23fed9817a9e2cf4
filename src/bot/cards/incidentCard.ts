import { Template } from 'adaptivecards-templating';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { CardFactory, type Attachment } from 'botbuilder';
import incidentTemplate from '../../../adaptive-cards/incident.json';
import { VERBS, type Verb } from '../../../adaptive-cards/verbs';
import type { Alert, Entity, Incident, IncidentTask } from '../../domain/types';
import { getLogger } from '../../logger';
import {
  cardText,
  DEFENDER_PORTAL_HOSTS,
  ownerName,
  safeHttpsUrl,
  SENTINEL_PORTAL_HOSTS,
  severityColor,
  whenText,
} from './cardText';

const log = getLogger('bot.cards');

/** Teams rejects bigger payloads; we stay under with margin by capping every attacker-sized field. */
export const MAX_CARD_BYTES = 28 * 1024;

/**
 * Which buttons the card shows. "No dead buttons": a flag is turned on only by the code that registers
 * the verb's handler (see `INCIDENT_CARD_BUTTONS` for titles and verbs).
 */
export interface IncidentCardActions {
  askAboutThis?: boolean;
  analyze?: boolean;
  addTasks?: boolean;
  postComment?: boolean;
  assignToMe?: boolean;
  changeStatus?: boolean;
  hunt?: boolean;
}

export const INCIDENT_CARD_BUTTONS: Readonly<
  Record<keyof IncidentCardActions, { title: string; verb: Verb }>
> = {
  askAboutThis: { title: 'Ask about this', verb: VERBS.askAboutThis },
  analyze: { title: 'Analyze', verb: VERBS.analyze },
  addTasks: { title: 'Add tasks', verb: VERBS.addTasks },
  postComment: { title: 'Post comment', verb: VERBS.postComment },
  assignToMe: { title: 'Assign to me', verb: VERBS.assignToMe },
  changeStatus: { title: 'Change status', verb: VERBS.changeStatus },
  hunt: { title: 'Hunt', verb: VERBS.hunt },
};

export interface IncidentCardView {
  incident: Incident;
  alerts?: Alert[];
  entities?: Entity[];
  tasks?: IncidentTask[];
  /** One line under the facts, e.g. "5 tasks added by Dana Ruiz, 10:42". */
  note?: string;
}

export interface IncidentCardOptions {
  actions: IncidentCardActions;
  /** For relative times; tests pin it. */
  now?: Date;
}

const ENTITIES_PER_KIND = 3;
const ENTITY_KINDS = 8;

export function renderIncidentCard(view: IncidentCardView, options: IncidentCardOptions): Attachment {
  const card = renderIncidentCardJson(view, options);
  return CardFactory.adaptiveCard(card);
}

/** The card body alone (for Action.Execute invoke responses, which carry the card, not an attachment). */
export function renderIncidentCardJson(view: IncidentCardView, options: IncidentCardOptions): AdaptiveCard {
  const full = expand(view, options, true);
  if (Buffer.byteLength(JSON.stringify(full)) <= MAX_CARD_BYTES) return full;
  log.warn(
    { incidentNumber: view.incident.number },
    'incident card over size budget; dropping description and entities',
  );
  return expand(view, options, false);
}

function expand(view: IncidentCardView, options: IncidentCardOptions, detailed: boolean): AdaptiveCard {
  const { incident } = view;
  const now = options.now ?? new Date();
  const productNames = view.alerts
    ? [...new Set(view.alerts.map((a) => a.productName).filter((p) => p.length > 0))]
    : incident.alertProductNames;
  const alertCount = view.alerts ? view.alerts.length : incident.alertsCount;

  const facts: { label: string; value: string }[] = [
    { label: 'Status', value: cardText(incident.status, 40) },
    { label: 'Owner', value: cardText(ownerName(incident.owner), 120) },
    { label: 'Created', value: whenText(incident.createdTimeUtc, now) },
    {
      label: 'Last activity',
      value: whenText(incident.lastActivityTimeUtc ?? incident.lastModifiedTimeUtc, now),
    },
  ];
  if (incident.tactics.length > 0)
    facts.push({ label: 'Tactics', value: listText(incident.tactics, 12, 60) });
  if (incident.techniques.length > 0) {
    facts.push({ label: 'Techniques', value: listText(incident.techniques, 15, 30) });
  }
  const alertsValue =
    productNames.length > 0 ? `${alertCount} (${listText(productNames, 5, 80)})` : String(alertCount);
  facts.push({ label: 'Alerts', value: alertsValue });
  if (view.tasks && view.tasks.length > 0) {
    const done = view.tasks.filter((t) => t.status === 'Completed').length;
    facts.push({ label: 'Tasks', value: `${done} of ${view.tasks.length} done` });
  }

  const providerIncidentUrl = safeHttpsUrl(incident.providerIncidentUrl, DEFENDER_PORTAL_HOSTS);
  const data = {
    verbs: VERBS,
    number: incident.number,
    title: cardText(incident.title, 200) || '(untitled incident)',
    severity: incident.severity,
    severityColor: severityColor(incident.severity),
    facts,
    description: detailed ? cardText(incident.description, 700, { multiline: true }) : '',
    entityGroups: detailed ? entityGroups(view.entities ?? []) : [],
    note: cardText(view.note, 200),
    incidentUrl: safeHttpsUrl(incident.incidentUrl, SENTINEL_PORTAL_HOSTS),
    providerIncidentUrl,
    providerLabel: providerLabel(incident.providerName, providerIncidentUrl),
    buttons: (Object.keys(INCIDENT_CARD_BUTTONS) as (keyof IncidentCardActions)[])
      .filter((flag) => options.actions[flag] === true)
      .map((flag) => INCIDENT_CARD_BUTTONS[flag]),
  };
  const card: AdaptiveCard = new Template(incidentTemplate).expand({ $root: data });
  return card;
}

function listText(items: readonly string[], maxItems: number, maxEach: number): string {
  const shown = items.slice(0, maxItems).map((s) => cardText(s, maxEach));
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} (+${more} more)` : shown.join(', ');
}

/** Sentinel's entity kind names as an analyst reads them on a card. */
const ENTITY_KIND_LABELS: Readonly<Record<string, string>> = {
  Ip: 'IP address',
  CloudApplication: 'Cloud app',
  FileHash: 'File hash',
  MailMessage: 'Mail message',
  DnsResolution: 'DNS',
  AzureResource: 'Azure resource',
  RegistryKey: 'Registry key',
  RegistryValue: 'Registry value',
  SecurityGroup: 'Security group',
  IoTDevice: 'IoT device',
  SubmissionMail: 'Submitted mail',
};

/** "Account" → "alice@contoso.com, bob, svc\_backup (+4 more)", most common kinds first. */
function entityGroups(entities: readonly Entity[]): { label: string; value: string }[] {
  const byKind = new Map<string, string[]>();
  for (const e of entities) {
    const kind = e.kind || 'Other';
    const names = byKind.get(kind) ?? [];
    const name = e.friendlyName || e.id;
    if (!names.includes(name)) names.push(name);
    byKind.set(kind, names);
  }
  return [...byKind.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, ENTITY_KINDS)
    .map(([kind, names]) => ({
      label: cardText(ENTITY_KIND_LABELS[kind] ?? kind, 30),
      value: listText(names, ENTITIES_PER_KIND, 80),
    }));
}

function providerLabel(providerName: string | undefined, url: string): string {
  if (url === '') return '';
  if (/security\.microsoft\.com/i.test(url) || /defender|microsoft 365/i.test(providerName ?? ''))
    return 'Defender';
  return cardText(providerName, 40) || 'provider portal';
}
