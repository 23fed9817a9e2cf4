/** Just enough Bicep reading for structural checks where no Bicep compiler is available offline. */

export interface BicepResource {
  symbol: string;
  type: string;
  body: string;
}

/** Text from an opening brace to its matching close, skipping braces inside '...' strings. */
function balancedBlock(text: string, open: number): string {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === "'") inString = false;
      continue;
    }
    if (ch === "'") inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

export function bicepResources(text: string): BicepResource[] {
  const found: BicepResource[] = [];
  const header = /^resource (\w+) '([^'@]+)@[^']+'(?: existing)? = [^{\n]*\{/gm;
  for (const m of text.matchAll(header)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    found.push({ symbol: m[1] as string, type: m[2] as string, body: balancedBlock(text, open) });
  }
  return found;
}

export function bicepParams(text: string): { name: string; hasDefault: boolean; secure: boolean }[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => {
    const m = /^param (\w+) \w+( = .*)?$/.exec(line);
    if (!m) return [];
    const decorators = [];
    for (let j = i - 1; j >= 0 && (lines[j] as string).startsWith('@'); j--) decorators.push(lines[j]);
    return [
      { name: m[1] as string, hasDefault: m[2] !== undefined, secure: decorators.includes('@secure()') },
    ];
  });
}

export function bicepOutputs(text: string): string[] {
  return [...text.matchAll(/^output (\w+) /gm)].map((m) => m[1] as string);
}

/** Names in the Web App's siteConfig.appSettings array. */
export function appSettingNames(text: string): string[] {
  const start = text.indexOf('appSettings: [');
  if (start < 0) return [];
  const end = text.indexOf('\n      ]', start);
  return [...text.slice(start, end).matchAll(/name: '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] as string);
}

export function appSettingValue(text: string, name: string): string | undefined {
  const m = new RegExp(`name: '${name}'\\n\\s*value: (.*)`).exec(text);
  return m?.[1];
}
