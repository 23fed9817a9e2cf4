import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, placeholdersIn, validateManifest } from '../../scripts/package-app';
import { COMMANDS } from '../../src/bot/commands';
import { REPO_ROOT } from '../support/paths';
import { SAMPLE_ENV } from './sampleTeamsEnv';

const MANIFEST_PATH = path.join(REPO_ROOT, 'teamsapp', 'manifest.json');
const template = fs.readFileSync(MANIFEST_PATH, 'utf8');

interface BotEntry {
  botId: string;
  scopes: string[];
  supportsFiles?: boolean;
  commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
}

function filledManifest(): {
  manifestVersion: string;
  validDomains: string[];
  bots: BotEntry[];
  [k: string]: unknown;
} {
  return JSON.parse(fillPlaceholders(template, { ...SAMPLE_ENV }, MANIFEST_PATH));
}

describe('teamsapp/manifest.json', () => {
  it('uses Teams Toolkit placeholders for the ids, the name suffix and the bot domain', () => {
    expect(placeholdersIn(template).sort()).toEqual(
      ['APP_NAME_SUFFIX', 'BOT_DOMAIN', 'BOT_ID', 'PUBLISHER_URL', 'TEAMS_APP_ID'].sort(),
    );
    const raw = JSON.parse(template);
    expect(raw.id).toBe('${{TEAMS_APP_ID}}');
    expect(raw.bots[0].botId).toBe('${{BOT_ID}}');
    expect(raw.validDomains).toEqual(['${{BOT_DOMAIN}}']);
    expect(raw.name.short).toContain('${{APP_NAME_SUFFIX}}');
  });

  it('is on manifest schema v1.17 or newer and its $schema URL names the same version', () => {
    const m = filledManifest();
    const [major, minor] = m.manifestVersion.split('.').map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(17);
    expect(m.$schema).toBe(
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${m.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it('validates against the official schema once filled', () => {
    expect(validateManifest(filledManifest())).toEqual([]);
  });

  it('the validator really rejects what the schema forbids', () => {
    const broken = filledManifest();
    broken.bots[0]!.scopes = ['everywhere'];
    delete (broken as Record<string, unknown>).developer;
    const errors = validateManifest(broken);
    expect(errors.some((e) => e.includes('/bots/0/scopes/0'))).toBe(true);
    expect(errors.some((e) => e.includes('developer'))).toBe(true);
    expect(() => validateManifest({ ...filledManifest(), manifestVersion: '9.99' })).toThrow(
      /ships no schema/,
    );
  });

  it('declares one bot in personal, team and groupChat scopes without file support', () => {
    const { bots } = filledManifest();
    expect(bots).toHaveLength(1);
    expect([...bots[0]!.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bots[0]!.supportsFiles).toBe(false);
    const listed = new Set(bots[0]!.commandLists.flatMap((l) => l.scopes));
    expect([...listed].sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('lists exactly the commands the bot handles (src/bot/commands.ts COMMANDS), in every command list', () => {
    const handled = COMMANDS.map((c) => c.name).sort();
    for (const list of filledManifest().bots[0]!.commandLists) {
      expect({ scopes: list.scopes, titles: list.commands.map((c) => c.title).sort() }).toEqual({
        scopes: list.scopes,
        titles: handled,
      });
    }
  });

  it('command descriptions start with how to type the command (COMMANDS usage)', () => {
    const usage = new Map(COMMANDS.map((c) => [c.name, c.usage]));
    const mismatched = filledManifest()
      .bots[0]!.commandLists.flatMap((l) => l.commands)
      .filter((c) => !c.description.startsWith(`${usage.get(c.title) ?? '(not a bot command)'} `))
      .map((c) => `${c.title}: "${c.description}"`);
    expect(mismatched).toEqual([]);
  });
});
