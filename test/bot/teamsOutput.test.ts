import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { makeActivitySafe } from '../../src/bot/teamsOutput';
import { HOSTILE_TEXT } from '../support/hostileLinks';
import { judgeActivity, judgeCard, judgeInvokeBody } from '../support/linkOracle';

/** The last gate before Teams, on activities no renderer has touched (a forgotten sanitiser upstream). */
function hostileCard(): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: HOSTILE_TEXT, wrap: true },
      { type: 'FactSet', facts: [{ title: '![x](//evil.example/q.png)', value: 'www.evil.example/login' }] },
      { type: 'Image', url: 'https://evil.example/beacon.png' },
      { type: 'Container', backgroundImage: 'https://evil.example/bg.png', items: [] },
      {
        type: 'Input.Text',
        id: 'comment',
        value: 'typed https://evil.example/x',
        label: 'see https://evil.example/l',
      },
    ],
    actions: [
      { type: 'Action.OpenUrl', title: 'Open', url: 'https://evil.example/phish' },
      { type: 'Action.OpenUrl', title: 'Open in Sentinel', url: 'https://portal.azure.com/#blade/x' },
      {
        type: 'Action.Execute',
        title: 'Run https://evil.example',
        verb: 'v',
        data: { note: 'https://evil.example' },
      },
    ],
  };
}

describe('the outbound gate (src/bot/teamsOutput.ts)', () => {
  it('makes message text, summary and attached cards safe', () => {
    const activity: Partial<Activity> = {
      type: 'message',
      text: HOSTILE_TEXT,
      summary: '![x](//evil.example/q.png)',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: hostileCard() }],
    };
    expect(judgeActivity(activity).length).toBeGreaterThan(0);
    makeActivitySafe(activity);
    expect(judgeActivity(activity)).toEqual([]);
    expect(activity.summary).not.toContain('//evil.example');
    const card = activity.attachments?.[0]?.content as {
      body: unknown[];
      actions: { url?: string; data?: unknown }[];
    };
    expect(JSON.stringify(card)).not.toContain('evil.example/beacon.png');
    expect(JSON.stringify(card)).not.toContain('evil.example/bg.png');
    expect(card.actions.map((a) => a.url)).toEqual(['https://portal.azure.com/#blade/x', undefined]);
    // What a button sends back and what an input holds are data, not shown as links: left as they were.
    expect(card.actions[1]?.data).toEqual({ note: 'https://evil.example' });
    expect(JSON.stringify(card.body)).toContain('"value":"typed https://evil.example/x"');
  });

  it('makes invoke answers safe: a message or a card', () => {
    const message: Partial<Activity> = {
      type: 'invokeResponse',
      value: {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: HOSTILE_TEXT },
      },
    };
    const card: Partial<Activity> = {
      type: 'invokeResponse',
      value: {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: hostileCard() },
      },
    };
    for (const a of [message, card]) {
      const body = (a.value as { body: unknown }).body;
      expect(judgeInvokeBody(body).length).toBeGreaterThan(0);
      makeActivitySafe(a);
      expect(judgeInvokeBody(body)).toEqual([]);
    }
    expect(judgeCard(hostileCard()).length).toBeGreaterThan(0);
  });
});
