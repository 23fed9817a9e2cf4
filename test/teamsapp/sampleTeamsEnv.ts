import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Values `teamsapp provision` would have written, for filling the manifest offline. */
export const SAMPLE_ENV = {
  TEAMSFX_ENV: 'ci',
  APP_NAME_SUFFIX: '-ci',
  PUBLISHER_URL: 'https://soc.example.com',
  TEAMS_APP_ID: '6f0b6c3e-2a41-4d5c-9b7e-1a2b3c4d5e6f',
  BOT_ID: '0d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
  BOT_DOMAIN: 'sentinel-ci.azurewebsites.net',
} as const;

/** A temp env folder holding `.env.<name>` (and optionally `.env.<name>.user`); removed by the caller. */
export function writeEnvDir(
  name: string,
  vars: Record<string, string>,
  userVars?: Record<string, string>,
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamsenv-'));
  const lines = (v: Record<string, string>): string =>
    Object.entries(v)
      .map(([k, value]) => `${k}=${value}`)
      .join('\n');
  fs.writeFileSync(path.join(dir, `.env.${name}`), `# sample\n${lines(vars)}\n`);
  if (userVars) fs.writeFileSync(path.join(dir, `.env.${name}.user`), `${lines(userVars)}\n`);
  return dir;
}
