import { utcTime } from '../../views/formatTime.ts';
import type { AdminMessage } from '../../views/messages.ts';
import { html, type SafeHtml } from './html.ts';
import { renderNotice } from './messageHtml.ts';
import { type PageResponse, renderPage } from './page.ts';
import { isSameOriginPath } from './urls.ts';

export interface SetupScope {
  name: string;
  description?: string;
}

export interface SetupPageInput {
  purpose: 'create' | 'reauthorize';
  nickname: string;
  domain: string;
  /** Where the form's POST redirects: Okta's origin, added to the CSP's form-action. */
  oktaOrigin: string;
  clientId: string;
  scopes: readonly SetupScope[];
  /** Requested names that are not in the bot's catalog; flagged, or listed when not in `scopes`. */
  unknownScopes: readonly string[];
  redirectUri: string;
  csrfToken: string;
  /** The path the form posts to, e.g. `/connect/abc`; must be on the bot's origin. */
  formAction: string;
  hasStoredSecret: boolean;
  /**
   * Set when the connection authenticates with a key pair: the public JWK to add in
   * Okta (one line of JSON) and its `kid`. The page then asks for no secret.
   */
  clientKey?: { jwk: string; keyId: string };
  /** Epoch milliseconds. */
  expiresAt: number;
  error?: AdminMessage;
  /**
   * A problem with the credential itself (Okta refused it): shown at the secret field,
   * or under the public key of a key-pair connection.
   */
  credentialError?: string;
}

const SECRET_HELP =
  'From the app’s General tab → Client Credentials. It is encrypted before it is stored and never shown again.';
const KEEP_SECRET_HELP = 'Leave empty to keep using the stored secret.';
const UNKNOWN_FLAG = 'not in the bot’s catalog — Okta decides';

function scopeList(scopes: readonly SetupScope[], unknownScopes: readonly string[]): SafeHtml {
  const unknown = new Set(unknownScopes);
  const listed = new Set(scopes.map((scope) => scope.name));
  const all = [
    ...scopes,
    ...[...unknown].filter((name) => !listed.has(name)).map((name) => ({ name })),
  ];
  const items = all.map(
    ({ name, description }: SetupScope) => html`<li><code>${name}</code>${
      description ? html` <span class="desc">${description}</span>` : ''
    }${unknown.has(name) ? html` <span class="flag">${UNKNOWN_FLAG}</span>` : ''}</li>
`,
  );
  return html`<ul class="scopes">
${items}</ul>`;
}

function expiryTime(expiresAt: number): SafeHtml {
  return html`<time datetime="${new Date(expiresAt).toISOString()}">${utcTime(expiresAt)}</time>`;
}

function secretField(hasStoredSecret: boolean, error: string | undefined): SafeHtml {
  const describedBy = error ? 'client_secret-help client_secret-error' : 'client_secret-help';
  return html`<label for="client_secret">Client secret</label>
<p class="help" id="client_secret-help">${SECRET_HELP}${hasStoredSecret ? ` ${KEEP_SECRET_HELP}` : ''}</p>
${
  error
    ? html`<p class="field-error" id="client_secret-error">${error}</p>
`
    : ''
}<input id="client_secret" name="client_secret" type="password" autocomplete="off" spellcheck="false" autocapitalize="off" maxlength="200" aria-describedby="${describedBy}"${
    error ? html` aria-invalid="true"` : ''
  }${hasStoredSecret ? '' : html` required`}>`;
}

/**
 * The public key and Okta's steps to add it. The key is selectable text in any case; the
 * copy button appears only where the page's script runs.
 */
