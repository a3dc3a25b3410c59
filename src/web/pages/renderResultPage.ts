import { type AdminMessage, warningMessage } from '../../views/messages.ts';
import { html, type SafeHtml } from './html.ts';
import { renderNotice } from './messageHtml.ts';
import { type PageResponse, renderPage } from './page.ts';
import { absoluteUrl } from './urls.ts';

export interface ResultPageInput {
  nickname: string;
  domain: string;
  purpose: 'create' | 'reauthorize';
  granted: readonly string[];
  /** Requested scopes Okta left out; shown with the `scopes_dropped` warning and its fix. */
  dropped: readonly string[];
  /** Every other warning; the dropped scopes come only as `dropped`. */
  warnings: readonly AdminMessage[];
  /** Who signed in at Okta (preferred_username), when Okta said. */
  authorizedLogin: string | null;
  /** A link back to the Slack DM; only an `https://` URL is shown. */
  slackUrl?: string;
}

function grantedList(granted: readonly string[]): SafeHtml {
  if (granted.length === 0) return html`<p>None.</p>`;
  return html`<ul class="scopes">
${granted.map((name) => html`<li><code>${name}</code></li>\n`)}</ul>`;
}

/** The callback's success page: the same summary the bot sends to the admin's DM. */
export function renderResultPage(input: ResultPageInput): PageResponse {
  const verb = input.purpose === 'create' ? 'connected' : 'reauthorized';
  const dropped =
    input.dropped.length > 0 ? warningMessage('scopes_dropped', { scopes: input.dropped }) : null;
  const { warnings } = input;
  const slackUrl =
    input.slackUrl === undefined ? undefined : absoluteUrl(input.slackUrl, ['https:']);

  const main = html`<h1><span class="mark-ok" aria-hidden="true">✓</span> <bdi>${input.nickname}</bdi> is ${verb}</h1>
<dl class="facts">
<dt>Okta org</dt><dd><bdi>${input.domain}</bdi></dd>
<dt>Signed in as</dt><dd>${
    input.authorizedLogin === null
      ? 'Okta did not name the account'
      : html`<bdi>${input.authorizedLogin}</bdi>`
  }</dd>
</dl>
${dropped ? renderNotice(dropped, { tone: 'warning', kind: 'heading' }) : ''}
${warnings.map((warning) => renderNotice(warning, { tone: 'warning', kind: 'heading' }))}
<h2>Scopes Okta granted</h2>
${grantedList(input.granted)}
<p>The same summary is in your Slack DM.</p>
${slackUrl ? html`<p><a class="button" href="${slackUrl}">Back to Slack</a></p>` : ''}`;

  return renderPage({ status: 200, title: `${input.nickname} is ${verb}`, main });
}
