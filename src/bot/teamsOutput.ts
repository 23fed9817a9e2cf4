import type { Activity, Attachment, Middleware, TurnContext } from 'botbuilder';
import { isAllowedLink, safeCardString, safeMessageText } from '../ai/safeText';

/**
 * The last gate before Teams: every activity the bot sends, updates or answers an invoke with — in a
 * turn or proactively, from any feature — passes the shared sanitiser (src/ai/safeText.ts). Renderers
 * already make their text safe (and this is a no-op on their output); this gate is what guarantees it
 * for every text, including ones a renderer forgot: message text (markdown), card text (TextBlocks,
 * FactSets, titles, labels) and invoke answers. Card URLs (images, OpenUrl actions) must be allowed
 * https links or they are removed.
 */
export function teamsOutputSafety(): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      context.onSendActivities(async (_ctx, activities, sendNext) => {
        for (const activity of activities) makeActivitySafe(activity);
        return sendNext();
      });
      context.onUpdateActivity(async (_ctx, activity, updateNext) => {
        makeActivitySafe(activity);
        return updateNext();
      });
      await next();
    },
  };
}

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const INVOKE_MESSAGE = 'application/vnd.microsoft.activity.message';
const INVOKE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Rewrites an outgoing activity in place (botbuilder sends the objects it handed to the handlers). */
export function makeActivitySafe(activity: Partial<Activity>): void {
  if (typeof activity.text === 'string') activity.text = safeMessageText(activity.text);
  if (typeof activity.summary === 'string') activity.summary = safeMessageText(activity.summary);
  for (const attachment of activity.attachments ?? []) makeAttachmentSafe(attachment);
  if (activity.type === 'invokeResponse') makeInvokeResponseSafe(activity.value);
}

function makeAttachmentSafe(attachment: Attachment): void {
  if (attachment.contentType === CARD_CONTENT_TYPE) makeCardSafe(attachment.content);
  else if (isRecord(attachment.content)) makeCardSafe(attachment.content);
  if (typeof attachment.contentUrl === 'string' && !isAllowedLink(attachment.contentUrl))
    delete attachment.contentUrl;
  if (typeof attachment.thumbnailUrl === 'string' && !isAllowedLink(attachment.thumbnailUrl))
    delete attachment.thumbnailUrl;
}

function makeInvokeResponseSafe(value: unknown): void {
  if (!isRecord(value) || !isRecord(value.body)) return;
  const body = value.body;
  if (body.type === INVOKE_MESSAGE && typeof body.value === 'string')
    body.value = safeMessageText(body.value);
  else if (body.type === INVOKE_CARD) makeCardSafe(body.value);
}

/** Properties a card renders as text (markdown in TextBlocks and facts, plain elsewhere). */
const CARD_TEXT_KEYS = new Set([
  'text',
  'title',
  'subtitle',
  'label',
  'placeholder',
  'errorMessage',
  'tooltip',
  'fallbackText',
  'speak',
  'altText',
]);
/** Properties a card fetches or navigates to. */
const CARD_URL_KEYS = new Set(['url', 'iconUrl', 'backgroundImage', 'poster', 'contentUrl', 'thumbnailUrl']);
/** Never rendered: what a button sends back, an input's own value, ids. */
const CARD_SKIP_KEYS = new Set(['data', 'verb', 'id', 'value', 'choices', '$data', 'msteams']);

/** Walks an Adaptive Card (or any rich card) and makes every text and URL in it safe, in place. */
export function makeCardSafe(node: unknown): void {
  if (Array.isArray(node)) {
    for (let i = node.length - 1; i >= 0; i--) {
      const item: unknown = node[i];
      if (isRecord(item) && hasForbiddenUrl(item)) node.splice(i, 1);
      else makeCardSafe(item);
    }
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string' && CARD_TEXT_KEYS.has(key)) node[key] = safeCardString(value);
    else if (key === 'facts' && Array.isArray(value)) {
      for (const fact of value) {
        if (!isRecord(fact)) continue;
        for (const k of ['title', 'value'])
          if (typeof fact[k] === 'string') fact[k] = safeCardString(fact[k] as string);
      }
    } else if (key === 'choices' && Array.isArray(value)) {
      for (const choice of value)
        if (isRecord(choice) && typeof choice.title === 'string') choice.title = safeCardString(choice.title);
    } else if (CARD_URL_KEYS.has(key) && !isAllowedUrlValue(value)) {
      Reflect.deleteProperty(node, key);
    } else if (!CARD_SKIP_KEYS.has(key) && typeof value === 'object') makeCardSafe(value);
  }
}

/** An element that exists to show or open a URL (an image, a link button) and whose URL is not allowed. */
function hasForbiddenUrl(element: Record<string, unknown>): boolean {
  const type = typeof element.type === 'string' ? element.type : '';
  if (!['Image', 'Media', 'Action.OpenUrl'].includes(type)) return false;
  return !isAllowedUrlValue(element.url);
}

function isAllowedUrlValue(value: unknown): boolean {
  if (typeof value === 'string') return isAllowedLink(value);
  if (isRecord(value)) return isAllowedUrlValue(value.url);
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
