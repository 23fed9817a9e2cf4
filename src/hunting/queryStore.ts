import { randomBytes } from 'node:crypto';
import type { Storage } from 'botbuilder';

/**
 * Validated hunting queries, kept server-side. A card carries only the random id: a card's data comes
 * back from the client on every click, so the query text it would carry could have been altered.
 */
export interface StoredHuntQuery {
  id: string;
  query: string;
  title: string;
  why: string;
  /** "Template (no language model)", "gpt-4o-mini via OpenAI", "Analyst (kql:)". */
  engine: string;
  incidentName: string;
  incidentNumber: number;
  /** The hunt window (ISO), used as the query timespan. */
  windowStart: string;
  windowEnd: string;
  createdBy: { name: string; aadObjectId?: string };
  createdAt: string;
}

export type NewHuntQuery = Omit<StoredHuntQuery, 'id' | 'createdAt'>;

export const HUNT_QUERY_PREFIX = 'hunt-query/';
const ID = /^[A-Za-z0-9_-]{16,64}$/;
/** A card older than this says "expired" instead of running a query against today's data blindly. */
export const HUNT_QUERY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class HuntQueryStore {
  constructor(
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(query: NewHuntQuery): Promise<StoredHuntQuery> {
    const stored: StoredHuntQuery = {
      ...query,
      id: randomBytes(18).toString('base64url'),
      createdAt: this.now().toISOString(),
    };
    await this.storage.write({ [HUNT_QUERY_PREFIX + stored.id]: { ...stored, eTag: '*' } });
    return stored;
  }

  /** Undefined for an unknown, malformed or expired id. */
  async get(id: unknown): Promise<StoredHuntQuery | undefined> {
    if (typeof id !== 'string' || !ID.test(id)) return undefined;
    const key = HUNT_QUERY_PREFIX + id;
    const item: unknown = (await this.storage.read([key]))[key];
    if (!isStoredHuntQuery(item)) return undefined;
    const age = this.now().getTime() - Date.parse(item.createdAt);
    if (!(age <= HUNT_QUERY_TTL_MS)) return undefined;
    return item;
  }
}

function isStoredHuntQuery(item: unknown): item is StoredHuntQuery {
  if (item === null || typeof item !== 'object') return false;
  const r = item as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.query === 'string' &&
    typeof r.title === 'string' &&
    typeof r.incidentName === 'string' &&
    typeof r.incidentNumber === 'number' &&
    typeof r.createdAt === 'string' &&
    typeof r.windowStart === 'string' &&
    typeof r.windowEnd === 'string'
  );
}
