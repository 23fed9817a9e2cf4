/** Small readers over Adaptive Card JSON, for assertions about what a card shows and which buttons it has. */

export interface CardAction {
  type: string;
  title?: string;
  verb?: string;
  url?: string;
  data?: unknown;
  fallback?: unknown;
}

/** Every action in the card (top-level `actions` and ActionSets), fallbacks not included. */
export function collectActions(card: unknown): CardAction[] {
  const found: CardAction[] = [];
  const visit = (node: unknown, inFallback: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((n) => visit(n, inFallback));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (!inFallback && typeof obj.type === 'string' && obj.type.startsWith('Action.'))
      found.push(obj as unknown as CardAction);
    for (const [key, value] of Object.entries(obj)) visit(value, inFallback || key === 'fallback');
  };
  visit(card, false);
  return found;
}

/** Every TextBlock text and FactSet title/value, in document order. */
export function textsOf(card: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj.type === 'TextBlock' && typeof obj.text === 'string') out.push(obj.text);
    if (obj.type === 'FactSet' && Array.isArray(obj.facts)) {
      for (const f of obj.facts as { title?: unknown; value?: unknown }[]) {
        if (typeof f.title === 'string') out.push(f.title);
        if (typeof f.value === 'string') out.push(f.value);
      }
    }
    Object.values(obj).forEach(visit);
  };
  visit(card);
  return out;
}
