import type { Storage } from 'botbuilder';

/**
 * Which incident a conversation is about.
 *
 * Personal and group chats have one "current incident" per conversation. In channels, a reply in the
 * thread of an incident card is about that card's incident: Teams gives thread replies the conversation
 * id `<channel id>;messageid=<root activity id>`, so the thread is keyed by that id. An explicit
 * `incident <n>` in a thread overrides the card's incident for that thread.
 */
interface StoredContext {
  incidentNumber: number;
  setAt: string;
  eTag?: string;
}

const PREFIX = 'incident-context/';

export function threadConversationId(channelConversationId: string, rootActivityId: string): string {
  const base = channelConversationId.split(';messageid=')[0];
  return `${base};messageid=${rootActivityId}`;
}

export class IncidentContext {
  constructor(private readonly storage: Storage) {}

  async get(conversationId: string): Promise<number | undefined> {
    const key = PREFIX + encodeURIComponent(conversationId);
    const items = await this.storage.read([key]);
    const item = items[key] as StoredContext | undefined;
    return item?.incidentNumber;
  }

  async set(conversationId: string, incidentNumber: number): Promise<void> {
    const key = PREFIX + encodeURIComponent(conversationId);
    const item: StoredContext = { incidentNumber, setAt: new Date().toISOString(), eTag: '*' };
    await this.storage.write({ [key]: item });
  }

  /** Remembers that a card for `incidentNumber` was posted as the root of a channel thread. */
  async setForThread(
    channelConversationId: string,
    rootActivityId: string,
    incidentNumber: number,
  ): Promise<void> {
    await this.set(threadConversationId(channelConversationId, rootActivityId), incidentNumber);
  }
}
