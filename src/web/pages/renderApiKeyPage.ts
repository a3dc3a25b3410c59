import type { ApiKeyAction } from '../../db/apiKeysRepo.ts';
import { ACTION_WORDS } from '../../views/apiKeyViews.ts';
import { utcDate, utcTime } from '../../views/formatTime.ts';
import { html } from './html.ts';
import { type PageResponse, renderPage } from './page.ts';

export interface ApiKeyPageInput {
  name: string;
  key: string;
  /** null: every connection of the workspace. */
  connections: readonly string[] | null;
  actions: readonly ApiKeyAction[];
  expiresAt: number | null;
  publicUrl: string;
}

/** `GET /apikey/:token`, once: the key, what it may do, and how to use it. */
export function renderApiKeyPage(input: ApiKeyPageInput): PageResponse {
  const connections =
    input.connections === null
      ? html`every connection of the workspace`
      : input.connections.length === 0
        ? html`none (the chosen ones were deleted)`
        : input.connections.map(
            (nickname, i) => html`${i > 0 ? ', ' : ''}<code>${nickname}</code>`,
          );
  const expiry =
    input.expiresAt === null ? 'never' : `${utcDate(input.expiresAt)} ${utcTime(input.expiresAt)}`;
  const main = html`<h1>API key <bdi>${input.name}</bdi></h1>
<p class="lead">Copy the key now and keep it in your tool’s secret store. It is shown once: the bot keeps only a hash of it, and this page cannot be opened again.</p>
<pre><code id="api-key">${input.key}</code></pre>
<dl class="facts">
<dt>Connections</dt><dd>${connections}</dd>
<dt>Expires</dt><dd>${expiry}</dd>
</dl>
<h2>What it may do</h2>
<ul>
${input.actions.map((action) => html`<li><strong>${ACTION_WORDS[action].label}</strong>: ${ACTION_WORDS[action].help}</li>\n`)}</ul>
<h2>Use it</h2>
<pre><code>curl -H "Authorization: Bearer $KEY" ${input.publicUrl}/api/connections</code></pre>
<p>Lost it, or it leaked? Revoke it in Slack with <code>/okta-connect apikey revoke ${input.name}</code> and create a new one.</p>`;
  return renderPage({ status: 200, title: `API key ${input.name}`, main });
}
