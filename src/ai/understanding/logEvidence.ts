import type { Incident } from '../../domain/types';
import { huntWindow } from '../../kql/entityValues';
import { BUNDLED_SCHEMA, type WorkspaceSchema } from '../../kql/schema';
import { validateKql } from '../../kql/validator';
import { getLogger } from '../../logger';
import type { SentinelGateway } from '../../sentinel/gateway';
import { emptyRows, planLogQueries, type LogInputs, type LogQuery, type LogRows } from './logQueries';
import { hostOfUrl, isPrivateAddress, type Subject } from './subjects';
import type { LogStatus } from './types';

const log = getLogger('ai.logEvidence');

/** What the log queries returned, ready for role inference; `status` says what is missing and why. */
export interface LogEvidence extends LogRows {
  status: LogStatus;
  /** The window the queries read (ISO). */
  window: { start: string; end: string };
}

export interface LogEvidenceOptions {
  /** At most this many queries per incident (the rest are named as not run). Default 10. */
  maxQueries?: number;
  /** Server-side timeout per query (Prefer: wait). Default 15 s. */
  queryTimeoutSeconds?: number;
  /** Wall-clock budget for all queries of one incident. Default 25 s. */
  budgetMs?: number;
  /** Queries in flight at once (Log Analytics throttles bursts). Default 3. */
  concurrency?: number;
  /** Look-back for routine sign-ins, in days. Default 14. */
  historyDays?: number;
  /** Schema the queries are validated against. Default: the bundled published schema. */
  schema?: WorkspaceSchema;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_VALUES = 10;

export function noLogEvidence(reason?: string): LogEvidence {
  return {
    ...emptyRows(),
    status: {
      ran: [],
      failed: reason ? [{ name: 'log evidence', reason }] : [],
      skipped: reason === undefined,
    },
    window: { start: '', end: '' },
  };
}

function take(values: Iterable<string | undefined>, max = MAX_VALUES): string[] {
  const seen = new Map<string, string>();
  for (const v of values) {
    const t = v?.trim();
    if (t && !seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  }
  return [...seen.values()].slice(0, max);
}

/** What to look up: the incident's public addresses, identities, hosts, domains and mail. */
export function logInputsFor(incident: Incident, subjects: readonly Subject[], historyDays = 14): LogInputs {
  const window = huntWindow(incident);
  const of = (...kinds: string[]) => subjects.filter((s) => kinds.includes(s.kind) && !s.fromLogs);
  const ips = take([
    ...of('Ip')
      .filter((s) => !s.flags.privateAddress)
      .map((s) => s.value),
    ...of('MailMessage')
      .map((s) => s.details.senderIp)
      .filter((ip) => ip !== undefined && !isPrivateAddress(ip)),
  ]);
  const accounts = take(
    of('Account', 'Mailbox').flatMap((s) =>
      s.flags.servicePrincipal
        ? [s.value, ...s.aliases.filter((a) => /^[0-9a-f-]{36}$/.test(a))]
        : [s.details.upn ?? s.value],
    ),
  );
  const hosts = take(
    of('Host').flatMap((s) => s.aliases.filter((a) => !/^[0-9a-f-]{36}$/.test(a))),
    8,
  );
  const urlHosts = of('Url')
    .filter((s) => !s.flags.orgOwned && !s.flags.firstParty)
    .map((s) => hostOfUrl(s.value ?? ''));
  const senderDomains = of('MailMessage').map((s) => s.details.sender?.split('@')[1]);
  const domains = take(
    [
      ...of('DnsResolution')
        .filter((s) => !s.flags.orgOwned && !s.flags.firstParty)
        .map((s) => s.value),
      ...urlHosts,
      ...senderDomains,
    ],
    5,
  ).filter((d) => !/^\d+(\.\d+){3}$/.test(d));
  const mail = of('MailMessage');
  return {
    start: window.start,
    end: window.end,
    activityStart: new Date(incident.firstActivityTimeUtc ?? incident.createdTimeUtc),
    activityEnd: new Date(
      incident.lastActivityTimeUtc ?? incident.lastModifiedTimeUtc ?? incident.createdTimeUtc,
    ),
    historyStart: new Date(window.start.getTime() - historyDays * DAY_MS),
    historyEnd: new Date(
      Math.max(window.end.getTime(), Math.min(Date.now(), window.end.getTime() + 7 * DAY_MS)),
    ),
    ips,
    accounts,
    hosts,
    domains,
    senders: take(mail.map((m) => m.details.sender)),
    messageIds: take(mail.flatMap((m) => m.aliases.filter((a) => /^[0-9a-f-]{36}$/.test(a)))),
    subjects: take(
      mail.map((m) => (m.name.length <= 200 ? m.name : undefined)),
      3,
    ),
  };
}

/**
 * Runs the catalogue for one incident: each query validated (read-only, valid against the schema)
 * before it runs, run with a server timeout and a row cap, all within one time budget. Never throws:
 * a query that fails or times out is recorded in `status.failed`, and answers say that evidence is
 * missing instead of guessing.
 */
export async function gatherLogEvidence(
  gateway: SentinelGateway,
  incident: Incident,
  subjects: readonly Subject[],
  options: LogEvidenceOptions = {},
): Promise<LogEvidence> {
  const inputs = logInputsFor(incident, subjects, options.historyDays);
  const planned = planLogQueries(inputs);
  const maxQueries = options.maxQueries ?? 10;
  const queries = planned.slice(0, maxQueries);
  const result: LogEvidence = {
    ...emptyRows(),
    status: {
      ran: [],
      failed: planned
        .slice(maxQueries)
        .map((q) => ({ name: q.name, reason: 'not run (query budget per incident reached)' })),
      skipped: false,
    },
    window: { start: inputs.start.toISOString(), end: inputs.end.toISOString() },
  };
  const deadline = Date.now() + (options.budgetMs ?? 25_000);
  const schema = options.schema ?? BUNDLED_SCHEMA;
  const timeout = options.queryTimeoutSeconds ?? 15;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const q = queries[next++] as LogQuery;
      const left = deadline - Date.now();
      if (left <= 0) {
        result.status.failed.push({ name: q.name, reason: 'not run (time budget per incident reached)' });
        continue;
      }
      await runOne(gateway, q, schema, Math.min(timeout, Math.ceil(left / 1000)), left, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 3, queries.length) }, worker));
  return result;
}

