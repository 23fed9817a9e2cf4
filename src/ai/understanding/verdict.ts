import type { IncidentData } from '../incidentData';
import { flatten } from '../spotlight';
import type { IncidentStance } from './statements';
import type { Evidence, IncidentUnderstanding, VerdictHint } from './types';

/**
 * A triage hint from the evidence, never a decision: the classification when the incident has one;
 * otherwise what the analysts wrote; otherwise what the roles show (an identity or host compromised by
 * evidence → likely true positive). Automatic triage reads the same hint.
 */
export function verdictHint(
  data: IncidentData,
  u: Pick<IncidentUnderstanding, 'entities' | 'findings'>,
  stances: readonly { stance: IncidentStance; evidence: Evidence }[],
): VerdictHint {
  const i = data.incident;
  if (i.classification && i.classification !== 'Undetermined') {
    const evidence: Evidence = {
      kind: 'classification',
      text: `classified ${i.classification}${i.classificationReason ? ` (${i.classificationReason})` : ''}${i.classificationComment ? `: ${flatten(i.classificationComment, 200)}` : ''}`,
      ref: 'incident classification',
    };
    const verdict =
      i.classification === 'TruePositive'
        ? 'true-positive'
        : i.classification === 'BenignPositive'
          ? 'benign-positive'
          : 'false-positive';
    return { verdict, confidence: 'high', evidence: [evidence] };
  }
  const benign = stances.filter((s) => s.stance === 'benign').map((s) => s.evidence);
  const malicious = stances.filter((s) => s.stance === 'malicious').map((s) => s.evidence);
  const compromised = u.entities.filter(
    (e) => e.role === 'compromised' && e.confidence !== 'low' && !e.fromLogs,
  );
  const attackers = u.entities.filter((e) => e.role === 'attacker' && e.confidence !== 'low');
  const insiders = u.entities.filter((e) => e.role === 'insider');
  const roleEvidence = [...compromised, ...attackers, ...insiders]
    .flatMap((e) => e.evidence.slice(0, 1))
    .slice(0, 4);
  if (benign.length > malicious.length && compromised.length === 0)
    return { verdict: 'benign-positive', confidence: 'medium', evidence: benign.slice(0, 3) };
  if (malicious.length > 0 || compromised.length > 0 || insiders.length > 0) {
    const strong = compromised.some((e) => e.confidence === 'high') || malicious.length > 0;
    return {
      verdict: 'true-positive',
      confidence: strong ? 'high' : 'medium',
      evidence: [...malicious, ...roleEvidence].slice(0, 5),
    };
  }
  if (attackers.length > 0) return { verdict: 'true-positive', confidence: 'low', evidence: roleEvidence };
  return { verdict: 'undetermined', confidence: 'low', evidence: [] };
}
