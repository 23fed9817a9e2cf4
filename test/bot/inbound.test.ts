import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { FakeGateway } from '../support/fakeGateway';

/**
 * Issue #16 item 2: with BOT_ID empty (inbound authentication off), a web page must not be able to
 * drive the bot — no form posts, no cross-site or DNS-rebound requests, no replies to an address the
 * poster chose — while the Agents Playground and Teams-shaped JSON keep working.
 */
describe('local mode refuses what a web page can send', () => {
  let h: BotHarness;
  const gateway = new FakeGateway();
  beforeAll(async () => {
    // No poller: its reads would land in gateway.calls, which these tests expect empty.
    h = await startBotHarness({ gateway, env: { POLL_INTERVAL_SECONDS: '0' } });
  });
  afterAll(() => h.close());

  async function raw(
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    const res = await fetch(`${h.botUrl}/api/messages`, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  }

  it.each([
    ['a urlencoded form', 'application/x-www-form-urlencoded'],
    ['a multipart form', 'multipart/form-data; boundary=x'],
    ['text/plain', 'text/plain'],
    ['no content type', ''],
  ])('refuses %s with 415 and does nothing', async (_what, contentType) => {
    gateway.calls.length = 0;
    const click = h.teams.invoke(VERBS.assignToMe, { incidentNumber: 4 });
    const res = await raw(JSON.stringify(click), contentType ? { 'content-type': contentType } : {});
    expect(res.status).toBe(415);
    expect(gateway.calls).toEqual([]);
    expect(h.teams.requests).toEqual([]);
  });

  it.each([
    ['a cross-site page', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['an Origin of another site', { origin: 'https://evil.example' }],
    ['a same-site page on another port', { 'sec-fetch-site': 'same-site' }],
    ['a DNS-rebound page', { origin: 'http://rebind.evil.example:3978', 'sec-fetch-site': 'same-origin' }],
  ])('refuses JSON from %s with 403', async (_what, headers) => {
    const res = await raw(JSON.stringify(h.teams.message('incidents')), {
      'content-type': 'application/json',
      ...headers,
    });
    expect(res.status).toBe(403);
    expect(h.teams.requests).toEqual([]);
  });

  it('refuses a Host that is not a loopback name (DNS rebinding)', async () => {
    const body = JSON.stringify(h.teams.message('incidents'));
    // fetch() will not send another Host; node:http does, as a browser does for a rebound name.
    const status = await new Promise<number>((resolve, reject) => {
      const headers = { 'content-type': 'application/json', host: 'rebind.evil.example:3978' };
      request(`${h.botUrl}/api/messages`, { method: 'POST', headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(body);
    });
    expect(status).toBe(403);
    expect(h.teams.requests).toEqual([]);
  });

  it('refuses an activity whose serviceUrl is not loopback: no card goes to an attacker-chosen address', async () => {
    gateway.calls.length = 0;
    const activity = { ...h.teams.message('incident 1'), serviceUrl: 'https://evil.example/teams/' };
    expect((await h.post(activity)).status).toBe(403);
    expect(gateway.calls).toEqual([]);
  });

  it('still answers the Playground and Teams-shaped JSON (loopback serviceUrl, loopback Origin)', async () => {
    const { status, replies } = await h.say('help');
    expect(status).toBe(200);
    expect(replies).toHaveLength(1);
    const fromLocalPage = await raw(JSON.stringify(h.teams.message('help')), {
      'content-type': 'application/json; charset=utf-8',
      origin: 'http://localhost:56150',
    });
    expect(fromLocalPage.status).toBe(200);
  });
});
