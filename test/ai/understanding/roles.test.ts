import { describe, expect, it } from 'vitest';
import { understandIncident, type IncidentUnderstanding } from '../../../src/ai/understanding';
import {
  account,
  alert,
  app,
  comment,
  file,
  host,
  incidentData,
  ip,
  logs,
  resource,
  signin,
  task,
  url,
} from './fixtures';

const role = (u: IncidentUnderstanding, key: string) => u.entities.find((e) => e.key === key)?.role;
const entity = (u: IncidentUnderstanding, key: string) => {
  const e = u.entities.find((x) => x.key === key);
  if (!e) throw new Error(`no entity ${key}`);
  return e;
};

/** One test per kind of evidence: each rule must move a role on its own. */
describe('role inference, by evidence kind', () => {
  it('alert text: the address a spray alert names is the attacker; a host with impact on it is compromised; a brute-forced host is targeted', () => {
    const u = understandIncident(
      incidentData([ip('ip', '198.51.100.7'), host('h1', 'APP-01'), host('h2', 'JUMP-02')], {
        alerts: [
          alert(
            'Password spray',
            'Failed sign-ins against many accounts came from the anonymizing address 198.51.100.7.',
          ),
          alert('Backups deleted', 'A process deleted the volume shadow copies on APP-01.'),
          alert('Brute force', 'JUMP-02 received 40 failed logons; none of them succeeded.'),
        ],
      }),
    );
    expect(role(u, 'ip')).toBe('attacker');
    expect(entity(u, 'ip').evidence[0]?.kind).toBe('alert');
    expect(role(u, 'h1')).toBe('compromised');
    expect(role(u, 'h2')).toBe('targeted');
  });

  it("an alert's compromisedEntity is a hint, not proof: the logs showing only failures win", () => {
    const data = incidentData([account('bob', 'bob'), ip('ip', '198.51.100.8', 'X', 'Tor exit')], {
      alerts: [alert('Suspicious sign-ins', 'Unusual activity.', { compromisedEntity: 'bob@fabrikam.test' })],
    });
    expect(role(understandIncident(data), 'bob')).toBe('compromised');
    expect(entity(understandIncident(data), 'bob').confidence).toBe('low');
    const withLogs = understandIncident(data, {
      logs: logs({ signins: [signin('198.51.100.8', 'bob@fabrikam.test', 5, 0)] }),
    });
    expect(role(withLogs, 'bob')).toBe('targeted');
  });

  it('entity properties: Tor enrichment, private addresses, Windows folders, masquerading, own sites, first-party apps', () => {
    const u = understandIncident(
      incidentData([
        ip('tor', '198.51.100.9', 'X', 'Some relay (Tor exit)'),
        ip('lan', '10.1.2.3'),
        file('sys', 'vssadmin.exe', 'C:\\Windows\\System32'),
        file('fake', 'svchost.exe', 'C:\\Users\\kim\\AppData\\Local\\Temp'),
        account('kim', 'kim'),
        url('site', 'https://fabrikam.sharepoint.com/sites/Finance'),
        app('exo', 'Microsoft Exchange Online'),
      ]),
    );
    expect(role(u, 'tor')).toBe('attacker');
    expect(role(u, 'lan')).toBe('context');
    expect(entity(u, 'lan').flags.privateAddress).toBe(true);
    expect(role(u, 'sys')).toBe('legitimate');
    expect(entity(u, 'sys').flags.systemBinary).toBe(true);
    expect(role(u, 'fake')).toBe('attacker');
    expect(entity(u, 'fake').flags.masquerading).toBe(true);
    expect(entity(u, 'site').flags.orgOwned).toBe(true);
    expect(role(u, 'site')).toBe('affected');
    expect(entity(u, 'exo').flags.firstParty).toBe(true);
    expect(role(u, 'exo')).toBe('context');
  });

  it("comments: an analyst's word makes an address legitimate or hostile; a negated statement does not", () => {
    const entities = [
      account('ana', 'ana.lima', 'Ana Lima'),
      ip('home', '203.0.113.20', 'Porto'),
      ip('c2', '203.0.113.66'),
    ];
    const u = understandIncident(
      incidentData(entities, {
        comments: [
          comment('203.0.113.20 is her home connection, confirmed with Ana.'),
          comment('203.0.113.66 is a known C2 server.'),
        ],
      }),
    );
    expect(role(u, 'home')).toBe('legitimate');
    expect(entity(u, 'home').evidence[0]).toMatchObject({
      kind: 'comment',
      ref: expect.stringContaining('Kim Analyst'),
    });
    expect(role(u, 'c2')).toBe('attacker');
    const negated = understandIncident(
      incidentData(entities, { comments: [comment('203.0.113.20 is not her home connection.')] }),
    );
    expect(role(negated, 'home')).not.toBe('legitimate');
    const located = understandIncident(
      incidentData(entities, { comments: [comment('Ana confirmed by phone she was in Porto all day.')] }),
    );
    expect(role(located, 'home')).toBe('legitimate');
  });

  it('tasks: "assume its credential is compromised" in a task speaks about the account its title names', () => {
    const u = understandIncident(
      incidentData([account('svc', 'svc-sync')], {
        tasks: [
          task(
            'Disable svc-sync and rotate its password',
            'New',
            'The account ran attack tools; assume its credential is compromised.',
          ),
        ],
      }),
    );
    expect(role(u, 'svc')).toBe('compromised');
    expect(entity(u, 'svc').evidence[0]?.kind).toBe('task');
  });

  it('classification: everything in an incident closed as a false positive is legitimate, whatever the alert said', () => {
    const u = understandIncident(
      incidentData([account('bo', 'bo'), ip('ip', '198.51.100.30')], {
        incident: {
          status: 'Closed',
          classification: 'FalsePositive',
          classificationReason: 'IncorrectAlertLogic',
        },
        alerts: [
          alert('Malicious sign-in', 'bo@fabrikam.test signed in from the attacker address 198.51.100.30.'),
        ],
      }),
    );
    expect(role(u, 'bo')).toBe('legitimate');
    expect(role(u, 'ip')).toBe('legitimate');
    expect(u.verdict.verdict).toBe('false-positive');
  });

  it('description: a departing user acting with their own access is an insider, not a compromise', () => {
    const u = understandIncident(
      incidentData([account('lee', 'lee.ray')], {
        incident: {
          title: 'Mass download by lee.ray@fabrikam.test before resignation',
          description: 'The user downloaded 300 files; HR flagged the user as departing.',
        },
      }),
    );
    expect(role(u, 'lee')).toBe('insider');
  });

  it('logs: spray source, compromised vs targeted, counts from the rows, routine and shared addresses', () => {
    const attacker = '198.51.100.40';
    const u = understandIncident(
      incidentData([
        account('a', 'amy'),
        account('b', 'ben'),
        ip('atk', attacker),
        ip('home', '203.0.113.41'),
        ip('vpn', '203.0.113.42'),
      ]),
      {
        logs: logs({
          signins: [
            signin(attacker, 'amy@fabrikam.test', 3, 1),
            signin(attacker, 'ben@fabrikam.test', 4, 0),
            signin(attacker, 'cal@fabrikam.test', 2, 0),
            signin(attacker, 'dee@fabrikam.test', 2, 0),
          ],
          history: [
            signin('203.0.113.41', 'amy@fabrikam.test', 0, 9, 5, 9),
            ...['amy', 'ben', 'cal'].map((n) => signin('203.0.113.42', `${n}@fabrikam.test`, 0, 4, 3, 4)),
          ],
        }),
      },
    );
    expect(role(u, 'atk')).toBe('attacker');
    expect(role(u, 'a')).toBe('compromised');
    expect(role(u, 'b')).toBe('targeted');
    // Accounts only the logs name are subjects too, and the count comes from the rows: 4, not the 2 listed.
    expect(u.entities.filter((e) => e.fromLogs).map((e) => e.name)).toEqual([
      'cal@fabrikam.test',
      'dee@fabrikam.test',
    ]);
    expect(u.counts.find((c) => c.what === 'accounts targeted')?.value).toBe(4);
    expect(role(u, 'home')).toBe('legitimate');
    expect(entity(u, 'home').evidence[0]?.text).toContain('routine sign-in address of amy@fabrikam.test');
    expect(role(u, 'vpn')).toBe('legitimate');
    expect(entity(u, 'vpn').evidence[0]?.text).toContain('shared address');
  });

  it('logs: what an identity did from an address new to it, and the resources it created', () => {
    const u = understandIncident(
      incidentData([
        account('ops', 'ops.admin'),
        ip('new', '198.51.100.50'),
        resource(
          'vm',
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/gpu-9',
        ),
      ]),
      {
        logs: logs({
          audit: [
            {
              actor: 'ops.admin@fabrikam.test',
              ip: '198.51.100.50',
              operation: 'Add member to role',
              target: 'x@fabrikam.test',
              count: 1,
              detail: '',
            },
          ],
          azure: [
            {
              actor: 'ops.admin@fabrikam.test',
              ip: '198.51.100.50',
              operation: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
              target: '["gpu-9"]',
              count: 1,
              detail: '',
            },
          ],
        }),
      },
    );
    expect(role(u, 'ops')).toBe('compromised');
    expect(role(u, 'new')).toBe('attacker');
    expect(role(u, 'vm')).toBe('attacker');
    expect(u.findings.map((f) => f.text).join('\n')).toContain('Add member to role');
  });

  it('logs: a host that ran an attack command is compromised; a hash is linked to its file by the rows', () => {
    const u = understandIncident(
      incidentData([
        host('h', 'WS-7'),
        file('f', 'cmd.exe', 'C:\\Windows\\System32'),
        file('g', 'x.exe', 'C:\\ProgramData\\x'),
        {
          id: 'hash',
          kind: 'FileHash',
          friendlyName: 'abcd…(SHA1)',
          properties: { algorithm: 'SHA1', hashValue: 'a'.repeat(40) },
        },
      ]),
      {
        logs: logs({
          processes: [
            {
              host: 'ws-7.fabrikam.local',
              fileName: 'cmd.exe',
              folder: 'C:\\Windows\\System32\\cmd.exe',
              commandLine: 'cmd.exe /c vssadmin.exe delete shadows /all /quiet',
              account: 'kim',
              parent: 'x.exe',
              hashes: ['a'.repeat(40)],
              count: 1,
            },
          ],
        }),
      },
    );
    expect(role(u, 'h')).toBe('compromised');
    expect(entity(u, 'hash').flags.systemBinary).toBe(true);
    expect(role(u, 'hash')).toBe('legitimate');
  });

  it('a logon that succeeded after the failures makes the host compromised and the source the attacker', () => {
    const u = understandIncident(
      incidentData([host('h', 'web-9'), ip('src', '198.51.100.90')], {
        incident: {
          description:
            'web-9 received 200 failed SSH logons for root from 198.51.100.90, followed by a successful logon as root from the same address.',
        },
      }),
    );
    expect(role(u, 'h')).toBe('compromised');
    expect(role(u, 'src')).toBe('attacker');
  });

  it("an app that is not Microsoft's, named in a consent-phishing alert, is the attacker's; a Microsoft app is not", () => {
    const u = understandIncident(
      incidentData([app('evil', 'Invoice Helper'), app('ms', 'Microsoft Outlook')], {
        incident: {
          description:
            'A user granted Invoice Helper mail permissions. The app is part of a consent-phishing campaign.',
        },
      }),
    );
    expect(role(u, 'evil')).toBe('attacker');
    expect(role(u, 'ms')).toBe('context');
  });

  it('analysts saying it is expected make the incident benign while it is still open', () => {
    const u = understandIncident(
      incidentData([host('h', 'DEPLOY-1')], {
        incident: { description: 'powershell.exe on DEPLOY-1 downloaded and ran a package.' },
        comments: [comment('This is our software deployment, expected and approved. Will close as benign.')],
      }),
    );
    expect(role(u, 'h')).toBe('legitimate');
    expect(u.benign?.by).toBe('analysts');
    expect(u.verdict.verdict).toBe('benign-positive');
  });
});
