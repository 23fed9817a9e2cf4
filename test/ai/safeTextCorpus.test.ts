import { describe, expect, it } from 'vitest';
import {
  normaliseText,
  renderSafeMarkdown,
  safeCardString,
  safeCardText,
  safeMessageText,
} from '../../src/ai/safeText';
import { HOSTILE_LINKS, HOSTILE_TEXT } from '../support/hostileLinks';
import { judgeCardText, judgeMessageText } from '../support/linkOracle';

describe('the image/link corpus against the sanitiser (judged by an independent renderer)', () => {
  it('the judge sees every payload as a remote image or a live foreign link when unsanitised', () => {
    for (const payload of HOSTILE_LINKS) {
      const unsafe = [...judgeMessageText(payload), ...judgeCardText(normaliseText(payload))];
      expect(unsafe.length, payload).toBeGreaterThan(0);
    }
  });

  it.each([
    ['renderSafeMarkdown', renderSafeMarkdown],
    ['safeMessageText', safeMessageText],
  ])('%s: 0 remote images and 0 foreign links in messages', (_name, sanitise) => {
    for (const payload of [...HOSTILE_LINKS, HOSTILE_TEXT]) {
      expect(judgeMessageText(sanitise(payload)), payload).toEqual([]);
    }
  });

  it.each([
    ['cardText (one line)', (s: string) => safeCardText(s, 5000)],
    ['cardText (multiline)', (s: string) => safeCardText(s, 5000, { multiline: true })],
    ['safeCardString', safeCardString],
  ])('%s: 0 remote images and 0 foreign links in card text', (_name, sanitise) => {
    for (const payload of [...HOSTILE_LINKS, HOSTILE_TEXT]) {
      expect(judgeCardText(sanitise(payload)), payload).toEqual([]);
    }
  });

  it('the outbound gate leaves what the renderers produced unchanged, and is idempotent', () => {
    for (const payload of [...HOSTILE_LINKS, HOSTILE_TEXT]) {
      const md = renderSafeMarkdown(payload);
      expect(safeMessageText(md), payload).toBe(md);
      expect(safeMessageText(safeMessageText(payload)), payload).toBe(safeMessageText(payload));
      const card = safeCardText(payload, 5000, { multiline: true });
      expect(safeCardString(card), payload).toBe(card);
    }
  });

  it('keeps https links to the allowed hosts live, in messages and cards', () => {
    const text = 'Read [T1059](https://attack.mitre.org/techniques/T1059/) and https://learn.microsoft.com/x';
    expect(safeMessageText(text)).toBe(text);
    expect(renderSafeMarkdown(text)).toBe(text);
    expect(safeCardText('https://learn.microsoft.com/azure/sentinel', 200)).toBe(
      'https://learn.microsoft.com/azure/sentinel',
    );
  });
});

describe('markdown image and link syntax is broken apart, not only its addresses', () => {
  // Defence in depth: a renderer laxer than CommonMark, or a future allowlist mistake, still finds no
  // image, inline link, reference link or reference definition to build.
  const SYNTAX = /!\[|\]\(|\]\[|^\s{0,3}\[[^\]]*\]:/m;
  it.each([
    ['renderSafeMarkdown', renderSafeMarkdown],
    ['safeMessageText', safeMessageText],
  ])('%s leaves no ![ ]( ][ or [ref]: in the corpus', (_name, sanitise) => {
    for (const payload of [...HOSTILE_LINKS, HOSTILE_TEXT]) {
      expect(sanitise(payload), payload).not.toMatch(SYNTAX);
    }
  });
});
