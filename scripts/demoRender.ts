/**
 * Plain-text renderings for `npm run demo`: what the admin would see of a Block Kit view
 * or message in Slack, and of an HTML page in the browser.
 */

type Json = Record<string, unknown>;

const text = (value: unknown): string =>
  typeof value === 'object' && value !== null && typeof (value as Json).text === 'string'
    ? ((value as Json).text as string)
    : '';

/** Slack's escaping undone and mrkdwn markers dropped, for the terminal. */
function unmrkdwn(value: string): string {
  return value
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
    .replace(/\*([^*\n]+)\*/g, '$1');
}

function element(el: Json): string {
  switch (el.type) {
    case 'button':
      return `[ ${text(el.text)} ]${typeof el.url === 'string' ? ` → ${el.url}` : ''}`;
    case 'checkboxes':
    case 'radio_buttons':
      return ((el.options as Json[]) ?? []).map((o) => `  ( ) ${text(o.text)}`).join('\n');
    case 'plain_text_input':
      return `  [ ${typeof el.initial_value === 'string' ? el.initial_value : '________'} ]`;
    case 'multi_static_select':
      return `  [ pick ▾ ] (${((el.option_groups as Json[]) ?? []).length} groups)`;
    case 'multi_external_select': {
      const chosen = ((el.initial_options as Json[]) ?? []).map((o) => text(o.text));
      return `  [ ${text(el.placeholder)} ▾ ]${chosen.length > 0 ? ` (chosen: ${chosen.join(', ')})` : ''}`;
    }
    case 'conversations_select':
      return '  [ # channel ▾ ]';
    default:
      return `  [${String(el.type)}]`;
  }
}

function block(b: Json): string {
  switch (b.type) {
    case 'header':
      return `== ${text(b.text)} ==`;
    case 'section': {
      const fields = ((b.fields as Json[]) ?? []).map((f) => unmrkdwn(text(f))).join('   ');
      const accessory = b.accessory ? `  ${element(b.accessory as Json)}` : '';
      return `${unmrkdwn(text(b.text))}${fields ? `\n${fields}` : ''}${accessory}`;
    }
    case 'context':
      return ((b.elements as Json[]) ?? []).map((e) => `  · ${unmrkdwn(text(e))}`).join('\n');
    case 'divider':
      return '  ────────';
    case 'input':
      return `${text(b.label)}${b.optional ? ' (optional)' : ''}\n${element(b.element as Json)}`;
    case 'actions':
      return ((b.elements as Json[]) ?? []).map(element).join('  ');
    default:
      return `[${String(b.type)}]`;
  }
}

export function renderBlocks(blocks: readonly unknown[] | undefined): string {
  return (blocks ?? []).map((b) => block(b as Json)).join('\n');
}

export function renderView(view: Json): string {
  const title = text(view.title);
  const buttons = [view.close, view.submit].map(text).filter(Boolean).join(' | ');
  return `┌─ ${title} ─\n${renderBlocks(view.blocks as unknown[])}\n└─ ${buttons}`;
}

/** The visible text of a page: tags dropped, blocks on their own lines. */
export function renderPage(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<head[\s\S]*?<\/head>/g, '')
    .replace(/<(br|\/p|\/h1|\/h2|\/li|\/div|\/dt|\/dd|\/code)>/g, '\n')
    .replace(/<li>/g, '  • ')
    .replace(/<input[^>]*type="password"[^>]*>/g, '[ •••••••• ]')
    .replace(/<button[^>]*>([^<]*)<\/button>/g, '[ $1 ]')
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}
