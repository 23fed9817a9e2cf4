import fs from 'node:fs';
import path from 'node:path';
import type { Entity, Incident } from '../domain/types';
import { getLogger } from '../logger';
import { huntWindow } from './huntingTemplates';
import type { WorkspaceSchema } from './schema';
import { applyRowCap, validateKql, type KqlIssue } from './validator';

const log = getLogger('kql.generate');

export interface KqlMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Model settings from the prompt's config.json, for adapters that can honour them. */
export interface KqlModelSettings {
  temperature: number;
  maxTokens: number;
}

/** The only thing generation needs from a model; the bot adapts its configured provider to this. */
export interface KqlModel {
  complete(messages: KqlMessage[], settings?: KqlModelSettings): Promise<string>;
}

export interface KqlGenerationInput {
  question: string;
  incident: Incident;
  entities: Entity[];
  schema: WorkspaceSchema;
}

export interface KqlGenerationOptions {
  /** Repair rounds after the first answer (default from config.json, 2). */
  maxRepairs?: number;
  /** Append `| take N` to a valid query that does not bound its rows. */
  rowCap?: number;
  /** Most tables described in the prompt (default 4). */
  maxTables?: number;
}

/** A query with status 'invalid' must never be offered as runnable. */
export type KqlGenerationResult =
  | { status: 'valid'; query: string; attempts: number; diagnostics: [] }
  | { status: 'invalid'; query: string; attempts: number; diagnostics: KqlIssue[]; reason: string };

interface KqlPrompt {
  template: string;
  settings: KqlModelSettings;
  maxRepairs: number;
}

let prompt: KqlPrompt | undefined;

/** Reads src/prompts/kql-generate (or dist/src/prompts/...) once; prompts are data, not code. */
export function loadKqlPrompt(): KqlPrompt {
  if (prompt) return prompt;
  const dir = path.join(__dirname, '..', 'prompts', 'kql-generate');
  const template = fs.readFileSync(path.join(dir, 'skprompt.txt'), 'utf8');
  const config: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  const completion = readObject(readObject(config).completion);
  const repair = readObject(readObject(config).repair);
  prompt = {
    template,
    settings: {
      temperature: typeof completion.temperature === 'number' ? completion.temperature : 0,
      maxTokens: typeof completion.max_tokens === 'number' ? completion.max_tokens : 800,
    },
    maxRepairs: typeof repair.max_repairs === 'number' ? repair.max_repairs : 2,
  };
  return prompt;
}

function readObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

const TABLES_BY_ENTITY: Record<string, string[]> = {
  account: ['SigninLogs', 'AuditLogs', 'IdentityInfo'],
  host: ['DeviceProcessEvents', 'DeviceNetworkEvents', 'SecurityEvent'],
  ip: ['SigninLogs', 'CommonSecurityLog', 'DeviceNetworkEvents'],
  url: ['UrlClickEvents', 'EmailEvents', 'DeviceNetworkEvents'],
  mailbox: ['EmailEvents', 'UrlClickEvents'],
  mailmessage: ['EmailEvents', 'UrlClickEvents'],
  filehash: ['DeviceFileEvents', 'DeviceProcessEvents'],
  file: ['DeviceFileEvents', 'DeviceProcessEvents'],
};

const TABLES_BY_KEYWORD: [RegExp, string[]][] = [
  [/sign[- ]?in|log[- ]?in|logon|mfa|password|authenticat/i, ['SigninLogs', 'DeviceLogonEvents']],
  [/process|command|powershell|executable|script/i, ['DeviceProcessEvents']],
  [/network|connection|port|traffic|beacon/i, ['DeviceNetworkEvents', 'CommonSecurityLog']],
  [/firewall|proxy|palo|fortinet|cef/i, ['CommonSecurityLog']],
  [/e-?mail|mail|phish|sender|recipient/i, ['EmailEvents']],
  [/click|link|url/i, ['UrlClickEvents']],
  [/file|hash|download/i, ['DeviceFileEvents']],
  [/audit|role|consent|directory|group member/i, ['AuditLogs']],
  [/alert/i, ['SecurityAlert']],
  [/incident/i, ['SecurityIncident']],
  [/azure|subscription|resource group|arm\b/i, ['AzureActivity']],
  [/office|sharepoint|onedrive|exchange|teams/i, ['OfficeActivity']],
  [/syslog|linux|ssh/i, ['Syslog']],
  [/windows event|event ?id|security event/i, ['SecurityEvent']],
  [/threat intel|indicator|ioc/i, ['ThreatIntelligenceIndicator']],
  [/ueba|behavio/i, ['BehaviorAnalytics']],
  [/heartbeat|agent|offline/i, ['Heartbeat']],
  [/key ?vault|diagnostic/i, ['AzureDiagnostics']],
];

/** The few tables worth describing: named in the question, then by keyword, then by entity kind. */
export function chooseTables(
  question: string,
  entities: Entity[],
  schema: WorkspaceSchema,
  maxTables = 4,
): string[] {
  const chosen: string[] = [];
  const add = (table: string): void => {
    if (table in schema && !chosen.includes(table)) chosen.push(table);
  };
  for (const table of Object.keys(schema)) {
    if (new RegExp(`\\b${table}\\b`, 'i').test(question)) add(table);
  }
  for (const [pattern, tables] of TABLES_BY_KEYWORD) {
    if (pattern.test(question)) tables.forEach(add);
  }
  for (const entity of entities) (TABLES_BY_ENTITY[entity.kind.toLowerCase()] ?? []).forEach(add);
  if (chosen.length === 0) ['SecurityAlert', 'SigninLogs'].forEach(add);
  return chosen.slice(0, maxTables);
}

