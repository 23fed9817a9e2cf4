import type { ChatCompleter } from '../ai/model';
import { ModelCallError } from '../ai/model';
import type { Entity, Incident } from '../domain/types';
import { generateKql, type KqlModel } from '../kql/generate';
import type { WorkspaceSchema } from '../kql/schema';
import type { Refusal } from '../kql/readOnly';
import { validateKql, type KqlIssue } from '../kql/validator';
import { getLogger } from '../logger';
import { chooseTemplates, templatesForIncident } from './templateChoice';

const log = getLogger('hunting.proposals');

export const TEMPLATE_ENGINE = 'Template (no language model)';
export const ANALYST_ENGINE = 'Your KQL (not rewritten)';

/** A query that passed validation against the workspace schema and may be offered with a Run button. */
export interface HuntProposal {
  title: string;
  why: string;
  query: string;
  engine: string;
  /** Workspace tables the query reads. */
  tables: string[];
}

export type ProposalOutcome =
  | { kind: 'queries'; proposals: HuntProposal[]; note?: string }
  | { kind: 'invalid'; engine: string; query: string; reason: string; diagnostics: KqlIssue[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'empty'; reason: string };

export interface HuntInput {
  question: string;
  incident: Incident;
  entities: Entity[];
  schema: WorkspaceSchema;
}

export const MANAGEMENT_REFUSAL =
  'I only run read-only queries: management commands (starting with ".", such as `.drop` or `.set`) are refused, and nothing was run.';

/** What the analyst reads when the read-only check refuses a query ("✖ refused: externaldata …"). */
export function refusalText(refusal: Pick<Refusal, 'code' | 'reason'>): string {
  if (refusal.code === 'MANAGEMENT_COMMAND') return MANAGEMENT_REFUSAL;
  return `✖ refused: ${refusal.reason}. I only run read-only queries over this workspace's own tables, so nothing was run.`;
}

/** Adapts the configured chat model to what KQL generation needs. */
export function kqlModelFrom(completer: ChatCompleter): KqlModel {
  return {
    complete: (messages, settings) =>
      completer.complete(
        messages,
        settings ? { temperature: settings.temperature, maxTokens: settings.maxTokens } : {},
      ),
  };
}

/**
 * With a model: one generated query, repaired against the validator's diagnostics. Without one, or when
 * the model call fails: the incident's templates that best match the question, validated the same way.
 */
export async function proposeHunt(
  input: HuntInput,
  model: ChatCompleter | undefined,
): Promise<ProposalOutcome> {
  if (model) {
    try {
      const result = await generateKql(input, kqlModelFrom(model));
      if (result.status === 'invalid') {
        return {
          kind: 'invalid',
          engine: model.engine,
          query: result.query,
          reason: result.reason,
          diagnostics: result.diagnostics,
        };
      }
      const checked = await validateKql(result.query, input.schema);
      return {
        kind: 'queries',
        proposals: [
          {
            title: titleFor(input.question),
            why: `Written by ${model.engine} for: ${input.question}`,
            query: result.query,
            engine: model.engine,
            tables: checked.tables,
          },
        ],
      };
    } catch (err) {
      const reason = err instanceof ModelCallError ? err.reason : 'the model call failed';
      log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'KQL generation failed; using templates',
      );
      const fallback = await templateProposals(input);
      return fallback.kind === 'queries'
        ? {
            ...fallback,
            note: `The model could not write a query (${reason}), so these come from templates.`,
          }
        : fallback;
    }
  }
  return templateProposals(input);
}

async function templateProposals(input: HuntInput): Promise<ProposalOutcome> {
  const templates = templatesForIncident(input.incident, input.entities, input.schema, input.question);
  const chosen = chooseTemplates(input.question, templates);
  const proposals: HuntProposal[] = [];
  for (const t of chosen) {
    const checked = await validateKql(t.query, input.schema);
    if (!checked.valid) {
      // A template that fails here points at a schema drift; never offer it as runnable.
      log.warn(
        { title: t.title, errors: checked.errors.map((e) => e.code) },
        'template query did not validate',
      );
      continue;
    }
    proposals.push({
      title: t.title,
      why: t.why,
      query: t.query,
      engine: TEMPLATE_ENGINE,
      tables: checked.tables,
    });
  }
  if (proposals.length === 0) {
    return {
      kind: 'empty',
      reason:
        templates.length === 0
          ? 'this incident has no entities (accounts, hosts, IPs, mailboxes, URLs, files) that my templates can search for, and no language model is configured to write a custom query'
          : 'none of the template queries validated against the workspace schema',
    };
  }
  return { kind: 'queries', proposals };
}

/** The analyst's own KQL: validated and shown as typed, never rewritten. */
export async function checkAnalystQuery(
  query: string,
  schema: WorkspaceSchema,
  analystName: string,
): Promise<ProposalOutcome> {
  const checked = await validateKql(query, schema);
  if (!checked.valid) {
    const refused = checked.refusal === undefined ? undefined : checked.errors[0];
    if (refused && checked.refusal !== undefined)
      return { kind: 'refused', reason: refusalText({ code: refused.code, reason: checked.refusal }) };
    return {
      kind: 'invalid',
      engine: ANALYST_ENGINE,
      query,
      reason: 'Your query does not validate against the workspace schema.',
      diagnostics: checked.errors,
    };
  }
  return {
    kind: 'queries',
    proposals: [
      {
        title: 'Your query',
        why: `KQL typed by ${analystName}, checked against the workspace schema before it is offered to run.`,
        query,
        engine: ANALYST_ENGINE,
        tables: checked.tables,
      },
    ],
  };
}

function titleFor(question: string): string {
  const text = question.replace(/^hunt (?:for )?/i, '').trim();
  const title = text.charAt(0).toUpperCase() + text.slice(1);
  return title.length > 100 ? `${title.slice(0, 99)}…` : title;
}

/** "line 2, column 9: KS142 The name 'Foo' does not refer to any known column (near "Foo")". */
export function describeDiagnostics(diagnostics: KqlIssue[], max = 6): string[] {
  const lines = diagnostics
    .slice(0, max)
    .map(
      (d) => `Line ${d.line}, column ${d.column}: ${d.message} (${d.code}, near "${d.snippet.slice(0, 60)}")`,
    );
  if (diagnostics.length > max) lines.push(`…and ${diagnostics.length - max} more`);
  return lines;
}
