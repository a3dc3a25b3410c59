/**
 * A strict little HTML reader for the pages' own output, so tests can look at elements
 * and decoded text instead of matching markup with regular expressions. It accepts only
 * what the renderers are meant to write: quoted attributes, explicit end tags, the five
 * entities `escapeHtml` emits (plus numeric ones). Anything else, such as a stray `&`,
 * an unclosed tag or a mismatched end tag, throws, which is itself a finding.
 */

export interface HtmlElement {
  name: string;
  attributes: readonly (readonly [string, string])[];
  children: (HtmlElement | string)[];
}

const VOID = new Set(['meta', 'link', 'input', 'br', 'hr', 'img']);
const RAW_TEXT = new Set(['style', 'script']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

export function decodeEntities(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const amp = text.indexOf('&', at);
    if (amp === -1) return out + text.slice(at);
    const semi = text.indexOf(';', amp);
    const name = semi === -1 ? '' : text.slice(amp + 1, semi);
    let decoded = ENTITIES[name];
    if (decoded === undefined && name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      if (Number.isInteger(code)) decoded = String.fromCodePoint(code);
    }
    if (decoded === undefined) {
      throw new Error(`unescaped & at ${JSON.stringify(text.slice(amp, amp + 20))}`);
    }
    out += text.slice(at, amp) + decoded;
    at = semi + 1;
  }
}

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\n' || char === '\t' || char === '\r' || char === '\f';
}

export function parseHtml(source: string): HtmlElement {
  const document: HtmlElement = { name: '#document', attributes: [], children: [] };
  const open: HtmlElement[] = [document];
  const current = () => open[open.length - 1]!;
  let at = 0;

  const fail = (why: string): never => {
    throw new Error(`${why} at ${at}: ${JSON.stringify(source.slice(at, at + 60))}`);
  };
  const readName = (): string => {
    const start = at;
    while (at < source.length && !isSpace(source[at]) && !'=>/"\''.includes(source[at]!)) at++;
    if (at === start) fail('expected a name');
    return source.slice(start, at);
  };

  while (at < source.length) {
    if (!source.startsWith('<', at)) {
      const next = source.indexOf('<', at);
      const end = next === -1 ? source.length : next;
      current().children.push(decodeEntities(source.slice(at, end)));
      at = end;
    } else if (source.startsWith('<!doctype html>', at)) {
      at += '<!doctype html>'.length;
    } else if (source.startsWith('</', at)) {
      at += 2;
      const name = readName();
      if (source[at] !== '>') fail('expected > after end tag');
      at++;
      if (current().name !== name) fail(`</${name}> closes <${current().name}>`);
      open.pop();
    } else {
      at++;
      const element: HtmlElement = { name: readName(), attributes: [], children: [] };
      const attributes: [string, string][] = [];
      let selfClosing = false;
      for (;;) {
        while (isSpace(source[at])) at++;
        if (source[at] === '>') break;
        if (source.startsWith('/>', at)) {
          selfClosing = true;
          at++;
          break;
        }
        if (at >= source.length) fail('unterminated tag');
        const name = readName();
        let value = '';
        if (source[at] === '=') {
          if (source[at + 1] !== '"') fail('unquoted attribute value');
          const close = source.indexOf('"', at + 2);
          if (close === -1) fail('unterminated attribute value');
          value = decodeEntities(source.slice(at + 2, close));
          at = close + 1;
        }
        attributes.push([name, value]);
      }
      at++;
      element.attributes = attributes;
      current().children.push(element);
      if (RAW_TEXT.has(element.name)) {
        const close = source.indexOf(`</${element.name}>`, at);
        if (close === -1) fail(`unterminated <${element.name}>`);
        element.children.push(source.slice(at, close));
        at = close + element.name.length + 3;
      } else if (!selfClosing && !VOID.has(element.name)) {
        open.push(element);
      }
    }
  }
  if (open.length !== 1) throw new Error(`unclosed <${current().name}>`);
  return document;
}

export function attribute(element: HtmlElement, name: string): string | undefined {
  return element.attributes.find(([key]) => key === name)?.[1];
}

/** Every element under `root`, in document order. */
export function allElements(root: HtmlElement): HtmlElement[] {
  return root.children.flatMap((child) =>
    typeof child === 'string' ? [] : [child, ...allElements(child)],
  );
}

export function byTag(root: HtmlElement, name: string): HtmlElement[] {
  return allElements(root).filter((element) => element.name === name);
}

export function byId(root: HtmlElement, id: string): HtmlElement {
  const found = allElements(root).filter((element) => attribute(element, 'id') === id);
  if (found.length !== 1) throw new Error(`expected one #${id}, found ${found.length}`);
  return found[0]!;
}

/** The decoded text of an element and its descendants. */
export function textOf(element: HtmlElement): string {
  return element.children
    .map((child) => (typeof child === 'string' ? child : textOf(child)))
    .join('');
}