function describeSchema(schema: WorkspaceSchema, tables: string[]): string {
  return tables
    .map((t) => `${t}: ${(schema[t] ?? []).map((c) => `${c.name}:${c.type}`).join(', ')}`)
    .join('\n');
}

const MAX_PROPERTY_CHARS = 300;

function describeIncident(incident: Incident, entities: Entity[]): string {
  const window = huntWindow(incident);
  const data = {
    incident: { number: incident.number, title: incident.title, severity: incident.severity },
    timeWindow: { start: window.start.toISOString(), end: window.end.toISOString() },
    entities: entities.slice(0, 30).map((e) => ({
      kind: e.kind,
      name: e.friendlyName.slice(0, MAX_PROPERTY_CHARS),
      properties: Object.fromEntries(
        Object.entries(e.properties)
          .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
          .map(([k, v]) => [k, String(v).slice(0, MAX_PROPERTY_CHARS)]),
      ),
    })),
  };
  // A value containing the closing delimiter must not be able to end the data block early.
  // Invisible format characters go first, or "</\u200buntrusted…" would slip past as a delimiter.
  const json = JSON.stringify(data, null, 1)
    .replace(/\p{Cf}/gu, '')
    .replace(/<(?=\s*\/?\s*untrusted)/gi, '<\\');
  return `<untrusted_incident_data>\n${json}\n</untrusted_incident_data>`;
}

/** The first ```kql / ```kusto / ``` block of a reply, or the whole reply when it has none. */
export function extractKql(reply: string): string {
  const fenced = /```[ \t]*(?:kql|kusto)?[ \t]*\r?\n([\s\S]*?)```/i.exec(reply);
  return (fenced?.[1] ?? reply).trim();
}

function describeIssues(issues: KqlIssue[]): string {
  const lines = issues
    .slice(0, 8)
    .map((i) => `- ${i.code} at line ${i.line}, column ${i.column} (near "${i.snippet}"): ${i.message}`);
  return `The query does not validate against the workspace schema:\n${lines.join('\n')}\nReturn a corrected query in one \`\`\`kql block, using only the listed tables and columns.`;
}

/**
 * Asks the model for one query, validates it with the Kusto language service and feeds the
 * diagnostics back for up to `maxRepairs` repairs. Model failures (network, quota) reject.
 */
export async function generateKql(
  input: KqlGenerationInput,
  model: KqlModel,
  opts: KqlGenerationOptions = {},
): Promise<KqlGenerationResult> {
  const loaded = loadKqlPrompt();
  const maxRepairs = opts.maxRepairs ?? loaded.maxRepairs;
  const tables = chooseTables(input.question, input.entities, input.schema, opts.maxTables);
  const messages: KqlMessage[] = [
    { role: 'system', content: loaded.template.replace('{{$schema}}', describeSchema(input.schema, tables)) },
    {
      role: 'user',
      content: `Analyst question: ${input.question.slice(0, 2000)}\n\nIncident data:\n${describeIncident(input.incident, input.entities)}`,
    },
  ];
  let query = '';
  let diagnostics: KqlIssue[] = [];
  for (let attempt = 1; attempt <= maxRepairs + 1; attempt++) {
    const reply = await model.complete(messages, loaded.settings);
    query = extractKql(reply);
    const result = query === '' ? undefined : await validateKql(query, input.schema, { rowCap: opts.rowCap });
    const refusal = result?.refusal;
    if (query === '' || !result) {
      diagnostics = [];
    } else if (refusal !== undefined) {
      // Never repaired: a model asking for external data or a command may be following injected text.
      const code = result.errors[0]?.code ?? '';
      log.warn({ attempt, code }, 'model returned a query the read-only check refuses');
      return {
        status: 'invalid',
        query,
        attempts: attempt,
        diagnostics: [],
        reason:
          code === 'MANAGEMENT_COMMAND'
            ? 'The model returned a management command, which the bot never runs.'
            : `The model's query was refused: ${refusal}.`,
      };
    } else if (result.valid) {
      const finalQuery = opts.rowCap ? (result.cappedQuery ?? applyRowCap(query, opts.rowCap)) : query;
      return { status: 'valid', query: finalQuery, attempts: attempt, diagnostics: [] };
    } else {
      diagnostics = result.errors;
    }
    log.info({ attempt, errors: diagnostics.map((d) => d.code) }, 'generated KQL did not validate');
    messages.push({ role: 'assistant', content: reply });
    messages.push({
      role: 'user',
      content:
        query === ''
          ? 'The reply had no query. Return one query in a ```kql block.'
          : describeIssues(diagnostics),
    });
  }
  return {
    status: 'invalid',
    query,
    attempts: maxRepairs + 1,
    diagnostics,
    reason: query === '' ? 'The model returned no query.' : 'The query still has errors after repairs.',
  };
}
