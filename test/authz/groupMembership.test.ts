import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CachedGroupMembership,
  createGroupMembership,
  GraphGroupMembership,
  type GroupMembership,
} from '../../src/authz/groupMembership';

const GROUP = '0c0c0000-0000-4000-8000-000000000c0c';
const MEMBER = '9e9e0000-0000-4000-8000-000000009e9e';

const credential: TokenCredential & { scopes: string[] } = {
  scopes: [],
  async getToken(scopes): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: 'fake-graph-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

describe('GraphGroupMembership (against a loopback fake Graph)', () => {
  let server: Server;
  let endpoint: string;
  const seen: { method: string; url: string; auth: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          auth: req.headers.authorization ?? '',
          body,
        });
        const user = /\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/.exec(req.url ?? '')?.[1];
        if (user === 'unknown') return void res.writeHead(404).end('{}');
        if (user === 'broken') return void res.writeHead(503).end('{}');
        const asked = (JSON.parse(body) as { groupIds: string[] }).groupIds;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ value: user === MEMBER ? asked : [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('POSTs checkMemberGroups with the bot token and reads the answer', async () => {
    const graph = new GraphGroupMembership(credential, { endpoint });
    expect(await graph.isMember(MEMBER, GROUP)).toBe(true);
    expect(await graph.isMember('6c3ef7a4-0000-4000-8000-00000000a1ec', GROUP)).toBe(false);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: `/v1.0/users/${MEMBER}/checkMemberGroups`,
      auth: 'Bearer fake-graph-token',
    });
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ groupIds: [GROUP] });
    expect(credential.scopes).toContain('https://graph.microsoft.com/.default');
  });

  it('an unknown user is not a member; a Graph failure is an error (the caller fails closed)', async () => {
    const graph = new GraphGroupMembership(credential, { endpoint });
    expect(await graph.isMember('unknown', GROUP)).toBe(false);
    await expect(graph.isMember('broken', GROUP)).rejects.toMatchObject({
      name: 'GroupMembershipError',
      status: 503,
    });
  });
});

describe('CachedGroupMembership', () => {
  it('caches answers for the TTL, never failures', async () => {
    let calls = 0;
    let fail = true;
    const inner: GroupMembership = {
      isMember: async () => {
        calls += 1;
        if (fail) throw new Error('down');
        return true;
      },
    };
    let now = 0;
    const cached = new CachedGroupMembership(inner, 300_000, () => now);
    await expect(cached.isMember(MEMBER, GROUP)).rejects.toThrow('down');
    fail = false;
    expect(await cached.isMember(MEMBER, GROUP)).toBe(true);
    expect(await cached.isMember(MEMBER.toUpperCase(), GROUP)).toBe(true);
    expect(calls).toBe(2);
    now = 300_001;
    expect(await cached.isMember(MEMBER, GROUP)).toBe(true);
    expect(calls).toBe(3);
  });
});

describe('createGroupMembership', () => {
  it('needs a bot identity with a home tenant', () => {
    expect(createGroupMembership(undefined)).toBeUndefined();
    expect(createGroupMembership({ appId: 'a', password: 'p', type: 'MultiTenant' })).toBeUndefined();
    expect(
      createGroupMembership({
        appId: '5f1b2c3d-0000-4000-8000-00000000b07d',
        password: 'p',
        tenantId: GROUP,
        type: 'SingleTenant',
      }),
    ).toBeInstanceOf(CachedGroupMembership);
    expect(
      createGroupMembership({
        appId: '5f1b2c3d-0000-4000-8000-00000000b07d',
        tenantId: GROUP,
        type: 'UserAssignedMsi',
      }),
    ).toBeInstanceOf(CachedGroupMembership);
  });
});