function keySection(
  key: { jwk: string; keyId: string },
  create: boolean,
  refused: boolean,
): SafeHtml {
  const describedBy = refused ? 'public-jwk-help public-jwk-error' : 'public-jwk-help';
  return html`<h2>${create ? 'Add the bot’s public key to the app in Okta' : 'Check the public key in Okta'}</h2>
<p>The bot made a key pair for this connection and signs in to Okta with its private half, which never leaves the bot. Okta needs the public half:</p>
<ol>
<li>In the Okta Admin Console, open the app → <strong>General</strong> tab → <strong>Client Credentials</strong> → <strong>Edit</strong>.</li>
<li>Set <strong>Client authentication</strong> to <strong>Public key / Private key</strong>.</li>
<li>Under <strong>Public keys</strong>, keep <strong>Save keys in Okta</strong>, choose <strong>Add key</strong>, paste the key below, choose <strong>Done</strong>, then <strong>Save</strong>.</li>
</ol>
<p class="help" id="public-jwk-help">Public key (JWK), key ID <code>${key.keyId}</code>. It is not a secret.</p>
<pre aria-describedby="${describedBy}"><code id="public-jwk">${key.jwk}</code></pre>
<div class="copy-row">
<button type="button" class="secondary" data-copy="public-jwk" data-status="copy-status" data-done="Copied. Paste it into Okta’s Add key box." data-fallback="The key is selected: press Ctrl+C (⌘C on a Mac) to copy it." hidden>Copy public key</button>
<span id="copy-status" role="status"></span>
</div>`;
}

/**
 * Under the key, before the button: add the key first, or — once Okta has refused it —
 * that Okta does not accept it yet.
 */
function keyNote(error: string | undefined): SafeHtml {
  return error
    ? html`<p class="field-error" id="public-jwk-error">${error}</p>`
    : html`<p class="help">Add the key in Okta first: the bot checks that Okta accepts it before sending you there.</p>`;
}

/** `GET /connect/:token`: what will be connected, the redirect URI to check, and the secret form or the key to add. */
export function renderSetupPage(input: SetupPageInput): PageResponse {
  if (!isSameOriginPath(input.formAction)) {
    throw new TypeError('formAction must be a path on the bot’s own origin');
  }
  const create = input.purpose === 'create';
  const heading = create
    ? html`Connect <bdi>${input.nickname}</bdi> to Okta`
    : html`Reauthorize <bdi>${input.nickname}</bdi>`;
  const title = `${input.error ? 'Error: ' : ''}${
    create ? `Connect ${input.nickname} to Okta` : `Reauthorize ${input.nickname}`
  }`;
  const hasScopes = input.scopes.length > 0 || input.unknownScopes.length > 0;
  const key = input.clientKey;
  const lead = key
    ? create
      ? 'Add the bot’s public key to the Okta app (no secret needed), then sign in at Okta.'
      : 'Sign in at Okta again to renew this connection’s access. It keeps its key pair.'
    : create
      ? 'Enter the Okta app’s client secret here, not in Slack, then sign in at Okta.'
      : 'Sign in at Okta again to renew this connection’s access.';

  const main = html`${input.error ? renderNotice(input.error, { tone: 'error', kind: 'alert' }) : ''}
<h1>${heading}</h1>
<p class="lead">${lead}</p>
<dl class="facts">
<dt>Okta org</dt><dd><bdi>${input.domain}</bdi></dd>
<dt>Client ID</dt><dd><code>${input.clientId}</code></dd>
<dt>Client authentication</dt><dd>${key ? 'Public key / Private key' : 'Client secret'}</dd>
<dt>Link expires</dt><dd>${expiryTime(input.expiresAt)}</dd>
</dl>
${hasScopes ? html`<h2>Scopes the bot will request</h2>\n${scopeList(input.scopes, input.unknownScopes)}` : ''}
<h2>Check the redirect URI in Okta</h2>
<p>This must be listed exactly as a Sign-in redirect URI on the app’s General tab:</p>
<pre><code>${input.redirectUri}</code></pre>
${key ? keySection(key, create, input.credentialError !== undefined) : ''}
<form method="post" action="${input.formAction}">
<input type="hidden" name="csrf" value="${input.csrfToken}">
${key ? keyNote(input.credentialError) : secretField(input.hasStoredSecret, input.credentialError)}
<button type="submit" id="continue">Continue to Okta</button>
</form>
<h2>What happens next</h2>
<ol>
<li>You sign in at <bdi>${input.domain}</bdi>.</li>
<li>Okta sends you back here.</li>
<li>The bot shows what Okta granted and sends the same to your Slack DM.</li>
</ol>`;

  return renderPage({
    status: 200,
    title,
    main,
    formTargets: { oktaOrigin: input.oktaOrigin },
    copyButtons: key !== undefined,
  });
}
