import { describe, expect, it } from 'vitest';
import { failureMessage, keyNotAcceptedText } from '../../../src/views/messages.ts';
import { renderSetupPage } from '../../../src/web/pages/renderSetupPage.ts';
import { HOSTILE_VALUES } from './hostileValues.ts';
import { expectSafePage, shownAs } from './pageChecks.ts';
import { OKTA_ORIGIN, setupInput } from './pageInputs.ts';
import { attribute, byId, byTag, type HtmlElement, parseHtml, textOf } from './parseHtml.ts';

const FORM_ACTION = ["'self'", OKTA_ORIGIN];

function render(overrides: Parameters<typeof setupInput>[0] = {}) {
  const page = renderSetupPage(setupInput(overrides));
  const copyScript = overrides.clientKey !== undefined;
  return { page, document: expectSafePage(page, { formAction: FORM_ACTION, copyScript }) };
}

const KEY = {
  jwk: '{"kty":"EC","crv":"P-256","x":"x1","y":"y1","kid":"kid-1","alg":"ES256","use":"sig"}',
  keyId: 'kid-1',
};

function one(document: HtmlElement, tag: string): HtmlElement {
  const found = byTag(document, tag);
  expect(found, `<${tag}>`).toHaveLength(1);
  return found[0]!;
}

function secretInput(document: HtmlElement): HtmlElement {
  return byId(document, 'client_secret');
}

