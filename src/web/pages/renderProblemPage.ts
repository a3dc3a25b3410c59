import type { AdminMessage } from '../../views/messages.ts';
import { html } from './html.ts';
import { messageParagraphs } from './messageHtml.ts';
import { type PageResponse, renderPage } from './page.ts';
import { linkTarget } from './urls.ts';

export interface ProblemPageInput {
  message: AdminMessage;
  /** The HTTP status to answer with, e.g. 400, 403, 410, 502. */
  status: number;
  /** A same-origin path or http(s) URL for "Try again"; anything else is not shown. */
  retryUrl?: string;
  nickname?: string;
}

/** A setup or callback step that failed: what happened and what to do, from `failureMessage`. */
export function renderProblemPage(input: ProblemPageInput): PageResponse {
  const retryUrl = input.retryUrl === undefined ? undefined : linkTarget(input.retryUrl);
  const main = html`<div class="notice error">
<h1><span class="mark-error" aria-hidden="true">!</span> ${input.message.title}</h1>
${messageParagraphs(input.message)}
</div>
${input.nickname === undefined ? '' : html`<dl class="facts">\n<dt>Connection</dt><dd><bdi>${input.nickname}</bdi></dd>\n</dl>`}
${retryUrl ? html`<p><a class="button" href="${retryUrl}">Try again</a></p>` : ''}`;

  return renderPage({ status: input.status, title: input.message.title, main });
}
