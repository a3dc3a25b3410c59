/**
 * A browser's HTTP habits, enough for the bot's pages without Chromium: it keeps cookies
 * (by origin and path), sends `Origin` and `Sec-Fetch-Site` on form posts, and does not
 * follow redirects by itself, so a test sees each hop.
 */
interface StoredCookie {
  origin: string;
  name: string;
  value: string;
  path: string;
}

export interface PageAnswer {
  status: number;
  headers: Headers;
  body: string;
  location: string | null;
}

export class HttpBrowser {
  private cookies: StoredCookie[] = [];
  /** Set to false to behave like a browser that blocks cookies. */
  acceptCookies = true;

  cookieNames(): string[] {
    return this.cookies.map((cookie) => cookie.name);
  }

  async get(url: string): Promise<PageAnswer> {
    return this.send(url, { method: 'GET', headers: this.headersFor(url, 'cross-site') });
  }

  async postForm(url: string, fields: Record<string, string>, from?: string): Promise<PageAnswer> {
    const target = new URL(url);
    const origin = from ?? target.origin;
    const headers = this.headersFor(url, origin === target.origin ? 'same-origin' : 'cross-site');
    headers.set('Origin', origin);
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
    return this.send(url, {
      method: 'POST',
      headers,
      body: new URLSearchParams(fields).toString(),
    });
  }

  private headersFor(url: string, site: string): Headers {
    const target = new URL(url);
    const headers = new Headers({ 'Sec-Fetch-Site': site });
    const jar = this.cookies
      .filter(
        (cookie) => cookie.origin === target.origin && target.pathname.startsWith(cookie.path),
      )
      .map((cookie) => `${cookie.name}=${cookie.value}`);
    if (jar.length > 0) headers.set('Cookie', jar.join('; '));
    return headers;
  }

  private async send(url: string, init: RequestInit): Promise<PageAnswer> {
    const response = await fetch(url, { ...init, redirect: 'manual' });
    if (this.acceptCookies) this.store(new URL(url).origin, response.headers.getSetCookie());
    return {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      location: response.headers.get('location'),
    };
  }

  private store(origin: string, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      this.cookies = this.cookies.filter(
        (c) => !(c.origin === origin && c.name === name && c.path === path),
      );
      if (!/max-age=0(\D|$)/i.test(line)) this.cookies.push({ origin, name, value, path });
    }
  }
}

/** The value of the hidden `csrf` field of the setup form. */
export function csrfFrom(html: string): string {
  const match =
    html.match(/name="csrf" value="([^"]+)"/) ?? html.match(/value="([^"]+)"[^>]*name="csrf"/);
  if (!match?.[1]) throw new Error('the page has no csrf field');
  return match[1];
}