describe('renderSetupPage', () => {
  it('for a key pair: the public JWK as text with Okta’s steps, a copy button hidden until the script shows it, and no secret field', () => {
    const { page, document } = render({ clientKey: KEY });
    expect(textOf(byId(document, 'public-jwk'))).toBe(KEY.jwk);
    const text = textOf(document);
    expect(text).toContain('Set Client authentication to Public key / Private key');
    expect(text).toContain('Add key');
    expect(text).toContain('key ID kid-1');
    expect(byTag(document, 'input').map((input) => attribute(input, 'name'))).toEqual(['csrf']);
    const copy = byTag(document, 'button').find((b) => attribute(b, 'data-copy') === 'public-jwk');
    expect(copy && attribute(copy, 'type')).toBe('button');
    expect(copy?.attributes.map(([name]) => name)).toContain('hidden');
    expect(attribute(byId(document, 'copy-status'), 'role')).toBe('status');
    expect(page.html).toContain('navigator.clipboard.writeText');
  });

  it('for a key pair Okta does not accept yet: says so under the key, tied to it, and still shows the key', () => {
    const { page, document } = render({
      clientKey: KEY,
      error: failureMessage('key_not_accepted'),
      credentialError: keyNotAcceptedText,
    });
    expect(textOf(document)).toContain('Okta does not accept the bot’s key yet');
    expect(textOf(byId(document, 'public-jwk-error'))).toBe(keyNotAcceptedText);
    expect(keyNotAcceptedText).toContain('add the public key above');
    expect(page.html.indexOf('id="public-jwk-error"')).toBeGreaterThan(
      page.html.indexOf('id="public-jwk"'),
    );
    expect(attribute(byTag(document, 'pre')[1]!, 'aria-describedby')).toBe(
      'public-jwk-help public-jwk-error',
    );
    expect(byTag(document, 'input').map((input) => attribute(input, 'name'))).toEqual(['csrf']);
  });

  it('for a key-pair reauthorization: says the connection keeps its key', () => {
    const { document } = render({ purpose: 'reauthorize', clientKey: KEY });
    expect(textOf(document)).toContain('It keeps its key pair.');
    expect(textOf(document)).toContain('Check the public key in Okta');
  });

  it('shows the org, client ID, expiry and redirect URI to check, with status 200', () => {
    const { page, document } = render();
    expect(page.status).toBe(200);
    expect(textOf(one(document, 'h1'))).toBe('Connect acme-prod to Okta');
    const text = textOf(document);
    expect(text).toContain('acme.okta.com');
    expect(text).toContain('0oa1b2c3d4e5f6g7h8i9');
    expect(text).toContain('14:07 UTC');
    expect(attribute(one(document, 'time'), 'datetime')).toBe('2025-06-01T14:07:30.000Z');
    expect(textOf(one(document, 'pre'))).toBe('https://bot.example.com/oauth/okta/callback');
    expect(text).toContain(
      'This must be listed exactly as a Sign-in redirect URI on the app’s General tab',
    );
  });

  it('lists the requested scopes with descriptions and flags the unknown ones', () => {
    const { document } = render({ unknownScopes: ['okta.custom.thing', 'okta.other.thing'] });
    const items = byTag(document, 'li').filter((li) => byTag(li, 'code').length > 0);
    expect(items.map((li) => textOf(byTag(li, 'code')[0]!))).toEqual([
      'okta.users.read',
      'okta.groups.read',
      'okta.custom.thing',
      'okta.other.thing',
    ]);
    expect(textOf(items[0]!)).toContain('Read users and their profiles');
    expect(textOf(items[0]!)).not.toContain('catalog');
    for (const unknown of items.slice(2)) {
      expect(textOf(unknown)).toContain('not in the bot’s catalog — Okta decides');
    }
  });

  it('shows a secret Okta refused as an error at the field, tied to the input', () => {
    const { document } = render({
      error: failureMessage('secret_refused'),
      credentialError: 'Okta refused this client ID and secret.',
    });
    const input = secretInput(document);
    expect(attribute(input, 'aria-invalid')).toBe('true');
    expect(attribute(input, 'aria-describedby')).toBe('client_secret-help client_secret-error');
    expect(textOf(byId(document, 'client_secret-error'))).toBe(
      'Okta refused this client ID and secret.',
    );
    const untouched = secretInput(render().document).attributes.map(([name]) => name);
    expect(untouched).not.toContain('aria-invalid');
  });

  it('says what happens next', () => {
    const text = textOf(render().document);
    expect(text).toContain('You sign in at acme.okta.com.');
    expect(text).toContain('Okta sends you back here.');
    expect(text).toContain('The bot shows what Okta granted and sends the same to your Slack DM.');
  });

  it('posts the CSRF token and the client secret to the given path', () => {
    const { document } = render();
    const form = one(document, 'form');
    expect(Object.fromEntries(form.attributes)).toEqual({
      method: 'post',
      action: '/connect/tok_abc123',
    });
    const inputs = byTag(form, 'input').map((input) => attribute(input, 'name'));
    expect(inputs).toEqual(['csrf', 'client_secret']);
    const csrf = byTag(form, 'input')[0]!;
    expect(attribute(csrf, 'type')).toBe('hidden');
    expect(attribute(csrf, 'value')).toBe('csrf-QWxhZGRpbjpvcGVuIHNlc2FtZQ');
    const button = byId(document, 'continue');
    expect(button.name).toBe('button');
    expect(attribute(button, 'type')).toBe('submit');
    expect(textOf(button)).toBe('Continue to Okta');
  });

  it('asks for the secret in a required password field that browsers do not remember', () => {
    const { document } = render();
    const input = secretInput(document);
    expect(Object.fromEntries(input.attributes)).toEqual({
      id: 'client_secret',
      name: 'client_secret',
      type: 'password',
      autocomplete: 'off',
      spellcheck: 'false',
      autocapitalize: 'off',
      maxlength: '200',
      'aria-describedby': 'client_secret-help',
      required: '',
    });
    const label = one(document, 'label');
    expect(attribute(label, 'for')).toBe('client_secret');
    expect(textOf(label)).toBe('Client secret');
    const help = textOf(byId(document, 'client_secret-help'));
    expect(help).toBe(
      'From the app’s General tab → Client Credentials. It is encrypted before it is stored and never shown again.',
    );
    expect(attribute(input, 'value')).toBeUndefined();
  });

  it('lets a reauthorization keep the stored secret', () => {
    const { document } = render({ purpose: 'reauthorize', hasStoredSecret: true });
    expect(textOf(one(document, 'h1'))).toBe('Reauthorize acme-prod');
    expect(attribute(secretInput(document), 'required')).toBeUndefined();
    expect(textOf(byId(document, 'client_secret-help'))).toContain(
      'Leave empty to keep using the stored secret',
    );
  });

  it('shows an error above the heading as an alert, with its next step', () => {
    const error = failureMessage('secret_malformed');
    const { page, document } = render({ error });
    const alerts = byTag(document, 'div').filter((div) => attribute(div, 'role') === 'alert');
    expect(alerts).toHaveLength(1);
    const alert = textOf(alerts[0]!);
    expect(alert).toContain(error.title);
    expect(alert).toContain(error.text);
    expect(alert).toContain(error.next);
    expect(page.html.indexOf('role="alert"')).toBeLessThan(page.html.indexOf('<h1>'));
    expect(textOf(one(document, 'title'))).toMatch(/^Error: /);
  });

  it('has no alert without an error', () => {
    expect(render().page.html).not.toContain('role="alert"');
  });

  it('allows the form to reach only the bot and the Okta org, whatever path the origin has', () => {
    const page = renderSetupPage(setupInput({ oktaOrigin: 'https://acme.okta.com/ignored?x' }));
    expectSafePage(page, { formAction: ["'self'", 'https://acme.okta.com'] });
  });

  it.each([
    "https://acme.okta.com; script-src 'unsafe-inline'",
    'javascript:alert(1)',
    'acme.okta.com',
  ])('refuses an Okta origin %j that could rewrite the CSP', (oktaOrigin) => {
    expect(() => renderSetupPage(setupInput({ oktaOrigin }))).toThrow(TypeError);
  });

  it.each([
    'https://evil.example/steal',
    '//evil.example/steal',
    '/\\evil.example',
    '/connect/\n/x',
    'javascript:alert(1)',
  ])('refuses a form action %j that leaves the bot', (formAction) => {
    expect(() => renderSetupPage(setupInput({ formAction }))).toThrow(TypeError);
  });
});

