import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatCompleter } from '../../src/ai/model';
import { generateRemediationTasks, RemediationTasksError } from '../../src/ai/remediationTasks';
import { DATA_OPEN } from '../../src/ai/spotlight';
import { loadConfig } from '../../src/config';
import { type FakeOpenAI, startFakeOpenAI } from '../support/fakeOpenAI';
import { smallIncidentData } from './incidentFixtures';

describe('generateRemediationTasks', () => {
  let ai: FakeOpenAI;
  beforeAll(async () => {
    ai = await startFakeOpenAI();
  });
  afterAll(async () => {
    await ai.close();
  });
  const completer = () => createChatCompleter(loadConfig({ OPENAI_BASE_URL: ai.baseUrl }).model);

  it('without a model returns the built-in checklist naming the incident entities', async () => {
    const result = await generateRemediationTasks(smallIncidentData());
    expect(result.engine).toContain('Built-in analyst');
    expect(result.tasks.map((t) => t.title)).toContain('Isolate and investigate host WS-042');
    for (const t of result.tasks) expect(t.title.length).toBeLessThanOrEqual(150);
  });

  it('asks for JSON-schema output with the incident data and returns validated tasks', async () => {
    ai.clear();
    const long = 'x'.repeat(400);
    ai.script({
      content: JSON.stringify({
        tasks: [
          { title: 'Isolate WS-042', steps: ['Isolate it', ' '] },
          { title: long, steps: [] },
        ],
      }),
    });
    const result = await generateRemediationTasks(smallIncidentData(), completer());
    expect(result.tasks[0]).toEqual({ title: 'Isolate WS-042', steps: ['Isolate it'] });
    expect(result.tasks[1]?.title.length).toBe(150);
    expect(result.engine).toMatch(/via OpenAI-compatible server/);
    const body = ai.requests[0]?.body;
    expect(body?.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'remediation_tasks' },
    });
    expect(ai.promptText(ai.requests[0] as NonNullable<(typeof ai.requests)[0]>)).toContain(DATA_OPEN);
  });

  it('invalid JSON is a typed error, not partial tasks', async () => {
    ai.clear();
    ai.script({ content: '{"tasks":[{"title":"Isolate' });
    await expect(generateRemediationTasks(smallIncidentData(), completer())).rejects.toMatchObject({
      name: 'RemediationTasksError',
      kind: 'InvalidJson',
    });
    ai.script({ content: '{"tasks":[{"title":"","steps":[]}]}' });
    await expect(generateRemediationTasks(smallIncidentData(), completer())).rejects.toBeInstanceOf(
      RemediationTasksError,
    );
  });
});
