import { describe, expect, it } from 'vitest';
import { renderSafeMarkdown } from '../../src/ai/safeText';

describe('renderSafeMarkdown', () => {
  it('escapes HTML', () => {
    expect(renderSafeMarkdown('<img src=x onerror=alert(1)> & <b>hi</b>')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;hi&lt;/b&gt;',
    );
  });

  it('removes remote images', () => {
    const out = renderSafeMarkdown('see ![beacon](https://evil.example.com/p.png?u=alice) here');
    expect(out).toBe('see [image removed: beacon] here');
  });

  it('keeps links to allowlisted hosts and defangs all others', () => {
    const out = renderSafeMarkdown(
      'Read [T1059](https://attack.mitre.org/techniques/T1059/) and [docs](https://learn.microsoft.com/azure/sentinel/) but not [login](https://evil.example.com/login) or http://portal.azure.com.evil.net/x',
    );
    expect(out).toContain('[T1059](https://attack.mitre.org/techniques/T1059/)');
    expect(out).toContain('[docs](https://learn.microsoft.com/azure/sentinel/)');
    expect(out).toContain('login (hxxps://evil[.]example[.]com/login)');
    expect(out).toContain('hxxp://portal[.]azure[.]com[.]evil[.]net/x');
    expect(out).not.toMatch(/\]\(https:\/\/evil/);
  });

  it('does not let a link label smuggle HTML', () => {
    expect(renderSafeMarkdown('[<script>](https://learn.microsoft.com/x)')).toBe(
      '[&lt;script&gt;](https://learn.microsoft.com/x)',
    );
  });
});
