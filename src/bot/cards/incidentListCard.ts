import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';
import listTemplate from '../../../adaptive-cards/incident-list.json';
import { VERBS } from '../../../adaptive-cards/verbs';
import type { Incident } from '../../domain/types';
import { cardText, ownerName, relativeTime, severityColor } from './cardText';

export interface IncidentListView {
  incidents: readonly Incident[];
  workspaceName: string;
}

/** The `incidents` answer: newest open incidents, each with an "Open #n" button (VERBS.selectIncident). */
export function renderIncidentListCard(view: IncidentListView, options: { now?: Date } = {}): Attachment {
  const now = options.now ?? new Date();
  const count = view.incidents.length;
  const data = {
    verbs: VERBS,
    heading: `Open incidents in ${cardText(view.workspaceName, 80)}`,
    subheading:
      count === 0
        ? 'No open incidents right now.'
        : `${count} newest first. Select one to make it this conversation's current incident.`,
    incidents: view.incidents.map((i) => ({
      number: i.number,
      title: cardText(i.title, 120) || '(untitled incident)',
      severity: i.severity,
      severityColor: severityColor(i.severity),
      details: `${i.status} · ${cardText(ownerName(i.owner), 60)} · created ${relativeTime(i.createdTimeUtc, now)}`,
    })),
  };
  const card = new Template(listTemplate).expand({ $root: data }) as Record<string, unknown>;
  return CardFactory.adaptiveCard(card);
}