describe('renderSetupPage with hostile values', () => {
  it.each(Object.entries(HOSTILE_VALUES))('shows %s as text in every field', (_, value) => {
    const shown = shownAs(value);
    // Browsers strip controls from URLs, so the form action only takes the others.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    const formAction = `/connect/${value.replace(/[\u0000-\u001F\u007F]/g, '')}`;
    const error = { title: `T${value}`, text: `X${value}`, next: `N${value}` };
    const page = renderSetupPage(
      setupInput({
        nickname: value,
        domain: value,
        clientId: value,
        scopes: [{ name: value, description: `D${value}` }],
        unknownScopes: [value, `U${value}`],
        redirectUri: value,
        csrfToken: value,
        formAction,
        error,
      }),
    );
    const document = expectSafePage(page, { formAction: FORM_ACTION });

    expect(textOf(one(document, 'h1'))).toBe(`Connect ${shown} to Okta`);
    expect(textOf(one(document, 'title'))).toContain(shown);
    expect(textOf(one(document, 'pre'))).toBe(shown);
    const form = one(document, 'form');
    expect(attribute(form, 'action')).toBe(shownAs(formAction));
    expect(attribute(byTag(form, 'input')[0]!, 'value')).toBe(shown);
    const codes = byTag(document, 'code').map(textOf);
    expect(codes).toEqual(expect.arrayContaining([shown, `U${shown}`]));
    const text = textOf(parseHtml(page.html));
    for (const expected of [`D${shown}`, `T${shown}`, `X${shown}`, `N${shown}`]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(`You sign in at ${shown}.`);
  });
});
