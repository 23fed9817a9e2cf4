import { describe, expect, it } from 'vitest';
import { guardAction, guardText } from '../../../src/ai/remediation/guard';
import { planRemediation } from '../../../src/ai/remediation/plan';
import type { ActionTarget } from '../../../src/ai/remediation/types';
import { understandIncident, type IncidentUnderstanding } from '../../../src/ai/understanding';
import {
  account,
  alert,
  app,
  comment,
  file,
  hash,
  host,
  incidentData,
  ip,
  logs,
  mailbox,
  resource,
  signin,
  task,
  url,
} from '../understanding/fixtures';

/**
 * Every must-not class of issue #10, each with the allowed action next to it, so a guard that refused
 * everything (or nothing) fails here. The guard is the last line: the built-in plan and a model's tasks
 * both pass it.
 */

const ATTACKER = '198.51.100.60';
const HOME = '203.0.113.61';
const VPN = '203.0.113.62';

function sprayIncident(parts: Parameters<typeof incidentData>[1] = {}): IncidentUnderstanding {
  const data = incidentData(
    [
      account('amy', 'amy.roe', 'Amy Roe'),
      account('ben', 'ben.ode', 'Ben Ode'),
      ip('atk', ATTACKER, 'Elsewhere', 'Relay (Tor exit)'),
      ip('home', HOME, 'Hometown'),
      app('exo', 'Microsoft Exchange Online'),
      url('site', 'https://fabrikam.sharepoint.com/sites/Sales'),
      ...(parts.incident?.title === 'with host' ? [host('h', 'WS-1')] : []),
    ],
    { comments: [comment(`${HOME} is Amy's home connection.`)], ...parts },
  );
  return understandIncident(data, {
    logs: logs({
      signins: [
        signin(ATTACKER, 'amy.roe@fabrikam.test', 2, 1),
        signin(ATTACKER, 'ben.ode@fabrikam.test', 3, 0),
        signin(ATTACKER, 'cy.doe@fabrikam.test', 3, 0),
      ],
      history: ['amy.roe', 'ben.ode', 'cy.doe'].map((n) => signin(VPN, `${n}@fabrikam.test`, 0, 5, 4, 5)),
    }),
  });
}

const t = (kind: string, value: string, key?: string): ActionTarget => ({ kind, value, key, name: value });
const verdict = (
  u: IncidentUnderstanding,
  action: Parameters<typeof guardAction>[0],
  ...targets: ActionTarget[]
) => guardAction(action, targets, u);

