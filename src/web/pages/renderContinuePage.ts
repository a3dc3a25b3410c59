import type { AdminMessage } from '../../views/messages.ts';
import { html } from './html.ts';
import { renderNotice } from './messageHtml.ts';
import { type PageResponse, renderPage } from './page.ts';
import { absoluteUrl } from './urls.ts';

export interface ContinuePageInput {
  nickname: string;
  /** Okta's authorize URL, with this sign-in's state. */
  authorizeUrl: string;
  /** Which checks could not be made, and that the admin may go on. */
  notice: AdminMessage;
}

/**
 * After the secret was taken but Okta did not answer every check: instead of sending
 * the browser straight on, say so and let the admin continue to Okta.
 */
export function renderContinuePage(input: ContinuePageInput): PageResponse {
  const target = absoluteUrl(input.authorizeUrl, ['https:', 'http:']);
  if (target === undefined) throw new TypeError('authorizeUrl must be an http(s) URL');
  const main = html`<h1>Sign in to Okta for <bdi>${input.nickname}</bdi></h1>
${renderNotice(input.notice, { tone: 'warning', kind: 'heading' })}
<p><a class="button" id="continue" href="${target}">Continue to Okta</a></p>`;
  return renderPage({ status: 200, title: `Sign in to Okta for ${input.nickname}`, main });
}
