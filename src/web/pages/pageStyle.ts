import { createHash } from 'node:crypto';

/**
 * The one style block of every page. The CSP allows exactly this text by its hash, so
 * it must be emitted verbatim: no interpolation, and no `style` attributes anywhere
 * (they would need 'unsafe-hashes').
 */
export const PAGE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8;
  --surface: #ffffff;
  --text: #1c2230;
  --muted: #4b5567;
  --border: #d6dbe4;
  --field: #6b7587;
  --accent: #2346c4;
  --accent-hover: #1a379f;
  --accent-text: #ffffff;
  --focus: #0b1a4d;
  --code-bg: #eef1f6;
  --error: #b3261e;
  --error-bg: #fcefee;
  --warn: #8a5300;
  --warn-bg: #fff5e0;
  --ok: #1d7a3b;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #11141b;
    --surface: #1a1e28;
    --text: #e7eaf0;
    --muted: #a9b2c3;
    --border: #323949;
    --field: #8a93a6;
    --accent: #9db6ff;
    --accent-hover: #bccdff;
    --accent-text: #0c1227;
    --focus: #ffd166;
    --code-bg: #252b38;
    --error: #ff9b91;
    --error-bg: #34191a;
    --warn: #f3bd5a;
    --warn-bg: #2f2512;
    --ok: #74d496;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: anywhere;
}
.page { max-width: 40rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
.brand {
  display: flex; align-items: center; gap: 0.5rem; margin: 0 0 1.5rem;
  color: var(--muted); font-weight: 600;
}
.brand svg { color: var(--accent); flex: none; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; line-height: 1.3; margin: 2rem 0 0.5rem; }
p, ul, ol, dl { margin: 0 0 1rem; }
ul, ol { padding-left: 1.4rem; }
li + li { margin-top: 0.4rem; }
a { color: var(--accent); text-underline-offset: 0.15em; }
code, pre, input[type="password"] {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
code { font-size: 0.92em; background: var(--code-bg); border-radius: 4px; padding: 0.1em 0.3em; white-space: nowrap; }
pre {
  margin: 0 0 1rem; padding: 0.75rem; white-space: pre-wrap; word-break: break-all;
  background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px;
}
pre code { padding: 0; background: none; white-space: inherit; }
bdi, code, dd { unicode-bidi: isolate; }
.lead { color: var(--muted); }
.facts {
  display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; padding: 0.9rem 1rem;
  background: var(--surface); border: 1px solid var(--border); border-radius: 8px;
}
.facts dt { color: var(--muted); }
.facts dd { margin: 0; min-width: 0; }
.scopes { list-style: none; padding: 0; }
.scopes li { padding: 0.5rem 0.75rem; background: var(--surface); border: 1px solid var(--border); border-radius: 6px; }
.scopes .desc { display: block; color: var(--muted); font-size: 0.95em; }
.flag { display: block; color: var(--warn); font-size: 0.9em; font-weight: 600; }
.notice {
  margin: 0 0 1.25rem; padding: 0.9rem 1rem;
  border: 1px solid; border-left-width: 6px; border-radius: 6px;
}
.notice.error { border-color: var(--error); background: var(--error-bg); }
.notice.warning { border-color: var(--warn); background: var(--warn-bg); }
.notice-title { font-size: 1.05rem; font-weight: 700; margin: 0 0 0.4rem; }
.notice p:last-child { margin-bottom: 0; }
.mark-ok { color: var(--ok); }
.mark-error { color: var(--error); }
form {
  margin: 1.5rem 0; padding: 1rem;
  background: var(--surface); border: 1px solid var(--border); border-radius: 8px;
}
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.help { color: var(--muted); font-size: 0.95em; margin-bottom: 0.5rem; }
.field-error { color: var(--error); font-weight: 600; margin-bottom: 0.5rem; }
input[type="password"] {
  display: block; width: 100%; margin: 0 0 1rem; padding: 0.6rem 0.7rem; font-size: 1rem;
  color: var(--text); background: var(--bg); border: 1px solid var(--field); border-radius: 6px;
}
button, .button {
  display: inline-block; min-height: 2.75rem; padding: 0.55rem 1.2rem;
  font: inherit; font-weight: 600; text-decoration: none; cursor: pointer;
  color: var(--accent-text); background: var(--accent);
  border: 2px solid transparent; border-radius: 6px;
}
button:hover, .button:hover { background: var(--accent-hover); }
button.secondary { color: var(--accent); background: var(--surface); border-color: var(--accent); }
button.secondary:hover { background: var(--code-bg); }
[hidden] { display: none !important; }
.copy-row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; margin: 0 0 1rem; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
@media (max-width: 30rem) {
  h1 { font-size: 1.35rem; }
  .facts { grid-template-columns: 1fr; gap: 0.1rem; }
  .facts dd + dt { margin-top: 0.5rem; }
  button, .button { width: 100%; text-align: center; }
}
`;

/** The CSP source for `PAGE_CSS`: sha256 of its UTF-8 bytes, as browsers hash it. */
export const PAGE_CSS_SOURCE = `'sha256-${createHash('sha256').update(PAGE_CSS, 'utf8').digest('base64')}'`;
