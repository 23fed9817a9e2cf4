import { describe, expect, it } from 'vitest';
import { affirmedStatements, AnswerKey, normalise, score, type Outputs } from '../../bench/eval/score';

const key = AnswerKey.parse({
  incidents: [
    {
      id: 'k',
      match: 'spray',
      facts: [{ text: 'attacker', pattern: '198\\.51\\.100\\.1[^\\n]{0,40}attacker', source: 's' }],
      roles: [{ entity: '198.51.100.1', role: ['attacker'], source: 's' }],
      mustDo: [{ text: 'block', pattern: 'block[^\\n]{0,40}198\\.51\\.100\\.1', source: 's' }],
      mustNot: [{ text: 'block home', pattern: 'block[^\\n]{0,40}203\\.0\\.113\\.9', source: 's' }],
      questions: [{ ask: 'how many?', expect: ['\\b8\\b'], mustNot: ['\\b3 accounts'], source: 's' }],
    },
  ],
}).incidents[0];
if (!key) throw new Error('no key');

const outputs = (over: Partial<Outputs> = {}): Outputs => ({
  whatHappened: '**Attacker:** 198.51.100.1 — attacker infrastructure',
  answers: [{ ask: 'how many?', text: '8 accounts targeted' }],
  tasks: [{ title: 'Block the attacker address 198.51.100.1', steps: [], why: 'spray source' }],
  context: '- 198.51.100.1 [Ip]: attacker (high)\n8 accounts targeted',
  roles: new Map([['198.51.100.1', 'attacker']]),
  sources: [],
  ...over,
});

describe('eval scoring', () => {
  it('counts facts, roles, must-do, questions and context recall', () => {
    const s = score(key, outputs());
    expect([s.facts.hit, s.roles.hit, s.mustDo.hit, s.questions.hit]).toEqual([1, 1, 1, 1]);
    expect(s.context).toMatchObject({ hit: 3, of: 3 });
    expect(s.violations).toEqual([]);
  });

  it('a recommendation to block the legitimate address is a violation, in a task or in an answer', () => {
    expect(
      score(key, outputs({ tasks: [{ title: 'Block 203.0.113.9', steps: [], why: '' }] })).violations,
    ).toHaveLength(1);
    expect(
      score(key, outputs({ answers: [{ ask: 'how many?', text: 'Block 203.0.113.9 now.' }] })).violations,
    ).toHaveLength(1);
  });

  it('negated statements and quotes of the incident text are not advice', () => {
    const text = 'Do not block 203.0.113.9. Not proposed: Block 203.0.113.9 — legitimate.';
    expect(affirmedStatements(text)).toEqual([]);
    const quoted = outputs({
      answers: [{ ask: 'how many?', text: 'Summary: the firewall will block 203.0.113.9 for the audit.' }],
      sources: ['the firewall will block 203.0.113.9 for the audit.'],
    });
    expect(score(key, quoted).violations).toEqual([]);
  });

  it('reads text as a person would: markdown removed, indicators refanged', () => {
    expect(normalise('**Block** hxxps://evil[.]example/x')).toBe('Block https://evil.example/x');
  });

  it("a question's mustNot fails it even when the expected content is there", () => {
    const s = score(
      key,
      outputs({ answers: [{ ask: 'how many?', text: '8 accounts; the entity list has 3 accounts' }] }),
    );
    expect(s.questions.hit).toBe(0);
  });
});
