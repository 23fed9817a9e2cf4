import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveIncident } from '../../src/demo/liveIncidents';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  playgroundChannel,
  startPlayground,
  type Playground,
} from '../support/playground';

/**
 * Issue #4/#5 "done when", through the local Teams client: after `subscribe` in the SOC team's
 * Incidents channel, a new incident appears there as a card within POLL_INTERVAL_SECONDS + 1 s, a
 * status change updates the same card, and "Assign to me" on it writes the owner to Sentinel.
 */
const POLL_SECONDS = 2;
let h: BotHarness;
let playground: Playground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  h = await startBotHarness({ env: { POLL_INTERVAL_SECONDS: String(POLL_SECONDS) } });
  playground = await startPlayground(`${h.botUrl}/api/messages`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
  // The Playground shows only what arrives while a browser is connected: open the channel first.
  await page.goto(playground.url, { waitUntil: 'domcontentloaded' });
  await page.getByText('Incidents', { exact: true }).first().click();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await playground?.close();
  await h?.close();
});

describe('Incidents channel in the M365 Agents Playground', () => {
  it('cards a new incident after subscribe, keeps the card current, and assigns from it', async () => {
    const channel = await playgroundChannel('Incidents');
    // A channel message reaches the bot only with an @mention, as in Teams.
    await playground.postMessage(channel.id, 'subscribe');
    await page
      .getByText(/subscribed/i)
      .first()
      .waitFor({ timeout: 15_000 });

    const demo = h.demo;
    if (demo === undefined) throw new Error('the harness started without the demo workspace');
    const created = demo.store.createIncident({
      ...createLiveIncident(new Date(), 7),
      title: 'Inbox rule forwards finance mail to an external address',
      severity: 'High',
    });
    const t0 = Date.now();
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: created.title });
    // Generous bound so a loaded CI machine does not flake; the measured time is printed for the notes.
    await card.first().waitFor({ timeout: (POLL_SECONDS + 1) * 1000 + 5_000 });
    const shownAfterMs = Date.now() - t0;
    console.log(
      `new-incident card shown ${shownAfterMs} ms after creation (poll interval ${POLL_SECONDS} s)`,
    );

    demo.store.updateIncident(created.name, { status: 'Active' });
    await card
      .filter({ hasText: 'Active' })
      .first()
      .waitFor({ timeout: (POLL_SECONDS + 2) * 1000 });
    expect(await card.count()).toBe(1);

    // The renderer shows the first buttons and puts the rest behind "...", as Teams does.
    await card.first().locator('button', { hasText: '...' }).click();
    await page.getByText('Assign to me', { exact: true }).last().click();
    await card.filter({ hasText: 'Dana Ruiz' }).first().waitFor({ timeout: 15_000 });
    expect(demo.store.getByName(created.name)?.owner?.assignedTo).toBe('Dana Ruiz');
  }, 60_000);
});
