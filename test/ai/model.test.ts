import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatCompleter, createModel, describeEngine, ModelCallError } from '../../src/ai/model';
import { loadConfig } from '../../src/config';
import { type FakeOpenAI, startFakeOpenAI } from '../support/fakeOpenAI';

describe('model providers', () => {
  it('provider none builds no model and no completer', () => {
    const config = loadConfig({});
    expect(createModel(config.model)).toBeUndefined();
    expect(createChatCompleter(config.model)).toBeUndefined();
  });

  it('OpenAI-compatible server: endpoint, default model, timeout and bounded retries reach the client', () => {
    const config = loadConfig({
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3',
      MODEL_TIMEOUT_SECONDS: '7',
    });
    const model = createModel(config.model);
    expect(model?.options).toMatchObject({
      endpoint: 'http://127.0.0.1:11434/v1',
      defaultModel: 'llama3',
      clientOptions: { timeout: 7000, maxRetries: 2 },
    });
    // Shown to every user under answers: never the server's host or port.
    expect(describeEngine(config.model)).toBe('llama3 via OpenAI-compatible server');
    expect(describeEngine(loadConfig({ OPENAI_API_KEY: 'sk-x' }).model)).toBe('gpt-4o-mini via OpenAI');
  });

  it('Azure OpenAI without a key uses an Entra ID token provider', () => {
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: 'https://soc.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt4o',
    });
    const model = createModel(config.model);
    expect(model?.options).toMatchObject({
      azureEndpoint: 'https://soc.openai.azure.com',
      azureDefaultDeployment: 'gpt4o',
      azureApiVersion: '2024-10-21',
    });
    expect(model?.options).not.toHaveProperty('azureApiKey');
    expect(typeof (model?.options as { azureADTokenProvider?: unknown }).azureADTokenProvider).toBe(
      'function',
    );
    expect(describeEngine(config.model)).toBe('gpt4o via Azure OpenAI');
  });

  it('Azure OpenAI with a key uses it', () => {
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: 'https://soc.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt4o',
      AZURE_OPENAI_API_KEY: 'k',
    });
    expect(createModel(config.model)?.options).toMatchObject({ azureApiKey: 'k' });
  });
});

describe('createChatCompleter against a scripted OpenAI-compatible server', () => {
  let ai: FakeOpenAI;
  beforeAll(async () => {
    ai = await startFakeOpenAI();
  });
  afterAll(async () => {
    await ai.close();
  });

  it('completes, and retries a 429 after the server-given retry-after-ms', async () => {
    ai.clear();
    ai.script({ status: 429, headers: { 'retry-after-ms': '150' } }, { content: 'let x = 1' });
    const completer = createChatCompleter(loadConfig({ OPENAI_BASE_URL: ai.baseUrl }).model);
    const out = await completer?.complete([{ role: 'user', content: 'hi' }]);
    expect(out).toBe('let x = 1');
    expect(ai.requests).toHaveLength(2);
    const [first, second] = ai.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(140);
    expect(ai.requests[0]?.path).toBe('/v1/chat/completions');
  });

  it('gives up after bounded retries with a one-phrase reason', async () => {
    ai.clear();
    ai.script({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const completer = createChatCompleter(loadConfig({ OPENAI_BASE_URL: ai.baseUrl }).model);
    const call = completer?.complete([{ role: 'user', content: 'hi' }]);
    await expect(call).rejects.toBeInstanceOf(ModelCallError);
    await expect(call).rejects.toMatchObject({ reason: 'the model service failed (500)' });
    expect(ai.requests).toHaveLength(3);
  });
});
