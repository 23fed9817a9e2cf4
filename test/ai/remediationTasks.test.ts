import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatCompleter } from '../../src/ai/model';
import { proposeRemediation, RemediationTasksError } from '../../src/ai/remediationTasks';
import { DATA_OPEN } from '../../src/ai/spotlight';
import { understandIncident } from '../../src/ai/understanding';
import { loadConfig } from '../../src/config';
import { type FakeOpenAI, startFakeOpenAI } from '../support/fakeOpenAI';
import { smallIncidentData } from './incidentFixtures';

describe('proposeRemediation', () => {
  let ai: FakeOpenAI;
  beforeAll(async () => {
    ai = await startFakeOpenAI();
  });
  afterAll(async () => {
    await ai.close();
  });
  const completer = () => createChatCompleter(loadConfig({ OPENAI_BASE_URL: ai.baseUrl }).model);
  const data = smallIncidentData();
  const u = understandIncident(data);

  it('without a model proposes the built-in plan, each task with a why', async () => {
    const plan = await proposeRemediation(data, u);
    expect(plan.engine).toBe('Built-in analyst');
    expect(plan.actions.length).toBeGreaterThan(0);
    for (const a of plan.actions) {
      expect(a.title.length).toBeLessThanOrEqual(150);
      expect(a.why.length).toBeGreaterThan(0);
    }
  });

  it("asks for JSON-schema output with the understanding in the prompt; the model's forbidden tasks and steps are dropped", async () => {
    ai.clear();
    ai.script({
      content: JSON.stringify({
        tasks: [
          { title: 'Isolate WS-042', steps: ['Isolate it', ' '], why: 'C2 from the host' },
          // The only file named is a Windows binary: the guard refuses the whole task.
          { title: 'Block C:\\Windows\\System32\\powershell.exe', steps: ['Block it'], why: 'it ran' },
          {
            title: 'Block hxxps://evil[.]example[.]com/payload.ps1',
            steps: ['Add the URL as an indicator', 'Block 10.0.0.5 at the firewall'],
            why: 'payload URL',
          },
        ],
      }),
    });
    const plan = await proposeRemediation(data, u, completer());
    const titles = plan.actions.map((a) => a.title);
    expect(titles).toContain('Isolate WS-042');
    // Refanged so the task can be acted on; the internal address step is removed, the task kept.
    const block = plan.actions.find((a) => a.title.startsWith('Block https://evil.example.com'));
    expect(block?.steps).toEqual(['Add the URL as an indicator']);
    expect(plan.refused.map((r) => r.rule)).toEqual(['system-binary', 'legitimate-target']);
    expect(plan.engine).toMatch(/via OpenAI-compatible server/);
    const body = ai.requests[0]?.body;
    expect(body?.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'remediation_tasks' },
    });
    const prompt = ai.promptText(ai.requests[0] as NonNullable<(typeof ai.requests)[0]>);
    expect(prompt).toContain(DATA_OPEN);
    expect(prompt).toContain('ROLES (inferred from the evidence');
    expect(prompt).toContain('ALREADY DONE (never recommend these again)');
  });

  it('invalid JSON is a typed error, not partial tasks', async () => {
    ai.clear();
    ai.script({ content: '{"tasks":[{"title":"Isolate' });
    await expect(proposeRemediation(data, u, completer())).rejects.toMatchObject({
      name: 'RemediationTasksError',
      kind: 'InvalidJson',
    });
    ai.script({ content: '{"tasks":[{"title":"","steps":[],"why":""}]}' });
    await expect(proposeRemediation(data, u, completer())).rejects.toBeInstanceOf(RemediationTasksError);
  });
});
