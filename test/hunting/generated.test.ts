import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import type { BotHarness } from '../support/botHarness';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { collectActions } from '../support/cardInspection';
import {
  cardText,
  cardsIn,
  invokeCard,
  invokeMessage,
  queryShown,
  runQueryId,
  startHuntHarness,
  tableRows,
} from './huntHarness';

const BAD = '```kql\nSigninLogs\n| where SourceIPAddr == "185.220.101.45"\n| take 10\n```';
const GOOD_QUERY =
  'SigninLogs\n| where IPAddress == "185.220.101.45"\n| summarize SignIns = count() by UserPrincipalName, ResultType';
const GOOD = `\`\`\`kql\n${GOOD_QUERY}\n\`\`\`\nCounts sign-ins from the address per account.`;

/** Hunting with a (scripted) language model behind the real openai client. */
describe('hunting with a model', () => {
  let ai: FakeOpenAI;
  let h: BotHarness;
  const conversationId = 'a:hunt-model';
  const background = new Set<Promise<void>>();

  beforeAll(async () => {
    ai = await startFakeOpenAI();
    h = await startHuntHarness(
      { env: { OPENAI_BASE_URL: ai.baseUrl, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'fake-kql' } },
      { background },
    );
    await h.say('incident 1', { conversationId });
  });
  afterAll(async () => {
    await h.close();
    await ai.close();
  });
  beforeEach(() => {
    ai.clear();
    ai.setDefault({ content: BAD });
  });

  it('repairs an unknown column from the diagnostics, shows only the valid query, and Run returns rows', async () => {
    ai.script({ content: BAD }, { content: GOOD });
    const started = performance.now();
    const { replies } = await h.say('hunt for sign-ins from the attacker IP', { conversationId });
    const ms = performance.now() - started;

    expect(ai.requests).toHaveLength(2);
    const repair = ai.requests[1]?.body.messages.at(-1);
    expect(repair?.role).toBe('user');
    expect(String(repair?.content)).toMatch(/KS142 at line 2, column 9 \(near "SourceIPAddr"\)/);
    expect(ai.promptText(ai.requests[0] ?? ai.requests[1])).toContain('185.220.101.45');

    const cards = cardsIn(replies);
    expect(cards).toHaveLength(1);
    const card = cards[0] ?? {};
    expect(queryShown(card)).toBe(GOOD_QUERY);
    expect(JSON.stringify(replies)).not.toContain('SourceIPAddr');
    expect(cardText(card)).toContain('Written by: fake-kql via OpenAI-compatible server');
    expect(cardText(card)).not.toMatch(/127\.0\.0\.1|:\d{2,5}\b/);
    expect(cardText(card)).toContain(
      '✓ Validated against the workspace schema (20 tables); reads SigninLogs',
    );

    const before = h.teams.activities.length;
    const run = await h.click(
      VERBS.huntRun,
      { verb: VERBS.huntRun, queryId: runQueryId(card) },
      { conversationId },
    );
    expect(cardText(invokeCard(run.body))).toMatch(/Ran at \d\d:\d\d UTC by Alex Analyst: [1-9]\d* rows?/);
    const rows = tableRows(cardsIn(h.teams.activities.slice(before))[0] ?? {});
    expect(rows[0]).toEqual(['UserPrincipalName', 'ResultType', 'SignIns']);
    expect(rows.length).toBeGreaterThan(1);
    console.info(`[measure] hunt → query card (fake model, one repair): ${ms.toFixed(0)} ms`);
  });

  it('a model that never writes a valid query: "I couldn\'t produce a valid query" with the diagnostics, no Run button', async () => {
    const { replies } = await h.say('hunt for sign-ins from the attacker IP', { conversationId });
    expect(ai.requests).toHaveLength(3);
    expect(cardsIn(replies)).toEqual([]);
    expect(replies.flatMap((r) => collectActions(r.activity))).toEqual([]);
    const text = replies.map((r) => r.activity.text).join('\n');
    expect(text).toContain("I couldn't produce a valid query");
    expect(text).toContain('The query still has errors after repairs.');
    expect(text).toMatch(
      /Line 2, column 9: The name 'SourceIPAddr' does not refer to any known column.*KS142/,
    );
    expect(text).toContain('Last attempt (not runnable):');
  });

  it('the Hunt button with a model asks for related activity of the incident entities', async () => {
    const before = h.teams.activities.length;
    ai.script({ content: GOOD, delayMs: 300 });
    const click = await h.click(VERBS.hunt, { verb: VERBS.hunt, incidentNumber: 1 }, { conversationId });
    expect(click.status).toBe(200);
    // Answered before the model has written anything: Teams retries invokes not answered in ~15 s.
    expect(invokeMessage(click.body)).toMatch(/^Writing hunting queries for incident #1…/);
    expect(cardsIn(h.teams.activities.slice(before))).toHaveLength(0);
    await Promise.all([...background]);
    expect(
      ai.promptText(ai.requests[0] ?? { path: '', headers: {}, body: { messages: [] }, at: 0 }),
    ).toContain("hunt for related activity of this incident's entities");
    expect(queryShown(cardsIn(h.teams.activities.slice(before))[0] ?? {})).toBe(GOOD_QUERY);
  });

  it('a failing model falls back to templates and says so', async () => {
    ai.script({ status: 400 });
    const { replies } = await h.say('hunt for sign-ins from the attacker IP', { conversationId });
    const texts = replies.map((r) => r.activity.text ?? '').join('\n');
    expect(texts).toContain('The model could not write a query (the model rejected the request');
    const card = cardsIn(replies)[0] ?? {};
    expect(cardText(card)).toContain('Written by: Template (no language model)');
    expect(queryShown(card)).toContain('"185.220.101.45"');
  });
});
