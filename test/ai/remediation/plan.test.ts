import { describe, expect, it } from 'vitest';
import { planRemediation } from '../../../src/ai/remediation/plan';
import { understandIncident } from '../../../src/ai/understanding';
import type { Entity } from '../../../src/domain/types';
import {
  account,
  alert,
  file,
  hash,
  host,
  incidentData,
  ip,
  logs,
  mailbox,
  signin,
  task,
  url,
} from '../understanding/fixtures';

const ATTACKER = '198.51.100.70';

function plan(entities: Entity[], parts: Parameters<typeof incidentData>[1] = {}, withLogs = logs({})) {
  const data = incidentData(entities, parts);
  return planRemediation(understandIncident(data, { logs: withLogs }), data);
}

describe('the built-in remediation plan', () => {
  it('differs by role: reset and revoke for the compromised account, review and notify for the targeted one', () => {
    const p = plan(
      [account('amy', 'amy.roe'), account('ben', 'ben.ode'), ip('atk', ATTACKER, 'X', 'Relay (Tor exit)')],
      {},
      logs({
        signins: [
          signin(ATTACKER, 'amy.roe@fabrikam.test', 2, 1),
          signin(ATTACKER, 'ben.ode@fabrikam.test', 3, 0),
          signin(ATTACKER, 'cy.doe@fabrikam.test', 3, 0),
        ],
      }),
    );
    const titles = p.actions.map((a) => a.title);
    expect(titles).toContain('Reset the password of amy.roe@fabrikam.test');
    expect(titles).toContain('Revoke all sessions and refresh tokens of amy.roe@fabrikam.test');
    expect(titles).toContain('Review and notify the 2 targeted accounts (attempts only, no reset needed)');
    expect(titles.join('\n')).not.toMatch(/reset[^\n]*ben\.ode/i);
    const notify = p.actions.find((a) => a.action === 'notify');
    expect(notify?.steps[0]).toBe('Accounts: ben.ode@fabrikam.test, cy.doe@fabrikam.test.');
  });

  it('contains an active threat first, documents last, each task with a why citing its evidence', () => {
    const p = plan([host('h', 'WS-5'), account('kim', 'kim')], {
      alerts: [alert('Malware', 'A malicious process launched an encoded download cradle on WS-5.')],
    });
    expect(p.actions[0]).toMatchObject({
      action: 'isolate-host',
      urgency: 'contain-now',
      title: 'Isolate WS-5 from the network',
    });
    expect(p.actions[0]?.why).toContain('(alert "Malware")');
    expect(p.actions[p.actions.length - 1]?.action).toBe('document');
  });

  it("follows the alert's own remediation steps, and skips what a task on the incident already covers", () => {
    const p = plan([host('h', 'WS-6')], {
      alerts: [
        alert('Ransomware', 'Files encrypted on WS-6.', {
          tactics: ['Impact'],
          remediationSteps: ['Restore the encrypted files from a clean backup.', 'Isolate the device.'],
        }),
      ],
      tasks: [task('Isolate WS-6', 'New')],
    });
    const titles = p.actions.map((a) => a.title);
    expect(titles).toContain('Verify offline / immutable backups are intact and disconnected');
    expect(titles).not.toContain('Isolate WS-6 from the network');
    expect(p.alreadyTasked.map((a) => a.existing)).toContain('Isolate WS-6 (New)');
  });

  it('recognises a task Sentinel returned HTML-escaped as the same task (Add tasks never duplicates)', () => {
    const entities = [account('amy', 'amy.roe'), ip('atk', ATTACKER, 'X', 'Relay (Tor exit)')];
    const withLogs = logs({ signins: [signin(ATTACKER, 'amy.roe@fabrikam.test', 2, 1)] });
    expect(plan(entities, {}, withLogs).actions.map((a) => a.action)).toContain('block-ip');
    const escaped = `Block &quot;${ATTACKER}&quot; &amp; check amy.roe&#39;s sign-ins`;
    const p = plan(entities, { tasks: [task(escaped, 'New')] }, withLogs);
    expect(p.actions.map((a) => a.action)).not.toContain('block-ip');
    expect(p.alreadyTasked.map((a) => a.existing).join('\n')).toContain(`Block "${ATTACKER}" & check`);
  });

  it('acts on real indicators: the full hash (not the short display name), the refanged URL, the sender — never the recipient mailbox', () => {
    const full = 'c'.repeat(40);
    const p = plan(
      [
        file('doc', 'invoice.docm', 'C:\\Users\\kim\\Downloads'),
        hash('h', full),
        url('u', 'hxxps://login-fabrikam[.]example/verify'),
        mailbox('mb', 'kim@fabrikam.test'),
        {
          id: 'm',
          kind: 'MailMessage',
          friendlyName: 'Verify your account',
          properties: {
            sender: 'it-support@login-fabrikam.example',
            recipient: 'kim@fabrikam.test',
            subject: 'Verify your account',
            threats: ['Phish'],
            urls: ['https://login-fabrikam.example/verify'],
          },
        },
      ],
      { alerts: [alert('Malicious macro', 'Opening invoice.docm ran a malicious macro.')] },
    );
    const text = p.actions.map((a) => [a.title, ...a.steps].join('\n')).join('\n');
    expect(text).toContain(`Block the file hash ${full}`);
    expect(text).not.toContain('cccc…cccc');
    expect(text).toContain('Block the URL https://login-fabrikam.example/verify');
    expect(text).toContain('Block the sender it-support@login-fabrikam.example');
    expect(text).not.toMatch(/block[^\n]*kim@fabrikam\.test/i);
  });
});
