import { COPY_SCRIPT } from './copyScript.ts';
import { type HtmlValue, html, raw } from './html.ts';
import { type FormTargets, pageHeaders, REFERRER_POLICY } from './pageHeaders.ts';
import { PAGE_CSS } from './pageStyle.ts';

/** What every renderer returns; the route writes `status`, `headers` and `html` as they are. */
export interface PageResponse {
  status: number;
  html: string;
  headers: Record<string, string>;
}

interface PageInput {
  status: number;
  /** The document title, before " · okta-connect". */
  title: string;
  main: HtmlValue;
  formTargets?: FormTargets;
  /** Adds the copy-button script (and allows it in the CSP). */
  copyButtons?: boolean;
}

const MARK_PATHS =
  '<circle cx="16" cy="16" r="10" fill="none" stroke="currentColor" stroke-width="4"/>' +
  '<circle cx="16" cy="16" r="3.5" fill="currentColor"/>';

// A data: icon (allowed by `img-src data:`) also stops the browser asking for /favicon.ico.
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" color="#2346c4">${MARK_PATHS}</svg>`,
)}`;

const BRAND = raw(
  `<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">${MARK_PATHS}</svg>`,
);

export function renderPage({
  status,
  title,
  main,
  formTargets = 'none',
  copyButtons = false,
}: PageInput): PageResponse {
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="${REFERRER_POLICY}">
<meta name="robots" content="noindex">
<title>${title} · okta-connect</title>
<link rel="icon" href="${FAVICON}">
<style>${raw(PAGE_CSS)}</style>
</head>
<body>
<div class="page">
<header class="brand">${BRAND}<span>okta-connect</span></header>
<main>
${main}
</main>
</div>
${
  copyButtons
    ? html`<script>${raw(COPY_SCRIPT)}</script>
`
    : ''
}</body>
</html>
`;
  return { status, html: document.toString(), headers: pageHeaders(formTargets, copyButtons) };
}
