/**
 * The Adaptive Card rules a receiver can check offline, taken from the 1.4 JSON schema
 * (microsoft/AdaptiveCards schemas/1.4.0/adaptive-card.json): known element and action types, each with only the
 * properties the schema lists (it sets additionalProperties: false), required properties, enum values (matched
 * case-insensitively, as the schema's patterns do), and what Teams adds: version at most 1.5, absolute https links,
 * the message envelope, and the 28 KB message limit.
 */

const ELEMENT_COMMON = ['type', 'fallback', 'height', 'separator', 'spacing', 'id', 'isVisible', 'requires'];

const ENUMS: Record<string, readonly string[]> = {
  color: ['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'],
  size: ['default', 'small', 'medium', 'large', 'extralarge'],
  weight: ['default', 'lighter', 'bolder'],
  spacing: ['default', 'none', 'small', 'medium', 'large', 'extralarge', 'padding'],
  fontType: ['default', 'monospace'],
  horizontalAlignment: ['left', 'center', 'right'],
  height: ['auto', 'stretch'],
  style: ['default', 'emphasis', 'good', 'attention', 'warning', 'accent'],
};

const BOOLEANS = ['wrap', 'isSubtle', 'separator', 'isVisible', 'bleed'];

const ELEMENTS: Record<string, { props: string[]; required: string[] }> = {
  TextBlock: {
    props: [...ELEMENT_COMMON, 'text', 'color', 'fontType', 'horizontalAlignment', 'isSubtle', 'maxLines', 'size', 'weight', 'wrap'],
    required: ['text'],
  },
  FactSet: { props: [...ELEMENT_COMMON, 'facts'], required: ['facts'] },
  Container: {
    props: [...ELEMENT_COMMON, 'items', 'selectAction', 'style', 'verticalContentAlignment', 'bleed', 'backgroundImage', 'minHeight'],
    required: ['items'],
  },
  ColumnSet: { props: [...ELEMENT_COMMON, 'columns', 'selectAction', 'style', 'bleed', 'minHeight', 'horizontalAlignment'], required: [] },
  Image: {
    props: [...ELEMENT_COMMON, 'url', 'altText', 'backgroundColor', 'horizontalAlignment', 'selectAction', 'size', 'style', 'width'],
    required: ['url'],
  },
  ActionSet: { props: [...ELEMENT_COMMON, 'actions'], required: ['actions'] },
  RichTextBlock: { props: [...ELEMENT_COMMON, 'inlines', 'horizontalAlignment'], required: ['inlines'] },
};

const ACTIONS: Record<string, { props: string[]; required: string[] }> = {
  'Action.OpenUrl': { props: ['type', 'url', 'title', 'iconUrl', 'style', 'fallback', 'requires'], required: ['url'] },
  'Action.ShowCard': { props: ['type', 'card', 'title', 'iconUrl', 'style', 'fallback', 'requires'], required: [] },
  'Action.ToggleVisibility': { props: ['type', 'targetElements', 'title', 'iconUrl', 'style', 'fallback', 'requires'], required: [] },
};

const CARD_PROPS = [
  'type',
  'version',
  'refresh',
  'body',
  'actions',
  'selectAction',
  'fallbackText',
  'backgroundImage',
  'minHeight',
  'speak',
  'lang',
  'verticalContentAlignment',
  '$schema',
];

export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkProps(value: Json, allowed: string[], required: string[], path: string, errors: string[]): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) errors.push(`${path}.${key}: not a property of ${String(value.type)}`);
  for (const key of required) if (value[key] === undefined) errors.push(`${path}.${key}: required`);
  for (const [key, values] of Object.entries(ENUMS)) {
    if (value[key] !== undefined && (typeof value[key] !== 'string' || !values.includes((value[key] as string).toLowerCase())))
      errors.push(`${path}.${key}: "${String(value[key])}" is not one of ${values.join(', ')}`);
  }
  for (const key of BOOLEANS) if (value[key] !== undefined && typeof value[key] !== 'boolean') errors.push(`${path}.${key}: must be a boolean`);
}

function checkUrl(url: unknown, path: string, errors: string[]): void {
  if (typeof url !== 'string' || !/^https:\/\/[^\s]+$/.test(url)) errors.push(`${path}: "${String(url)}" is not an absolute https URL`);
}

function checkAction(action: unknown, path: string, errors: string[]): void {
  if (!isObject(action) || typeof action.type !== 'string' || !ACTIONS[action.type]) {
    errors.push(`${path}: unknown action type ${isObject(action) ? String(action.type) : typeof action}`);
    return;
  }
  checkProps(action, ACTIONS[action.type]!.props, ACTIONS[action.type]!.required, path, errors);
  if (action.type === 'Action.OpenUrl') checkUrl(action.url, `${path}.url`, errors);
}

