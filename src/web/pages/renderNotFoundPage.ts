import { html } from './html.ts';
import { type PageResponse, renderPage } from './page.ts';

/** Any path the bot does not serve. */
export function renderNotFoundPage(): PageResponse {
  return renderPage({
    status: 404,
    title: 'Page not found',
    main: html`<h1>Page not found</h1>
<p>This address is not one of the bot’s pages.</p>
<p>Open the link from your DM with the bot, or run <code>/okta-connect</code> in Slack.</p>`,
  });
}
