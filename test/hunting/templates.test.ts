import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { CHOOSE_INCIDENT_TEXT } from '../../src/hunting/runtime';
import { UNKNOWN_QUERY_TEXT } from '../../src/hunting/runHunt';
import { huntTaskId } from '../../src/hunting';
import { templatesForIncident } from '../../src/hunting/templateChoice';
import { SchemaProvider } from '../../src/kql/schema';
import { validateKql } from '../../src/kql/validator';
import { collectActions } from '../support/cardInspection';
import type { BotHarness } from '../support/botHarness';
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

/** Hunting without a language model: templates chosen by the question, on the demo workspace. */
describe('hunting with templates (no model)', () => {
  let h: BotHarness;
  const demoStore = () => {
    if (!h.demo) throw new Error('demo workspace not running');
    return h.demo.store;
  };
  const incidentName = (n: number): string => {
    const i = demoStore().getByNumber(n);
    if (!i) throw new Error(`no incident #${n}`);
    return i.name;
  };

  const background = new Set<Promise<void>>();
  beforeAll(async () => {
    h = await startHuntHarness({}, { background });
  });
  afterAll(async () => {
    await h.close();
  });

  it('asks which incident when the conversation has none', async () => {
    const { replies } = await h.say('hunt for sign-ins', { conversationId: 'a:hunt-no-incident' });
    expect(replies.map((r) => r.activity.text)).toEqual([CHOOSE_INCIDENT_TEXT]);
  });

  it("hunt for an IP the analyst typed searches for that IP, not the incident's own", async () => {
    const conversationId = 'a:hunt-typed-ip';
    await h.say('incident 1', { conversationId });
    const { replies } = await h.say('hunt for 185.220.101.4', { conversationId });
    const cards = cardsIn(replies);
    expect(cards.length).toBeGreaterThanOrEqual(1);
    for (const card of cards) expect(queryShown(card)).toContain('"185.220.101.4"');
  });

  it('sign-ins from the attacker IP on incident 1: validated SigninLogs query, Run shows rows, Add as task adds one task', async () => {
    const conversationId = 'a:hunt-b';
    await h.say('incident 1', { conversationId });
    const cold = performance.now();
    const { replies } = await h.say('hunt for other sign-ins from the attacker IP', { conversationId });
    const huntMs = performance.now() - cold;
    const warmStart = performance.now();
    await h.say('hunt for other sign-ins from the attacker IP', { conversationId });
    const warmMs = performance.now() - warmStart;

    const cards = cardsIn(replies);
    expect(cards.length).toBeGreaterThanOrEqual(1);
    const card = cards[0] ?? {};
    const query = queryShown(card);
    expect(query.split('\n')[0]).toBe('SigninLogs');
    expect(query).toContain('"185.220.101.45"');
    expect(cardText(card)).toContain(
      '✓ Validated against the workspace schema (20 tables); reads SigninLogs',
    );
    expect(cardText(card)).toContain('Written by: Template (no language model)');
    expect(collectActions(card).map((a) => a.verb)).toEqual([VERBS.huntRun, VERBS.huntAddTask]);

    const queryId = runQueryId(card);
    const before = h.teams.activities.length;
    const runStart = performance.now();
    const run = await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId }, { conversationId });
    const runMs = performance.now() - runStart;
    const ranCard = invokeCard(run.body);
    expect(cardText(ranCard)).toMatch(/Ran at \d\d:\d\d UTC by Alex Analyst: \d+ rows?/);
    const results = cardsIn(h.teams.activities.slice(before));
    expect(results).toHaveLength(1);
    const rows = tableRows(results[0] ?? {});
    expect(rows[0]).toContain('UserPrincipalName');
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).some((r) => r.some((cell) => cell.includes('contoso.com')))).toBe(true);

    const name = incidentName(1);
    const tasksBefore = demoStore().listTasks(name).length;
    const add = await h.click(VERBS.huntAddTask, { verb: VERBS.huntAddTask, queryId }, { conversationId });
    expect(cardText(invokeCard(add.body))).toMatch(
      /Added as a task to incident #1 at \d\d:\d\d UTC by Alex Analyst/,
    );
    const tasks = demoStore().listTasks(name);
    expect(tasks).toHaveLength(tasksBefore + 1);
    const added = tasks.find((t) => t.name === huntTaskId(name, query));
    expect(added?.title).toBe('Hunt: Sign-ins from 185.220.101.45');
    expect(added?.description).toContain('185.220.101.45');
    expect(added?.description).toContain('Added from Teams by Alex Analyst');

    const again = await h.click(VERBS.huntAddTask, { verb: VERBS.huntAddTask, queryId }, { conversationId });
    expect(cardText(invokeCard(again.body))).toContain('Already a task in incident #1');
    expect(demoStore().listTasks(name)).toHaveLength(tasksBefore + 1);
    console.info(
      `[measure] hunt → query card (templates): cold ${huntMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms; Run on demo: ${runMs.toFixed(0)} ms`,
    );
  });

  it('a question only the logs can answer gets a validated query, not a guess', async () => {
    const { replies } = await h.say('in incident 1, were there other sign-ins from the attacker IP?', {
      conversationId: 'a:hunt-question',
    });
    const card = cardsIn(replies)[0] ?? {};
    const query = queryShown(card);
    expect(query.split('\n')[0]).toBe('SigninLogs');
    expect(query).toContain('"185.220.101.45"');
    expect(collectActions(card).map((a) => a.verb)).toEqual([VERBS.huntRun, VERBS.huntAddTask]);
  });

  it('"hunt in incident 1 for …" names the incident and makes it current', async () => {
    const conversationId = 'a:hunt-named';
    const { replies } = await h.say('hunt in incident 1 for processes', { conversationId });
    expect(cardsIn(replies).length).toBeGreaterThan(0);
    expect(cardText(cardsIn(replies)[0])).toContain('Hunt · incident #1');
  });

  it('the Hunt button posts validated template queries for every demo incident, and each runs without error', async () => {
    for (const incident of demoStore().listIncidents()) {
      const conversationId = `a:hunt-all-${incident.number}`;
      const before = h.teams.activities.length;
      const click = await h.click(
        VERBS.hunt,
        { verb: VERBS.hunt, incidentNumber: String(incident.number) },
        { conversationId },
      );
      expect(invokeMessage(click.body)).toMatch(
        new RegExp(`^Writing hunting queries for incident #${incident.number}…`),
      );
      await Promise.all([...background]);
      const cards = cardsIn(h.teams.activities.slice(before));
      expect(cards.length).toBeGreaterThanOrEqual(1);
      expect(cards.length).toBeLessThanOrEqual(3);
      for (const card of cards) {
        const run = await h.click(
          VERBS.huntRun,
          { verb: VERBS.huntRun, queryId: runQueryId(card) },
          { conversationId },
        );
        expect(cardText(invokeCard(run.body)), queryShown(card)).toMatch(/Ran at .*: \d+ rows?/);
      }
    }
  });

  it('every template of every demo incident validates against the workspace schema and runs', async () => {
    const schema = await new SchemaProvider((q) => h.gateway.runQuery(q)).getSchema();
    let ran = 0;
    for (const stored of demoStore().listIncidents()) {
      const incident = await h.gateway.getIncident(stored.name);
      if (!incident) throw new Error(`incident ${stored.name} not readable`);
      const entities = await h.gateway.listEntities(incident.name);
      for (const t of templatesForIncident(incident, entities, schema)) {
        expect((await validateKql(t.query, schema)).errors, t.query).toEqual([]);
        const result = await h.gateway.runQuery(t.query, { timespan: 'P60D' });
        expect(result.status, t.query).toBe('Success');
        ran += 1;
      }
    }
    expect(ran).toBeGreaterThan(50);
  });

  it('kql: shows the analyst query as typed, validated, with Run', async () => {
    const conversationId = 'a:hunt-kql';
    await h.say('incident 1', { conversationId });
    const kql =
      'SigninLogs\n| where IPAddress == "185.220.101.45"\n| project TimeGenerated, UserPrincipalName';
    const { replies } = await h.say(`kql: ${kql}`, { conversationId });
    const card = cardsIn(replies)[0] ?? {};
    expect(queryShown(card)).toBe(kql);
    expect(cardText(card)).toContain('Written by: Your KQL (not rewritten)');
    const run = await h.click(
      VERBS.huntRun,
      { verb: VERBS.huntRun, queryId: runQueryId(card) },
      { conversationId },
    );
    expect(cardText(invokeCard(run.body))).toMatch(/Ran at .*: \d+ rows/);
  });

  it('kql: with an unknown column explains where, and offers no Run button', async () => {
    const conversationId = 'a:hunt-kql-bad';
    await h.say('incident 1', { conversationId });
    const { replies } = await h.say('kql: SigninLogs | where SourceIPAddr == "1.2.3.4"', { conversationId });
    expect(cardsIn(replies)).toEqual([]);
    const text = replies.map((r) => r.activity.text).join('\n');
    expect(text).toContain("Your query doesn't validate against the workspace schema");
    expect(text).toMatch(/Line 1, column 20: .*SourceIPAddr.*KS142/);
  });

  it('an unknown or malformed query id gets a clear message, nothing run', async () => {
    const unknown = await h.click(VERBS.huntRun, {
      verb: VERBS.huntRun,
      queryId: 'AAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(invokeMessage(unknown.body)).toBe(UNKNOWN_QUERY_TEXT);
    const malformed = await h.click(VERBS.huntAddTask, { verb: VERBS.huntAddTask, queryId: { $ne: 1 } });
    expect(invokeMessage(malformed.body)).toBe(UNKNOWN_QUERY_TEXT);
  });
});