async function runOne(
  gateway: SentinelGateway,
  q: LogQuery,
  schema: WorkspaceSchema,
  timeoutSeconds: number,
  leftMs: number,
  into: LogEvidence,
): Promise<void> {
  const checked = await validateKql(q.query, schema);
  if (!checked.valid) {
    // Our own template failed validation: a bug (or a schema without the table), never run it anyway.
    log.warn(
      { query: q.name, errors: checked.errors.slice(0, 3) },
      'log evidence query did not validate; not run',
    );
    into.status.failed.push({
      name: q.name,
      reason: `${q.table} query did not validate (${checked.errors[0]?.message ?? 'invalid'})`,
    });
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = gateway.runQuery(q.query, {
      timespan: `${q.start.toISOString()}/${q.end.toISOString()}`,
      serverTimeoutSeconds: timeoutSeconds,
    });
    const expired = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), leftMs);
    });
    const res = await Promise.race([run, expired]);
    if (res === 'timeout') {
      run.catch(() => undefined);
      into.status.failed.push({ name: q.name, reason: `${q.table}: no answer within the time budget` });
      return;
    }
    const table = res.tables[0];
    if (table) q.parse(table, into);
    into.status.ran.push(q.name);
    if (res.status === 'PartialFailure')
      into.status.failed.push({
        name: q.name,
        reason: `${q.table}: partial results (${res.error.slice(0, 160)})`,
      });
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/\s+/g, ' ').slice(0, 160) : 'failed';
    log.info({ query: q.name, reason }, 'log evidence query failed');
    into.status.failed.push({ name: q.name, reason: `${q.table}: ${reason}` });
  } finally {
    if (timer) clearTimeout(timer);
  }
}
