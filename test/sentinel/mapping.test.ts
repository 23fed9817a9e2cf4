import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/types';
import { toEntity, toIncident, toIncidentPutBody, toQueryTable, toTask } from '../../src/sentinel/mapping';

const incident: Incident = {
  name: 'inc-1',
  id: '/subscriptions/s/.../incidents/inc-1',
  etag: '"e1"',
  number: 1,
  title: 'Impossible travel',
  description: 'Sign-ins from two continents',
  severity: 'Medium',
  status: 'New',
  owner: { email: 'bo@contoso.com', assignedTo: 'Bo' },
  createdTimeUtc: '2026-11-01T10:00:00.000Z',
  lastModifiedTimeUtc: '2026-11-01T10:00:00.000Z',
  firstActivityTimeUtc: '2026-11-01T09:00:00.000Z',
  tactics: ['InitialAccess'],
  techniques: [],
  alertProductNames: [],
  alertsCount: 1,
  bookmarksCount: 0,
  commentsCount: 0,
  labels: ['vip'],
};

describe('toIncidentPutBody', () => {
  it('keeps what the analyst did not change and replaces what they did', () => {
    const body = toIncidentPutBody(incident, {
      status: 'Closed',
      classification: 'TruePositive',
      classificationReason: 'SuspiciousActivity',
      owner: { email: 'ana@contoso.com' },
    });
    expect(body).toMatchObject({
      etag: '"e1"',
      title: 'Impossible travel',
      description: 'Sign-ins from two continents',
      severity: 'Medium',
      status: 'Closed',
      classification: 'TruePositive',
      classificationReason: 'SuspiciousActivity',
      owner: { email: 'ana@contoso.com' },
      labels: [{ labelName: 'vip' }],
    });
    expect(body.firstActivityTimeUtc?.toISOString()).toBe('2026-11-01T09:00:00.000Z');
  });
});

describe('toIncident', () => {
  it('falls back to safe values for fields the service left out or spelled unexpectedly', () => {
    const mapped = toIncident({ name: 'x', severity: 'Critical', status: 'Weird' });
    expect(mapped).toMatchObject({
      name: 'x',
      number: 0,
      severity: 'Informational',
      status: 'New',
      labels: [],
    });
    expect(mapped.incidentUrl).toBeUndefined();
    expect(mapped.providerIncidentUrl).toBeUndefined();
  });
});

describe('wire shapes', () => {
  it('maps an entity without properties and a task with an unknown status', () => {
    expect(toEntity({ name: 'e1', kind: 'Ip' })).toEqual({
      id: 'e1',
      kind: 'Ip',
      friendlyName: 'e1',
      properties: {},
    });
    expect(toTask({ name: 't1', properties: { title: 'x', status: 'Open' } })).toMatchObject({
      status: 'New',
    });
  });

  it('keeps a long beyond 2^53 as text instead of losing digits, and nulls stay null', () => {
    const table = toQueryTable({
      name: 'PrimaryResult',
      columnDescriptors: [
        { name: 'Big', type: 'long' },
        { name: 'When', type: 'datetime' },
        { name: 'Id', type: 'guid' },
      ],
      rows: [['9007199254740993', new Date('invalid'), '5f1c']],
    });
    expect(table.rows).toEqual([['9007199254740993', null, '5f1c']]);
  });
});
