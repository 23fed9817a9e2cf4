import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinAnswer, detectIntent } from '../../src/ai/builtinAnalyst';
import { IncidentDataCache, type IncidentData } from '../../src/ai/incidentData';
import { TACTICS } from '../../src/ai/mitre';
import { createGateway } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { ALL_ENTERPRISE_TACTICS, smallIncidentData } from './incidentFixtures';

describe('built-in analyst on demo incident 2 (ransomware precursor)', () => {
  let demo: DemoWorkspace;
  let data: IncidentData;

  beforeAll(async () => {
    demo = await startDemoWorkspace({ port: 0 });
    const gateway = createGateway(loadConfig({ DEMO_PORT: String(demo.port), LOG_LEVEL: 'silent' }));
    const loaded = await new IncidentDataCache(gateway).getByNumber(2);
    if (!loaded) throw new Error('demo incident 2 missing');
    data = loaded;
  });
  afterAll(async () => {
    await demo.close();
  });

  it('"what happened?" summarises from the incident fields and names its real entities', () => {
    const a = builtinAnswer(data, 'what happened?');
    expect(a.intent).toBe('summary');
    expect(a.markdown).toContain('Ransomware precursor');
    expect(a.markdown).toContain('SRV-FILE01');
    expect(a.markdown).toContain('svc-backup');
    expect(a.markdown).toContain('File backups were deleted');
    expect(a.markdown).toContain('Built-in analyst (no language model configured)');
  });

  it('"remediation steps" gives a checklist naming the real host and account', () => {
    const a = builtinAnswer(data, 'remediation steps');
    expect(a.intent).toBe('remediation');
    expect(a.markdown).toMatch(/Isolate and investigate host SRV-FILE01/);
    expect(a.markdown).toMatch(/Reset credentials and revoke sessions for svc-backup/);
    expect(a.markdown).toMatch(/Protect backups/); // Impact tactic
    expect(a.markdown).toMatch(/Evidence: .*SRV-FILE01/);
  });

  it('explains its tactics and recommends escalation for a High ransomware precursor', () => {
    expect(
      builtinAnswer(data, 'which MITRE tactics, and what do they say about the attacker?').markdown,
    ).toMatch(/Impact.*Business operations are at risk/s);
    expect(builtinAnswer(data, 'should I escalate or close?').markdown).toContain('**Escalate**');
  });
});

describe('built-in analyst', () => {
  it('detects the common asks', () => {
    expect(detectIntent('summary for my CISO')).toBe('executive');
    expect(detectIntent('write a remediation checklist')).toBe('remediation');
    expect(detectIntent('should I escalate or close?')).toBe('escalate');
    expect(detectIntent('show me the timeline')).toBe('timeline');
    expect(detectIntent('which accounts are involved?')).toBe('entities');
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
    expect(builtinAnswer(data, 'does the powershell look obfuscated?').markdown).toMatch(
      /No language model is configured/,
    );
    const failed = builtinAnswer(
      data,
      'does the powershell look obfuscated?',
      'the model timed out after 30 s',
    );
    expect(failed.markdown).toContain('the model timed out after 30 s');
    expect(failed.markdown).toContain('Suspicious PowerShell command line');
  });

  it('gives a short executive summary with impact, status and next steps', () => {
    const md = builtinAnswer(smallIncidentData(), 'summary for my CISO').markdown;
    expect(md).toMatch(/\*\*Impact:\*\*.*1 user account/);
    expect(md).toMatch(/\*\*Status:\*\* Active/);
    expect(md).toMatch(/\*\*Next steps:\*\*/);
  });
});
