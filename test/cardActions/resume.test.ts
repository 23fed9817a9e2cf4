import { TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeInterruptedActions } from '../../src/cardActions/longActions';
import { VERBS } from '../../adaptive-cards/verbs';
import { toSentinelHtml } from '../../src/sentinel/sentinelHtml';
import {
  cardFromUpdate,
  cardTexts,
  executeVerbs,
  planButton,
  startCardActionsHarness,
  type CardActionsHarness,
} from './cardActionsHarness';

/**
 * A restart between the click and the result: the previous process wrote the 'running' record (with
 * what is needed to resume) and died. The next process finishes the work once and gives the card that
 * still says "working…" its result and buttons back.
 */
describe('card actions interrupted by a restart', () => {
  let t: CardActionsHarness;
  beforeAll(async () => {
    t = await startCardActionsHarness();
  });
  afterAll(async () => t?.close());

  it('finishes "Add these N tasks" left running: writes the stored plan once and restores the card', async () => {
    const demo = t.h.demo;
    if (demo === undefined) throw new Error('the harness started without the demo workspace');
    const incident = demo.store.getByNumber(3);
    if (incident === undefined) throw new Error('no incident #3');
    const tasksBefore = demo.store.listTasks(incident.name).length;
    // The proposal was shown (and stored) before the restart.
    await t.click(VERBS.addTasks, 3, 'card-proposed', { conversationType: 'channel' });
    const proposal = planButton(cardFromUpdate(await t.finalUpdate('card-proposed')));
    if (!proposal) throw new Error('no proposal');
    const cardId = 'card-left-working';
    const reference = TurnContext.getConversationReference(
      t.h.teams.message('incident 3', { conversationType: 'channel' }) as Parameters<
        typeof TurnContext.getConversationReference
      >[0],
    );
    const actor = {
      teamsId: '29:dana',
      name: 'Dana Ruiz',
      aadObjectId: '7b3c9d10-4e2a-4f6b-8c1d-0a9e8f7d6c51',
    };
    await t.runtime.jobs.write({
      state: 'running',
      action: 'addPlannedTasks',
      incidentName: incident.name,
      incidentNumber: incident.number,
      cardActivityId: cardId,
      planId: proposal.planId,
      startedBy: { name: actor.name, aadObjectId: actor.aadObjectId },
      startedAt: new Date().toISOString(),
      resume: { reference, actor },
    });

    expect(await resumeInterruptedActions(t.runtime)).toBe(1);
    const update = await t.finalUpdate(cardId);
    const plan = await t.runtime.plans.get(proposal.planId);
    const titles = demo.store
      .listTasks(incident.name)
      .slice(tasksBefore)
      .map((x) => x.title);
    // Exactly the stored plan (as Sentinel stores it, HTML-escaped): a resumed click never writes a different list.
    expect(titles).toEqual(plan?.tasks.map((x) => toSentinelHtml(x.title)));
    expect(cardTexts(cardFromUpdate(update))).toMatch(
      new RegExp(`${proposal.count} tasks? added by Dana Ruiz`),
    );
    expect(executeVerbs(cardFromUpdate(update)).length).toBeGreaterThan(0);

    // Done now: a second restart finds nothing to resume, and nothing is written twice.
    expect(await resumeInterruptedActions(t.runtime)).toBe(0);
    await t.runtime.jobs.settled();
    expect(demo.store.listTasks(incident.name).length - tasksBefore).toBe(proposal.count);
  });
});
