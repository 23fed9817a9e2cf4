import { createHash } from 'node:crypto';
import { normaliseTaskTitle } from '../ai/remediation/existing';

export { normaliseTaskTitle };

/**
 * Deterministic, UUID-shaped ids for what the card buttons create. Sentinel creates comments and tasks
 * by PUT to a caller-chosen id, so the same input always lands on the same resource: a retried or
 * concurrent click overwrites instead of duplicating.
 */
export function uuidFromText(text: string): string {
  const hex = createHash('sha256').update(text, 'utf8').digest('hex');
  // Version 5-style layout (name-based), so the id also passes strict GUID validation.
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function taskId(incidentName: string, title: string): string {
  return uuidFromText(`task\n${incidentName.toLowerCase()}\n${normaliseTaskTitle(title)}`);
}

/** One id per part, so a split comment is re-posted part for part onto the same resources. */
export function commentId(incidentName: string, analysisId: string, part = 0): string {
  return uuidFromText(`comment\n${incidentName.toLowerCase()}\n${analysisId}${part > 0 ? `#${part}` : ''}`);
}
