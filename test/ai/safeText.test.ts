import { describe, expect, it } from 'vitest';
import { isAllowedLink, normaliseText, renderSafeMarkdown, safeCardText } from '../../src/ai/safeText';

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

describe('link policy details (issue #16 items 3 and 10)', () => {
  it('keeps no live http:// link, even to an allowed host', () => {
    expect(isAllowedLink('http://learn.microsoft.com/x')).toBe(false);
    const out = renderSafeMarkdown('[docs](http://learn.microsoft.com/x) and http://portal.azure.com/y');
    expect(out).not.toContain('http://');
    expect(out).toContain('hxxp://learn[.]microsoft[.]com/x');
    expect(out).toContain('hxxp://portal[.]azure[.]com/y');
  });

  it('keeps no live link on an allowed host that redirects or hides another address', () => {
    for (const href of [
      'https://learn.microsoft.com/redirect?url=https://evil.example',
      'https://learn.microsoft.com/a//evil.example',
      'https://learn.microsoft.com/a%2F%2Fevil.example',
      'https://user@learn.microsoft.com/x',
      'https://learn.microsoft.com:8443/x',
    ]) {
      expect(isAllowedLink(href), href).toBe(false);
      expect(renderSafeMarkdown(`[docs](${href})`), href).not.toContain('](');
    }
    expect(
      isAllowedLink('https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/x'),
    ).toBe(true);
  });

  it('defangs every www. address, whatever its top-level domain (clients link any "www.")', () => {
    for (const text of ['www.evil-site.lol', 'see www.x.unknowntld/path', 'WWW.Evil.Example']) {
      expect(renderSafeMarkdown(text), text).not.toMatch(/www\./i);
      expect(safeCardText(text, 100), text).not.toMatch(/www\./i);
    }
  });

  it('leaves field names and file names that look like domains readable', () => {
    expect(renderSafeMarkdown('alert.id, README.md, main.py, 10.0.0.5')).toBe(
      'alert.id, README.md, main.py, 10.0.0.5',
    );
  });

  it('applies one control-character policy: C0/C1 controls, invisible and bidi characters removed', () => {
    expect(normaliseText('a\u0000b\u0007c\u0085d\u009be\u200bf\u202eg\u2066h\ufeffi\u00adj\u{E0041}k')).toBe(
      'abc\nde' + 'fghijk',
    );
    expect(normaliseText('tab\tand\r\nnewline')).toBe('tab\tand\nnewline');
    expect(safeCardText('a\u0001b\u202ec', 10)).toBe('abc');
  });
});
