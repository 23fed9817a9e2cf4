import { RestError, createHttpHeaders } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SentinelError } from '../../src/sentinel/errors';
import { parseArmError, retryAfterMsFrom, toSentinelError } from '../../src/sentinel/errorMapping';
import { armError, gatewayFor, startFakeArm, type FakeArm } from './fakeArm';

let fake: FakeArm;
beforeAll(async () => {
  fake = await startFakeArm();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const INCIDENT = { body: { name: 'inc-1', etag: '"e"', properties: { incidentNumber: 1, title: 't' } } };

describe('HTTP failures from ARM become SentinelErrors', () => {
  it('404 on get → undefined; 404 on alerts → NotFound naming what failed and ARM code', async () => {
    fake.route = () => ({ status: 404, body: armError('NotFound', 'Incident inc-9 was not found') });
    const gateway = gatewayFor(fake);
    expect(await gateway.getIncident('inc-9')).toBeUndefined();
    const error = await gateway.listAlerts('inc-9').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentinelError);
    expect(error).toMatchObject({ kind: 'NotFound', status: 404, code: 'NotFound' });
    expect((error as Error).message).toContain('listing alerts of incident inc-9');
    expect((error as Error).message).toContain('Incident inc-9 was not found');
  });

  it.each([
    [400, 'BadRequest'],
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [409, 'Conflict'],
  ] as const)('%i → %s without retrying', async (status, kind) => {
    fake.route = () => ({ status, body: armError(`Code${status}`, `message ${status}`) });
    await expect(gatewayFor(fake).listEntities('inc-1')).rejects.toMatchObject({
      kind,
      status,
      code: `Code${status}`,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('412 on a stale etag → PreconditionFailed', async () => {
    fake.route = (req) =>
      req.method === 'GET'
        ? INCIDENT
        : {
            status: 412,
            body: armError('PreconditionFailed', 'The etag does not match the current incident'),
          };
    const gateway = gatewayFor(fake);
    const incident = await gateway.getIncident('inc-1');
    if (!incident) throw new Error('fixture incident missing');
    await expect(gateway.updateIncident(incident, { severity: 'Low' })).rejects.toMatchObject({
      kind: 'PreconditionFailed',
      status: 412,
    });
  });

  it('an incident read without an etag is not written blindly', async () => {
    fake.route = () => ({ body: { name: 'inc-1', properties: { incidentNumber: 1 } } });
    const gateway = gatewayFor(fake);
    const incident = await gateway.getIncident('inc-1');
    if (!incident) throw new Error('fixture incident missing');
    await expect(gateway.updateIncident(incident, { severity: 'Low' })).rejects.toMatchObject({
      kind: 'BadRequest',
    });
    expect(fake.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('429 with Retry-After: 1, then 200 → the pipeline retries and succeeds', async () => {
    fake.route = (_req, before) =>
      before === 0
        ? { status: 429, headers: { 'Retry-After': '1' }, body: armError('TooManyRequests', 'slow') }
        : INCIDENT;
    const started = Date.now();
    expect((await gatewayFor(fake).getIncident('inc-1'))?.name).toBe('inc-1');
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('429 forever → Throttled with retryAfterMs after three retries', async () => {
    fake.route = () => ({
      status: 429,
      headers: { 'Retry-After': '1' },
      body: armError('TooManyRequests', 'slow'),
    });
    await expect(gatewayFor(fake).listComments('inc-1')).rejects.toMatchObject({
      kind: 'Throttled',
      status: 429,
      retryAfterMs: 1000,
    });
    expect(fake.requests).toHaveLength(4);
  });

  it('a Retry-After longer than the budget is not waited for', async () => {
    fake.route = () => ({
      status: 429,
      headers: { 'retry-after-ms': '120000' },
      body: armError('TooManyRequests', ''),
    });
    const started = Date.now();
    await expect(gatewayFor(fake).listTasks('inc-1')).rejects.toMatchObject({
      kind: 'Throttled',
      retryAfterMs: 120_000,
    });
    expect(fake.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('500 → Unavailable after the pipeline retries', async () => {
    fake.route = () => ({ status: 500, body: armError('InternalServerError', 'boom') });
    await expect(gatewayFor(fake).listIncidents()).rejects.toMatchObject({
      kind: 'Unavailable',
      status: 500,
    });
    expect(fake.requests).toHaveLength(4);
  });

  it('tasks REST failures carry ARM code and message', async () => {
    fake.route = () => ({ status: 404, body: armError('NotFound', 'Incident inc-3 not found') });
    const error = await gatewayFor(fake)
      .upsertTask('inc-3', 't-1', { title: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'NotFound', code: 'NotFound' });
    expect((error as Error).message).toMatch(/saving task t-1 of incident inc-3.*Incident inc-3 not found/);
  });
});

describe('error mapping helpers', () => {
  it('a RestError without a status (refused, reset, DNS) is Unavailable', () => {
    const error = toSentinelError(
      new RestError('connect ECONNREFUSED', { code: 'ECONNREFUSED' }),
      'listing incidents',
    );
    expect(error).toMatchObject({ kind: 'Unavailable' });
    expect(error.message).toContain('listing incidents');
  });

  it('reads retry-after-ms, Retry-After seconds and HTTP dates', () => {
    expect(retryAfterMsFrom(createHttpHeaders({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMsFrom(createHttpHeaders({ 'Retry-After': '20' }))).toBe(20_000);
    const later = new Date(Date.now() + 30_000).toUTCString();
    expect(retryAfterMsFrom(createHttpHeaders({ 'Retry-After': later }))).toBeGreaterThan(25_000);
    expect(retryAfterMsFrom(createHttpHeaders({}))).toBeUndefined();
  });

  it('appends the innermost Log Analytics error message', () => {
    const body = {
      error: {
        code: 'BadArgumentError',
        message: 'The request had some invalid properties',
        innererror: {
          code: 'SyntaxError',
          message: 'A recognition error occurred',
          innererror: { message: "Query could not be parsed at '|'" },
        },
      },
    };
    expect(parseArmError(JSON.stringify(body))).toEqual({
      code: 'BadArgumentError',
      message: "The request had some invalid properties (Query could not be parsed at '|')",
    });
    expect(parseArmError('<html>gateway timeout</html>')).toEqual({
      message: '<html>gateway timeout</html>',
    });
  });
});
