import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinAnswer, detectIntent } from '../../src/ai/builtinAnalyst';
import { IncidentDataCache, type IncidentData } from '../../src/ai/incidentData';
import { TACTICS } from '../../src/ai/mitre';
import {
  understandIncident,
  UnderstandingService,
  type IncidentUnderstanding,
} from '../../src/ai/understanding';
import { createGateway } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { ALL_ENTERPRISE_TACTICS, smallIncidentData } from './incidentFixtures';

/** The demo workspace over HTTP, the real gateway, log evidence included: the path the bot takes. */
describe('built-in analyst on the demo incidents', () => {
  let demo: DemoWorkspace;
  const loaded = new Map<number, { data: IncidentData; u: IncidentUnderstanding }>();
  const ask = (n: number, q: string) => {
    const x = loaded.get(n);
    if (!x) throw new Error(`incident ${n} not loaded`);
    return builtinAnswer(x.data, x.u, q).markdown;
  };

  beforeAll(async () => {
    demo = await startDemoWorkspace({ port: 0 });
    const gateway = createGateway(loadConfig({ DEMO_PORT: String(demo.port), LOG_LEVEL: 'silent' }));
    const cache = new IncidentDataCache(gateway);
    const service = new UnderstandingService(gateway);
    for (const n of [1, 2, 12]) {
      const data = await cache.getByNumber(n);
      if (!data) throw new Error(`demo incident ${n} missing`);
      loaded.set(n, { data, u: await service.get(data) });
    }
  });
  afterAll(async () => {
    await demo.close();
  });

  it('"what happened?" names the compromised account, the attacker address, the count, done and open', () => {
    const md = ask(1, 'what happened?');
    expect(md).toMatch(/\*\*Compromised:\*\*\n- adele\.vance@contoso\.com — compromised/);
    expect(md).toMatch(/185\.220\.101\.45 — attacker infrastructure/);
    expect(md).toMatch(/8 accounts targeted — 8 accounts failed to sign in from 185\.220\.101\.45/);
    expect(md).toMatch(/already done: Reset password and revoke sessions for adele\.vance \(Completed\)/);
    expect(md).toMatch(/still open: Check mailbox rules and sent items of adele\.vance/);
    expect(md).toMatch(/73\.42\.118\.207 — legitimate/);
  });

  it('counts come from the logs and texts, never from the entity list', () => {
    const md = ask(1, 'how many accounts were targeted?');
    expect(md).toMatch(/8 accounts targeted/);
    expect(md).not.toMatch(/\b3 accounts\b/);
  });

  it('answers about comments, open tasks and done steps', () => {
    expect(ask(1, 'what did Marcus say?')).toMatch(/Marcus Chen .*Seattle all day and did not use IMAP/);
    expect(ask(1, 'what is still open?')).toMatch(/still open: Check mailbox rules/);
    expect(ask(1, "was adele's password already reset?")).toMatch(
      /\*\*Yes\*\* — reset password for adele\.vance@contoso\.com is already done/,
    );
    expect(ask(2, 'was SRV-FILE01 isolated?')).toMatch(
      /\*\*Yes\*\* — isolate host for SRV-FILE01 is already done: .*Isolated SRV-FILE01 via Defender/,
    );
  });

  it('"is X malicious?" answers with the role and the evidence', () => {
    expect(ask(1, 'is 73.42.118.207 malicious?')).toMatch(
      /\*\*73\.42\.118\.207\*\* \(Ip\) is \*\*legitimate\*\*/,
    );
    expect(ask(2, 'is vssadmin.exe malicious?')).toMatch(
      /vssadmin\.exe\*\* \(File\) is \*\*legitimate \(Windows system binary\)\*\*/,
    );
    expect(ask(12, 'is 20.190.151.70 malicious?')).toMatch(/is \*\*legitimate\*\*.*\n.*VPN egress/);
  });

  it('advice on a closed false positive: no containment, whatever is asked', () => {
    expect(ask(12, "should I reset nestor's password?")).toMatch(
      /\*\*No\*\* — do not reset password .*classified FalsePositive/,
    );
  });

  it('remediation: proposed tasks with a why, done steps refused, victims never blocked', () => {
    const md = ask(1, 'what are the remediation steps?');
    expect(md).toMatch(/Block the attacker address 185\.220\.101\.45\*\* _\(contain-now\)_ — why: /);
    expect(md).toMatch(/Not proposed: Reset the password of adele\.vance@contoso\.com — already done/);
    expect(md).not.toMatch(/Block[^\n]*73\.42\.118\.207/);
    expect(md).not.toMatch(/Reset[^\n]*patti/i);
  });

  it('explains tactics and escalates an incident with a compromised account', () => {
    expect(ask(2, 'which MITRE tactics, and what do they say about the attacker?')).toMatch(
      /Impact.*Business operations are at risk/s,
    );
    expect(ask(1, 'should I escalate or close?')).toContain('**Escalate**');
  });
});

describe('built-in analyst', () => {
  it('detects the common asks', () => {
    expect(detectIntent('summary for my CISO')).toBe('executive');
    expect(detectIntent('write a remediation checklist')).toBe('remediation');
    expect(detectIntent('should I escalate or close?')).toBe('escalate');
    expect(detectIntent('show me the timeline')).toBe('timeline');
    expect(detectIntent('what did Marcus say?')).toBe('comments');
    expect(detectIntent('what is still open?')).toBe('status');
    expect(detectIntent("was adele's password already reset?")).toBe('done-check');
    expect(detectIntent('how many accounts were targeted?')).toBe('count');
    expect(detectIntent('is 10.0.0.1 malicious?')).toBe('judgement');
    expect(detectIntent('should I isolate WS-1?')).toBe('advice');
    expect(detectIntent('which IPs attacked the host?')).toBe('who');
    expect(detectIntent('what is the weather')).toBe('other');
  });

  it('keeps all 14 enterprise tactics and the Sentinel-only names', () => {
    const names = TACTICS.map((t) => t.name);
    for (const t of [
      ...ALL_ENTERPRISE_TACTICS,
      'PreAttack',
      'ImpairProcessControl',
      'InhibitResponseFunction',
    ])
      expect(names).toContain(t);
  });

  it('says plainly that no model is configured for other questions, and why when the model failed', () => {
    const data = smallIncidentData();
    const u = understandIncident(data);
    expect(builtinAnswer(data, u, 'what is the weather on mars?').markdown).toMatch(
      /No language model is configured/,
    );
    const failed = builtinAnswer(
      data,
      u,
      'does the powershell look obfuscated?',
      'the model timed out after 30 s',
    );
    expect(failed.markdown).toContain('the model timed out after 30 s');
    expect(failed.markdown).toContain('Encoded PowerShell downloaded a payload');
  });

  it('gives a short executive summary with scale, status and next steps', () => {
    const data = smallIncidentData();
    const md = builtinAnswer(data, understandIncident(data), 'summary for my CISO').markdown;
    expect(md).toMatch(/\*\*Status:\*\* Active/);
    expect(md).toMatch(/\*\*Next steps:\*\*/);
  });
});
