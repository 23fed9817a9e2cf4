import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startPlayground, type Playground } from '../support/playground';

/**
 * The one flow through a real Teams-like client: the M365 Agents Playground rendered in headless Debian
 * Chromium, talking to the bot over the Bot Framework protocol, the bot talking to the demo workspace
 * through the Azure SDKs.
 */

let harness: BotHarness;
let playground: Playground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  harness = await startBotHarness();
  playground = await startPlayground(`${harness.botUrl}/api/messages`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await playground?.close();
  await harness?.close();
});

describe('M365 Agents Playground (local Teams client) in headless Chromium', () => {
  it('sends "incident 1" in personal chat and renders the incident card', async () => {
    await page.goto(playground.url, { waitUntil: 'domcontentloaded' });
    // The compose box is a contenteditable div, like Teams'.
    const input = page.locator('[data-lexical-editor="true"][role="textbox"]');
    await input.waitFor({ timeout: 30_000 });
    await input.click();
    await input.pressSequentially('incident 1');
    await input.press('Enter');

    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'Password spray attack' }).last();
    await card.waitFor({ timeout: 30_000 });
    const text = await card.innerText();
    expect(text).toContain('#1');
    expect(text).toMatch(/High/);
    expect(text).toContain('Ask about this');
    // Kept for a human look after a run (the harness's data dir is deleted on close).
    await page.screenshot({ path: path.join(os.tmpdir(), 'playground-incident-1.png'), fullPage: true });
  }, 60_000);
});
