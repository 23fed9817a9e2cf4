import type { Confidence, EntityRole, Evidence } from './types';

/**
 * Role inference as weighted votes: every piece of evidence votes for one role of one subject with a
 * weight (1 = a hint, such as an alert's compromisedEntity; 2 = an alert or the description saying so;
 * 3 = the logs showing it, an analyst stating it, or the incident's closing classification). The role
 * with the most weight wins; a tie goes to the role that leads to the least harmful action.
 */
export interface Vote {
  role: EntityRole;
  weight: number;
  evidence: Evidence;
}

/** On a tie, the safer reading wins: never call something hostile when the evidence is split evenly. */
const TIE_ORDER: readonly EntityRole[] = [
  'legitimate',
  'insider',
  'compromised',
  'targeted',
  'attacker',
  'affected',
  'context',
];

export class Ballot {
  private readonly votes = new Map<string, Vote[]>();

  add(key: string, role: EntityRole, weight: number, evidence: Evidence): void {
    const list = this.votes.get(key) ?? [];
    // The same evidence text voting twice for the same role counts once.
    if (
      list.some(
        (v) => v.role === role && v.evidence.text === evidence.text && v.evidence.ref === evidence.ref,
      )
    )
      return;
    list.push({ role, weight, evidence });
    this.votes.set(key, list);
  }

  of(key: string): Vote[] {
    return this.votes.get(key) ?? [];
  }

  /** The winning role, its confidence and the evidence (winning role's first, strongest first). */
  decide(
    key: string,
    fallback: EntityRole = 'context',
  ): { role: EntityRole; confidence: Confidence; evidence: Evidence[]; weight: number } {
    const votes = this.of(key);
    const totals = new Map<EntityRole, number>();
    for (const v of votes) totals.set(v.role, (totals.get(v.role) ?? 0) + v.weight);
    let role: EntityRole = fallback;
    let best = 0;
    for (const r of TIE_ORDER) {
      const total = totals.get(r) ?? 0;
      if (total > best) {
        best = total;
        role = r;
      }
    }
    const against = [...totals.entries()].filter(([r]) => r !== role).reduce((m, [, w]) => Math.max(m, w), 0);
    const margin = best - against;
    const strong = votes.some((v) => v.role === role && v.weight >= 3);
    const confidence: Confidence =
      best === 0 ? 'low' : strong && margin >= 3 ? 'high' : margin >= 2 ? 'medium' : 'low';
    const evidence = [
      ...votes.filter((v) => v.role === role).sort((a, b) => b.weight - a.weight),
      ...votes.filter((v) => v.role !== role).sort((a, b) => b.weight - a.weight),
    ].map((v) => v.evidence);
    return { role, confidence, evidence, weight: best };
  }

  /** Current leader without evidence, for rules that depend on other subjects' roles. */
  leader(key: string): EntityRole | undefined {
    const decided = this.decide(key);
    return decided.weight > 0 ? decided.role : undefined;
  }
}
