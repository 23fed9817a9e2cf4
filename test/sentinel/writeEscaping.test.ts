import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { startBotHarness, type BotHarness } from '../support/botHarness';

/**
 * Issue #16 item 4: every free-text field the bot writes to Sentinel is HTML-escaped exactly once, at
 * the gateway. Checked through the real SDK clients against the demo workspace (what Sentinel stores),
 * and through the bot for the close form's comment.
 */
const HOSTILE = `Hunt: Sign-ins by <img src=x onerror=alert(1)> & "</td><script>alert('x')</script>"`;
const ESCAPED =
  'Hunt: Sign-ins by &lt;img src=x onerror=alert(1)&gt; &amp; &quot;&lt;/td&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;';

describe('fields written to Sentinel are HTML-escaped once, at the gateway', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(() => h.close());

  async function incident(n: number) {
    const found = await h.gateway.getIncidentByNumber(n);
    if (!found) throw new Error(`demo incident ${n} missing`);
    return found;
  }

  it('task titles and descriptions', async () => {
    const i = await incident(2);
    await h.gateway.upsertTask(i.name, 'a1b2c3d4-0000-4000-8000-000000000001', {
      title: HOSTILE,
      description: `${HOSTILE}\nQuery:\nSigninLogs | where x == "<b>"`,
    });
    const task = (await h.gateway.listTasks(i.name)).find(
      (t) => t.name === 'a1b2c3d4-0000-4000-8000-000000000001',
    );
    expect(task?.title).toBe(ESCAPED);
    expect(task?.description).toBe(`${ESCAPED}\nQuery:\nSigninLogs | where x == &quot;&lt;b&gt;&quot;`);
  });

  it('comments', async () => {
    const i = await incident(2);
    await h.gateway.createComment(i.name, 'a1b2c3d4-0000-4000-8000-000000000002', HOSTILE);
    const comment = (await h.gateway.listComments(i.name)).find(
      (c) => c.name === 'a1b2c3d4-0000-4000-8000-000000000002',
    );
    expect(comment?.message).toBe(ESCAPED);
  });

  it('the close comment and the owner name of an incident update, but not the fields sent back as read', async () => {
    const before = await incident(3);
    const updated = await h.gateway.updateIncident(before, {
      status: 'Closed',
      classification: 'BenignPositive',
      classificationReason: 'SuspiciousButExpected',
      classificationComment: HOSTILE,
      owner: { objectId: '6c3ef7a4-0000-4000-8000-00000000a1ec', assignedTo: 'Dana <b>Ruiz</b>' },
    });
    expect(updated.classificationComment).toBe(ESCAPED);
    expect(updated.owner.assignedTo).toBe('Dana &lt;b&gt;Ruiz&lt;/b&gt;');
    // Title and description go back exactly as Sentinel gave them (no second escaping on every write).
    expect(updated.title).toBe(before.title);
    expect(updated.description).toBe(before.description);
  });

  it('what an analyst types in the close form, through the bot', async () => {
    const { body } = await h.click(VERBS.setStatus, {
      incidentNumber: 4,
      status: 'Closed',
      classification: 'FalsePositive',
      classificationReason: 'InaccurateData',
      closeComment: '<img src=x onerror=alert(1)> test VM & lab',
    });
    expect(JSON.stringify(body)).not.toContain('went wrong');
    const closed = await incident(4);
    expect(closed.status).toBe('Closed');
    expect(closed.classificationComment).toBe('&lt;img src=x onerror=alert(1)&gt; test VM &amp; lab');
  });
});
