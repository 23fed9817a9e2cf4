import { describe, expect, it } from 'vitest';
import { isAllowedLink, renderSafeMarkdown } from '../../src/ai/safeText';

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

describe('isAllowedLink', () => {
  it.each([
    'https://portal.azure.com\\@evil.example',
    'https://portal.azure.com\\.evil.example/x',
    'https://portal.azure.com.evil.example/',
    'https://portal.azure.com@evil.example/',
    'https://evil.example/portal.azure.com',
    'javascript:alert(1)',
    'data:text/html,x',
  ])('refuses %s', (href) => {
    expect(isAllowedLink(href)).toBe(false);
  });

  it('does not keep a live link whose backslash markdown would unescape into another host', () => {
    const out = renderSafeMarkdown('[Open in portal](https://portal.azure.com\\@evil.example/login)');
    expect(out).not.toContain('](https://portal.azure.com');
    expect(out).toContain('evil[.]example');
  });
});
