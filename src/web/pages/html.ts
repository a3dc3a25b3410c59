/**
 * HTML built with a tagged template that escapes every interpolated value unless it is
 * already `SafeHtml`, so markup can only be injected through an explicit `raw()`.
 * Templates must quote every attribute (`href="${url}"`): escaping covers quoted
 * attribute values and text, not unquoted attributes, tag names or URLs' schemes.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// C0 and C1 controls other than tab, LF and CR are parse errors in HTML and browsers
// drop or substitute them inconsistently; U+FFFD keeps them visible instead of letting
// them silently change what the admin reads or copies (a client ID, a redirect URI).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[&<>"']|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Escapes `& < > " '` for text and quoted attribute values; controls become U+FFFD. */
export function escapeHtml(text: string): string {
  return text.replace(UNSAFE, (char) => ENTITIES[char] ?? '\uFFFD');
}

class SafeHtml {
  readonly #html: string;

  constructor(trusted: string) {
    this.#html = trusted;
  }

  toString(): string {
    return this.#html;
  }
}

export type { SafeHtml };

/** What a template accepts: text is escaped, `SafeHtml` is kept, empty values vanish. */
export type HtmlValue =
  | string
  | number
  | SafeHtml
  | false
  | null
  | undefined
  | readonly HtmlValue[];

/** Marks a fragment the code itself wrote (never input) as markup. */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

function toHtml(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(toHtml).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += toHtml(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}
