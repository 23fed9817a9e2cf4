import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { toSentinelHtml } from '../../src/sentinel/sentinelHtml';
import { CARD_ACTION_BUTTONS } from '../../src/cardActions';
import { loadCardView, renderActionCard } from '../../src/cardActions/cardRefresh';
import { renderStatusForm } from '../../src/cardActions/statusChange';
import { MAX_CARD_BYTES } from '../../src/bot/cards/incidentCard';
import { DEFAULT_USER } from '../support/teams';
import {
  cardFromUpdate,
  cardTexts,
  executeVerbs,
  invokeCard,
  planButton,
  startCardActionsHarness,
  type CardActionsHarness,
} from './cardActionsHarness';

/** Each button through HTTP invokes as Teams sends them, with the built-in analyst (no model). */
describe('incident card buttons (built-in analyst)', () => {
  let t: CardActionsHarness;
  const store = () => {
    const s = t.h.demo?.store;
    if (!s) throw new Error('demo workspace not running');
    return s;
  };
  const incident = (n: number) => {
    const i = store().getByNumber(n);
    if (!i) throw new Error(`no incident #${n}`);
    return i;
  };

  beforeAll(async () => {
    t = await startCardActionsHarness();
  });
  afterAll(async () => {
    await t.close();
  });

  it('Assign to me: owner is the clicker (object id + name), card refreshed for the clicker and everyone', async () => {
    const before = incident(3);
    expect(before.owner.objectId).not.toBe(DEFAULT_USER.aadObjectId);
    const { status, body } = await t.click(VERBS.assignToMe, 3, 'card-assign-3', {
      conversationType: 'channel',
    });
    expect(status).toBe(200);
    const card = invokeCard(body);
    expect(cardTexts(card)).toContain('Alex Analyst');
    expect(cardTexts(card)).toMatch(/Assigned to Alex Analyst, \d\d:\d\d UTC/);
    expect(executeVerbs(card)).toContain(VERBS.assignToMe);
    const after = incident(3);
    expect(after.owner.objectId).toBe(DEFAULT_USER.aadObjectId);
    expect(after.owner.assignedTo).toBe('Alex Analyst');
    const update = t.h.teams.updates.find((u) => u.activityId === 'card-assign-3');
    expect(update).toBeDefined();
    expect(cardTexts(cardFromUpdate(update ?? t.h.teams.updates[0]))).toContain('Assigned to Alex Analyst');
  });

  it('Assign to me twice writes once', async () => {
    const etag = incident(3).etag;
    const { body } = await t.click(VERBS.assignToMe, 3, 'card-assign-3', { conversationType: 'channel' });
    expect(cardTexts(invokeCard(body))).toContain('Already assigned to Alex Analyst');
    expect(incident(3).etag).toBe(etag);
  });

  let addedPlan = '';
  it('Add tasks proposes first: the card lists the tasks with their why and writes nothing', async () => {
    expect(incident(4).tasks).toHaveLength(0);
    const { body } = await t.click(VERBS.addTasks, 4, 'card-tasks-4', { conversationType: 'groupChat' });
    const working = invokeCard(body);
    expect(cardTexts(working)).toContain('Proposing remediation tasks… (Alex Analyst)');
    expect(executeVerbs(working)).toEqual([]);

    const proposed = cardFromUpdate(await t.finalUpdate('card-tasks-4'));
    const button = planButton(proposed);
    expect(button?.count).toBeGreaterThan(0);
    const text = cardTexts(proposed);
    expect(text).toMatch(new RegExp(`${button?.count} tasks? proposed by Alex Analyst, \\d\\d:\\d\\d UTC`));
    expect(text).toContain('Isolate WS-FIN-07 from the network (contain-now)');
    expect(text).toMatch(/Why: .*WS-FIN-07/);
    // The attacker URL is shown defanged; the task itself will carry the real one.
    expect(text).toContain('Block the URL hxxp://194[.]26[.]29[.]113/a/update.ps1');
    expect(executeVerbs(proposed)).toContain(VERBS.addTasks);
    expect(incident(4).tasks).toHaveLength(0);
  });

  it('"Add these N tasks" writes exactly the proposed tasks, each with its why; the card lists them', async () => {
    const proposal = planButton(cardFromUpdate(await t.finalUpdate('card-tasks-4')));
    if (!proposal) throw new Error('no proposal on the card');
    addedPlan = proposal.planId;
    await t.click(VERBS.addPlannedTasks, 4, 'card-tasks-4', { data: { planId: proposal.planId } });
    const final = cardFromUpdate(await t.finalUpdate('card-tasks-4'));
    const tasks = incident(4).tasks;
    expect(tasks).toHaveLength(proposal.count);
    const plan = await t.runtime.plans.get(proposal.planId);
    // Sentinel stores the titles HTML-escaped (the gateway escapes every field it writes).
    expect(tasks.map((x) => x.title)).toEqual(plan?.tasks.map((x) => toSentinelHtml(x.title)));
    for (const task of tasks) {
      expect(task.title.length).toBeLessThanOrEqual(150);
      expect(task.description).toMatch(/^Why: /);
      expect(task.description).toContain('Added from Teams by Alex Analyst');
    }
    expect(tasks.map((x) => x.title)).toContain('Block the URL http://194.26.29.113/a/update.ps1');
    const text = cardTexts(final);
    expect(text).toMatch(new RegExp(`${tasks.length} tasks? added by Alex Analyst, \\d\\d:\\d\\d UTC`));
    expect(text).toContain('Tasks added');
  });

  it('adding again, or proposing again, never duplicates a task; the card says which were skipped', async () => {
    const count = incident(4).tasks.length;
    const again = await t.click(VERBS.addPlannedTasks, 4, 'another-card-4', {
      conversationType: 'personal',
      data: { planId: addedPlan },
    });
    expect(invokeCard(again.body)).toBeDefined();
    const skipped = cardTexts(cardFromUpdate(await t.finalUpdate('another-card-4')));
    expect(skipped).toContain(`No new tasks: the ${count} proposed tasks are already on the incident`);
    expect(skipped).toContain(`Not added — already on the incident (${count})`);
    expect(incident(4).tasks).toHaveLength(count);

    await t.click(VERBS.addTasks, 4, 'third-card-4', { conversationType: 'personal' });
    const reproposed = cardFromUpdate(await t.finalUpdate('third-card-4'));
    expect(planButton(reproposed)).toBeUndefined();
    expect(cardTexts(reproposed)).toContain('No new tasks to propose');
    expect(incident(4).tasks).toHaveLength(count);
  });

  it('a plan id that is not stored writes nothing and says so', async () => {
    const before = incident(5).tasks.length;
    await t.click(VERBS.addPlannedTasks, 5, 'card-noplan-5', {
      data: { planId: '00000000-0000-4000-8000-000000000000' },
    });
    const final = cardFromUpdate(await t.finalUpdate('card-noplan-5'));
    expect(cardTexts(final)).toContain(
      'Could not add the proposed tasks: those proposed tasks are no longer stored',
    );
    expect(incident(5).tasks).toHaveLength(before);
  });

  it('Analyze posts the analysis in the card thread and notes it on the card', async () => {
    await t.click(VERBS.analyze, 6, 'card-analyze-6', { conversationType: 'channel' });
    await t.runtime.jobs.settled();
    const reply = t.h.teams.activities.find((a) => a.replyToId === 'card-analyze-6');
    expect(reply?.activity.text).toContain('Analysis of incident #6');
    expect(reply?.activity.text).toContain('Built-in analyst');
    expect(reply?.conversationId).toContain(';messageid=card-analyze-6');
    const final = cardFromUpdate(await t.finalUpdate('card-analyze-6'));
    expect(cardTexts(final)).toContain('Analysis posted in this conversation by Alex Analyst');
    // The analysis shows the proposed tasks with their why; the card carries the same plan's button.
    const proposal = planButton(final);
    expect(proposal?.count).toBeGreaterThan(0);
    expect(reply?.activity.text).toContain(`**Proposed tasks (${proposal?.count})**`);
    expect(reply?.activity.text).toMatch(/Restrict remote access to JUMP-RDP01[^\n]*— why: /);
  });

  it('Post analysis as comment writes one signed comment, however often it is clicked', async () => {
    const before = incident(6).comments.length;
    await t.click(VERBS.postComment, 6, 'card-comment-6', { conversationType: 'channel' });
    await t.click(VERBS.postComment, 6, 'card-comment-6', { conversationType: 'channel' });
    const final = cardFromUpdate(await t.finalUpdate('card-comment-6'));
    await t.click(VERBS.postComment, 6, 'card-comment-6', { conversationType: 'channel' });
    await t.runtime.jobs.settled();
    const comments = incident(6).comments;
    expect(comments).toHaveLength(before + 1);
    const message = comments[comments.length - 1]?.message ?? '';
    expect(message).toContain(
      'Posted from Teams by Alex Analyst — generated by the built-in analyst (no language model)',
    );
    expect(cardTexts(final)).toContain('Analysis posted as a Sentinel comment by Alex Analyst');
  });

  it('Change status shows a form for the clicker only, with the allowed values', async () => {
    const updatesBefore = t.h.teams.updates.length;
    const { body } = await t.click(VERBS.changeStatus, 8, 'card-status-8');
    const form = invokeCard(body) as unknown as {
      body: { type: string; id?: string; choices?: { value: string }[] }[];
    };
    const inputs = form.body.filter((e) => e.type === 'Input.ChoiceSet');
    expect(inputs.map((i) => i.id)).toEqual(['status', 'classification', 'classificationReason']);
    expect(inputs[0]?.choices?.map((c) => c.value)).toEqual(['New', 'Active', 'Closed']);
    expect(inputs[1]?.choices?.map((c) => c.value)).toEqual([
      'Undetermined',
      'TruePositive',
      'BenignPositive',
      'FalsePositive',
    ]);
    expect(executeVerbs(form)).toEqual([VERBS.setStatus, VERBS.setStatus]);
    expect(t.h.teams.updates.length).toBe(updatesBefore);
  });

  it.each([
    [{ status: 'Closed' }, 'Closing needs a classification'],
    [{ status: 'Closed', classification: 'FalsePositive' }, 'Choose the reason for False positive'],
    [{ status: 'Closed', classification: 'TruePositive', classificationReason: 'InaccurateData' }, 'must be'],
    [
      { status: 'Closed', classification: 'Undetermined', classificationReason: 'SuspiciousActivity' },
      'no reason',
    ],
    [{ status: 'Resolved' }, 'Choose a status'],
    [{ status: 'New' }, 'already New'],
  ])('the close form is validated on the server: %j', async (data, error) => {
    const etag = incident(8).etag;
    const { body } = await t.click(VERBS.setStatus, 8, 'card-status-8', { data });
    expect(cardTexts(invokeCard(body))).toContain(error);
    expect(incident(8).etag).toBe(etag);
  });

  it('closing with classification, reason and comment; closing again is refused', async () => {
    const { body } = await t.click(VERBS.setStatus, 8, 'card-status-8', {
      data: {
        status: 'Closed',
        classification: 'FalsePositive',
        classificationReason: 'IncorrectAlertLogic',
        closeComment: 'Test VM',
      },
    });
    expect(cardTexts(invokeCard(body))).toContain('Closed as False positive by Alex Analyst');
    const closed = incident(8);
    expect(closed).toMatchObject({
      status: 'Closed',
      classification: 'FalsePositive',
      classificationReason: 'IncorrectAlertLogic',
      classificationComment: 'Test VM',
    });
    const again = await t.click(VERBS.setStatus, 8, 'card-status-8', {
      data: { status: 'Closed', classification: 'TruePositive' },
    });
    expect(cardTexts(invokeCard(again.body))).toContain('already closed as False positive');
    expect(incident(8).etag).toBe(closed.etag);
  });

  it('true positive takes its only reason by default; reopening sets Active', async () => {
    await t.click(VERBS.setStatus, 10, 'card-status-10', {
      data: { status: 'Closed', classification: 'TruePositive' },
    });
    expect(incident(10)).toMatchObject({ status: 'Closed', classificationReason: 'SuspiciousActivity' });
    const { body } = await t.click(VERBS.setStatus, 10, 'card-status-10', { data: { status: 'Active' } });
    expect(cardTexts(invokeCard(body))).toContain('Status set to Active by Alex Analyst');
    expect(incident(10).status).toBe('Active');
  });

  it('Cancel on the form returns the incident card without writing', async () => {
    const etag = incident(9).etag;
    const { body } = await t.click(VERBS.setStatus, 9, 'card-status-9', { data: { cancel: true } });
    expect(executeVerbs(invokeCard(body))).toContain(VERBS.changeStatus);
    expect(incident(9).etag).toBe(etag);
  });

  it('the Action.Submit fallback updates the posted card in place', async () => {
    const activity = t.h.teams.submit(
      { verb: VERBS.assignToMe, incidentNumber: 5 },
      { conversationType: 'groupChat', replyToId: 'card-submit-5' },
    );
    expect((await t.h.post(activity)).status).toBe(200);
    expect(incident(5).owner.objectId).toBe(DEFAULT_USER.aadObjectId);
    const update = await t.h.teams.waitFor((a) => a.kind === 'update' && a.activityId === 'card-submit-5');
    expect(cardTexts(cardFromUpdate(update))).toContain('Assigned to Alex Analyst');
  });

  it('card data is not trusted: only the incident number is read; a missing number writes nothing', async () => {
    const { body } = await t.h.click(VERBS.assignToMe, { verb: VERBS.assignToMe, owner: 'attacker' });
    expect(body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    const forged = await t.click(VERBS.assignToMe, 7, 'card-7', {
      data: { aadObjectId: '00000000-0000-4000-8000-00000000bad0', name: 'Mallory' },
    });
    expect(cardTexts(invokeCard(forged.body))).toContain('Assigned to Alex Analyst');
    expect(incident(7).owner.objectId).toBe(DEFAULT_USER.aadObjectId);
  });

  it('every card the buttons produce is a fully bound 1.5 card within the size budget, with Submit fallbacks', async () => {
    for (const i of store().listIncidents()) {
      const view = await loadCardView(t.h.gateway, i.number);
      if (!view) throw new Error(`no view for #${i.number}`);
      const cards = [
        renderActionCard(view, {
          actions: CARD_ACTION_BUTTONS,
          note: 'x'.repeat(500),
          tasksAdded: Array.from({ length: 20 }, (_, k) => `Task ${k} ${'y'.repeat(160)}`),
        }),
        renderStatusForm(view.incident, 'error ${x}', { comment: '${evil}' }),
      ];
      for (const card of cards) {
        const json = JSON.stringify(card);
        expect(json).not.toContain('${');
        expect((card as { version?: string }).version).toBe('1.5');
        expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      }
      const buttons = JSON.parse(JSON.stringify(cards[0])) as {
        actions: { type: string; fallback?: { type: string } }[];
      };
      const executes = buttons.actions.filter((a) => a.type === 'Action.Execute');
      expect(executes.length).toBe(5);
      expect(executes.every((a) => a.fallback?.type === 'Action.Submit')).toBe(true);
    }
  });
});