describe('must-not guard', () => {
  const u = sprayIncident();

  it('never blocks a legitimate, corporate or internal address; blocks the attacker', () => {
    expect(verdict(u, 'block-ip', t('Ip', HOME, 'home'))).toMatchObject({
      ok: false,
      rule: 'legitimate-target',
    });
    expect(verdict(u, 'block-ip', t('Ip', '10.4.4.4'))).toMatchObject({
      ok: false,
      rule: 'legitimate-target',
    });
    expect(guardText(`Block ${HOME} at the firewall`, u)).toMatchObject({
      ok: false,
      rule: 'legitimate-target',
    });
    expect(verdict(u, 'block-ip', t('Ip', ATTACKER, 'atk'))).toEqual({ ok: true });
  });

  it('never blocks or deletes a Windows binary, by folder, by name, or by the hash of one; quarantines a masquerading copy', () => {
    const d = incidentData([
      host('h', 'WS-2'),
      file('sys', 'vssadmin.exe', 'C:\\Windows\\System32'),
      hash('hash', 'b'.repeat(40)),
      file('fake', 'svchost.exe', 'C:\\Users\\kim\\AppData\\Local\\Temp'),
    ]);
    const w = understandIncident(d);
    expect(verdict(w, 'block-hash', t('FileHash', 'b'.repeat(40), 'hash'))).toMatchObject({
      ok: false,
      rule: 'system-binary',
    });
    expect(verdict(w, 'quarantine-file', t('File', 'C:\\Windows\\System32\\wbem\\wmic.exe'))).toMatchObject({
      ok: false,
      rule: 'system-binary',
    });
    expect(guardText('Block svchost.exe on all devices', w)).toMatchObject({
      ok: false,
      rule: 'system-binary',
    });
    expect(guardText('Delete vssadmin.exe from WS-2', w)).toMatchObject({ ok: false, rule: 'system-binary' });
    expect(
      verdict(w, 'quarantine-file', t('File', 'C:\\Users\\kim\\AppData\\Local\\Temp\\svchost.exe', 'fake')),
    ).toEqual({ ok: true });
  });

  it("never deletes or blocks a first-party app, the organisation's own site or domain, or a subscription", () => {
    expect(verdict(u, 'delete-app', t('CloudApplication', 'Microsoft Exchange Online', 'exo'))).toMatchObject(
      { ok: false, rule: 'first-party-or-own' },
    );
    expect(guardText('Block https://fabrikam.sharepoint.com/sites/Sales', u)).toMatchObject({
      ok: false,
      rule: 'first-party-or-own',
    });
    expect(guardText('Block the domain fabrikam.test in the tenant block list', u)).toMatchObject({
      ok: false,
      rule: 'first-party-or-own',
    });
    const cloud = understandIncident(
      incidentData([
        resource('sub', '/subscriptions/1111'),
        resource(
          'vm',
          '/subscriptions/1111/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/miner-1',
        ),
      ]),
      {
        logs: logs({
          azure: [
            {
              actor: 'x@fabrikam.test',
              ip: ATTACKER,
              operation: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
              target: '["miner-1"]',
              count: 1,
              detail: '',
            },
          ],
        }),
      },
    );
    expect(verdict(cloud, 'delete-resource', t('AzureResource', '/subscriptions/1111', 'sub'))).toMatchObject(
      { ok: false, rule: 'first-party-or-own' },
    );
    expect(verdict(cloud, 'delete-resource', t('AzureResource', 'x', 'vm'))).toEqual({ ok: true });
  });

  it('no host steps without a host', () => {
    expect(verdict(u, 'isolate-host')).toMatchObject({ ok: false, rule: 'no-host' });
    expect(guardText('Rotate the local administrator (LAPS) passwords on affected hosts', u)).toMatchObject({
      ok: false,
      rule: 'no-host',
    });
    const withHost = sprayIncident({ incident: { title: 'with host' } });
    expect(verdict(withHost, 'isolate-host', t('Host', 'WS-1', 'h'))).toEqual({ ok: true });
  });

  it('never treats a victim as the attacker: no block of a recipient or a targeted user, no reset of an account only sprayed', () => {
    const phish = understandIncident(
      incidentData([mailbox('mb', 'amy.roe@fabrikam.test'), account('amy', 'amy.roe')]),
    );
    expect(verdict(phish, 'block-sender', t('Mailbox', 'amy.roe@fabrikam.test', 'mb'))).toMatchObject({
      ok: false,
      rule: 'victim-as-attacker',
    });
    expect(guardText('Block the sender amy.roe@fabrikam.test', phish)).toMatchObject({
      ok: false,
      rule: 'victim-as-attacker',
    });
    expect(verdict(u, 'reset-password', t('Account', 'ben.ode@fabrikam.test', 'ben'))).toMatchObject({
      ok: false,
      rule: 'victim-as-attacker',
    });
    expect(verdict(u, 'reset-password', t('Account', 'amy.roe@fabrikam.test', 'amy'))).toEqual({ ok: true });
    const clicked = understandIncident(
      incidentData([account('amy', 'amy.roe')], {
        alerts: [alert('URL click', 'amy.roe@fabrikam.test clicked a malicious link.')],
      }),
    );
    expect(verdict(clicked, 'reset-password', t('Account', 'amy.roe@fabrikam.test', 'amy'))).toEqual({
      ok: true,
    });
  });

  it('nothing that contradicts a benign or false-positive classification; tuning is still fine', () => {
    const closed = sprayIncident({ incident: { status: 'Closed', classification: 'BenignPositive' } });
    for (const action of [
      'block-ip',
      'reset-password',
      'isolate-host',
      'disable-account',
      'quarantine-file',
    ] as const)
      expect(
        verdict(closed, action, ...(action === 'block-ip' ? [t('Ip', ATTACKER, 'atk')] : [])),
      ).toMatchObject({ ok: false });
    expect(verdict(closed, 'block-ip', t('Ip', ATTACKER, 'atk'))).toMatchObject({ rule: 'closed-incident' });
    expect(verdict(closed, 'tune-rule')).toEqual({ ok: true });
    const saidBenign = sprayIncident({
      comments: [comment('This is expected and approved: our red team exercise. Will close as benign.')],
    });
    expect(verdict(saidBenign, 'block-ip', t('Ip', ATTACKER, 'atk'))).toMatchObject({
      ok: false,
      rule: 'closed-incident',
    });
  });

  it('nothing already done', () => {
    const done = sprayIncident({ tasks: [task('Reset password of amy.roe', 'Completed')] });
    expect(verdict(done, 'reset-password', t('Account', 'amy.roe@fabrikam.test', 'amy'))).toMatchObject({
      ok: false,
      rule: 'already-done',
    });
    expect(verdict(done, 'revoke-sessions', t('Account', 'amy.roe@fabrikam.test', 'amy'))).toEqual({
      ok: true,
    });
  });

  it('no block of an indicator the incident does not hold (a model may invent one)', () => {
    expect(guardText('Block 192.0.2.200 at the firewall', u)).toMatchObject({
      ok: false,
      rule: 'unknown-indicator',
    });
  });

  it('the built-in plan passes its own guard: no forbidden action ever reaches the proposal', () => {
    const plan = planRemediation(u, incidentData([]));
    const text = plan.actions.map((a) => [a.title, ...a.steps].join('\n')).join('\n');
    expect(text).toContain(`Block the attacker address ${ATTACKER}`);
    expect(text).not.toContain(HOME);
    expect(text).not.toMatch(/reset[^\n]*ben\.ode/i);
    expect(text).not.toMatch(/\bisolate\b/i);
    expect(text).not.toMatch(/(delete|block)[^\n]*(exchange online|sharepoint)/i);
    for (const a of plan.actions) expect(guardAction(a.action, a.targets, u)).toEqual({ ok: true });
  });
});
