/**
 * Text helpers for Slack's mrkdwn. Everything a user typed (a nickname, a domain, an
 * Okta login, Okta's error description) goes through `escapeValue`, so `<!channel>`,
 * `<@U123>` or `<https://evil|click>` are shown as typed instead of pinging a channel or
 * hiding a link.
 */

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

const ELLIPSIS = '…';

/** What `escapeMrkdwn` changes: most values hold none of it, and are returned as they are. */
const MRKDWN_SPECIAL = /[&<>]/;

/** Slack decodes exactly these three entities; escaping anything else would show up. */
export function escapeMrkdwn(text: string): string {
  if (!MRKDWN_SPECIAL.test(text)) return text;
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * What `inline` replaces, in one class: tab, line breaks and every other control character
 * (`\p{Cc}` is exactly U+0000–U+001F and U+007F–U+009F), the line and paragraph separators
 * and the bidirectional embeddings, overrides and isolates. Without the `u` flag the test
 * is a plain scan; the views run it on every string they show.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const NOT_INLINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/**
 * One line of text: tabs and line breaks become spaces (a nickname must not start a
 * quote or a list on the next line); other control characters and the bidirectional
 * overrides that can make a name read backwards become U+FFFD, visible but inert.
 */
export function inline(text: string): string {
  if (!NOT_INLINE.test(text)) return text;
  return text
    .replace(/[\t\n\r]/g, ' ')
    .replace(/\p{Cc}|[\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, '\uFFFD');
}

/**
 * At most `max` UTF-16 units (Slack's limits count them or fewer), cut between whole
 * graphemes so an emoji is never split, with an ellipsis when something was cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - ELLIPSIS.length) break;
    kept += segment;
  }
  return `${kept}${ELLIPSIS}`;
}

/**
 * Shortens finished mrkdwn to `max` without leaving half an entity (`&am`) or half a
 * `<…>` link at the end, where Slack would show markup as text.
 */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = truncate(text, max).slice(0, -ELLIPSIS.length);
  return `${cut.replace(/&[a-z]*$/, '').replace(/<[^>]*$/, '')}${ELLIPSIS}`;
}

/** A value from a user or from Okta, on one line, shortened, safe inside mrkdwn. */
export function escapeValue(value: string, max = 200): string {
  return escapeMrkdwn(truncate(inline(value), max));
}

/** `*value*`, escaped. */
export function bold(value: string, max?: number): string {
  return `*${escapeValue(value, max)}*`;
}

/**
 * `value` in a code span, escaped, so it can be copied as it is. A backtick would end the
 * span early; none occurs in a scope name, a domain or a URL, so it is shown as ˋ.
 */
export function code(value: string, max?: number): string {
  return `\`${escapeValue(value, max).replaceAll('`', 'ˋ')}\``;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** `<@U…>` for a real Slack user id; anything else is shown as text. */
export function mention(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : escapeValue(userId, 40);
}

/**
 * Scope names as code spans separated by spaces, as many as fit in `max` characters,
 * then "and N more".
 */
export function codeList(names: readonly string[], max: number): string {
  const shown: string[] = [];
  // The length of `shown` joined by spaces, kept as it grows instead of joined again.
  let length = -1;
  for (const [i, name] of names.entries()) {
    const rest = names.length - i - 1;
    const item = code(name, 100);
    const next = length + 1 + item.length;
    const suffix = rest > 0 ? ` and ${rest} more` : '';
    if (next + suffix.length > max) break;
    shown.push(item);
    length = next;
  }
  const hidden = names.length - shown.length;
  if (hidden === 0) return shown.join(' ');
  if (shown.length === 0) return `${hidden} scopes (too many to list)`;
  return `${shown.join(' ')} and ${hidden} more`;
}