function checkElement(element: unknown, path: string, errors: string[]): void {
  if (!isObject(element) || typeof element.type !== 'string' || !ELEMENTS[element.type]) {
    errors.push(`${path}: unknown element type ${isObject(element) ? String(element.type) : typeof element}`);
    return;
  }
  const { props, required } = ELEMENTS[element.type]!;
  checkProps(element, props, required, path, errors);
  switch (element.type) {
    case 'TextBlock':
      if (typeof element.text !== 'string' || element.text.length === 0) errors.push(`${path}.text: must be a non-empty string`);
      else for (const [, url] of element.text.matchAll(/\]\(([^)]*)\)/g)) checkUrl(url, `${path}.text link`, errors);
      break;
    case 'FactSet':
      if (!Array.isArray(element.facts)) errors.push(`${path}.facts: must be an array`);
      else
        element.facts.forEach((fact, i) => {
          if (!isObject(fact) || typeof fact.title !== 'string' || typeof fact.value !== 'string')
            errors.push(`${path}.facts[${i}]: needs a string title and value`);
          else
            for (const key of Object.keys(fact))
              if (!['type', 'title', 'value'].includes(key)) errors.push(`${path}.facts[${i}].${key}: not a property of Fact`);
        });
      break;
    case 'Container':
      if (!Array.isArray(element.items)) errors.push(`${path}.items: must be an array`);
      else
        element.items.forEach((item, i) => {
          checkElement(item, `${path}.items[${i}]`, errors);
        });
      break;
    case 'ActionSet':
      if (!Array.isArray(element.actions)) errors.push(`${path}.actions: must be an array`);
      else
        element.actions.forEach((a, i) => {
          checkAction(a, `${path}.actions[${i}]`, errors);
        });
      break;
  }
}

/** Problems with an Adaptive Card (empty when it passes). */
export function adaptiveCardProblems(card: unknown): string[] {
  const errors: string[] = [];
  if (!isObject(card)) return ['card: not an object'];
  if (card.type !== 'AdaptiveCard') errors.push('card.type: must be "AdaptiveCard"');
  if (typeof card.version !== 'string' || !/^1\.[0-5]$/.test(card.version))
    errors.push(`card.version: "${String(card.version)}" is not a version Teams renders (1.0-1.5)`);
  for (const key of Object.keys(card)) if (!CARD_PROPS.includes(key)) errors.push(`card.${key}: not a property of AdaptiveCard`);
  if (!Array.isArray(card.body)) errors.push('card.body: must be an array');
  else
    card.body.forEach((element, i) => {
      checkElement(element, `card.body[${i}]`, errors);
    });
  if (card.actions !== undefined) {
    if (!Array.isArray(card.actions)) errors.push('card.actions: must be an array');
    else
      card.actions.forEach((a, i) => {
        checkAction(a, `card.actions[${i}]`, errors);
      });
  }
  return errors;
}

/** Problems with a Teams Workflows webhook message (the raw body as received). */
export function teamsMessageProblems(rawBody: string): string[] {
  const errors: string[] = [];
  const size = Buffer.byteLength(rawBody, 'utf8');
  if (size >= TEAMS_MESSAGE_LIMIT_BYTES) errors.push(`message: ${size} bytes, over the 28 KB limit`);
  let message: unknown;
  try {
    message = JSON.parse(rawBody);
  } catch {
    return [...errors, 'message: not JSON'];
  }
  if (!isObject(message) || message.type !== 'message') return [...errors, 'message.type: must be "message"'];
  if (!Array.isArray(message.attachments) || message.attachments.length === 0) return [...errors, 'message.attachments: must be a non-empty array'];
  message.attachments.forEach((attachment, i) => {
    if (!isObject(attachment)) {
      errors.push(`attachments[${i}]: not an object`);
      return;
    }
    if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive')
      errors.push(`attachments[${i}].contentType: must be application/vnd.microsoft.card.adaptive`);
    if (attachment.contentUrl !== undefined && attachment.contentUrl !== null) errors.push(`attachments[${i}].contentUrl: must be null or absent`);
    errors.push(...adaptiveCardProblems(attachment.content).map((e) => `attachments[${i}].${e}`));
  });
  return errors;
}

/** Every TextBlock text and fact of a card, flattened: what a person reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (node.type === 'TextBlock' && typeof node.text === 'string') out.push(node.text);
      if (node.type === 'FactSet' && Array.isArray(node.facts)) for (const f of node.facts as Json[]) out.push(`${String(f.title)}: ${String(f.value)}`);
      if (node.type === 'Action.OpenUrl') out.push(`[${String(node.title)}](${String(node.url)})`);
      for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
    }
  };
  walk(card);
  return out.join('\n');
}
