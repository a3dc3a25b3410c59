import type { AdminMessage } from '../../views/messages.ts';
import { html, type SafeHtml } from './html.ts';

/**
 * Message texts mark commands with backticks, as Slack mrkdwn does; on a page they
 * become `<code>`. A text with an unpaired backtick is shown as it is.
 */
export function messageText(text: string): SafeHtml {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return html`${text}`;
  return html`${parts.map((part, index) => (index % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

/** What happened, then what to do: the body of every message on a page. */
export function messageParagraphs(message: AdminMessage): SafeHtml {
  return html`<p>${messageText(message.text)}</p>
<p><strong>What to do:</strong> ${messageText(message.next)}</p>`;
}

interface NoticeOptions {
  tone: 'error' | 'warning';
  /** `heading` when the notice sits under the page's h1, `alert` for a form error above it. */
  kind: 'heading' | 'alert';
}

/** A framed message: an h2 for warnings on a result page, an alert box for a form error. */
export function renderNotice(message: AdminMessage, { tone, kind }: NoticeOptions): SafeHtml {
  return kind === 'alert'
    ? html`<div class="notice ${tone}" role="alert">
<p class="notice-title">${message.title}</p>
${messageParagraphs(message)}
</div>`
    : html`<section class="notice ${tone}">
<h2 class="notice-title">${message.title}</h2>
${messageParagraphs(message)}
</section>`;
}
