import { createHash } from 'node:crypto';

/**
 * The one script a page may run: the copy button beside a value to paste elsewhere (the
 * public key on the setup page). Like the style block it is allowed by its hash, so it
 * is emitted verbatim. Without it the button stays hidden and the value is plain,
 * selectable text; when the clipboard is refused, the value is selected for Ctrl+C.
 */
export const COPY_SCRIPT = `
for (const button of document.querySelectorAll('button[data-copy]')) {
  const source = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.status);
  if (!source || !status) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    status.textContent = '';
    try {
      await navigator.clipboard.writeText(source.textContent);
      status.textContent = button.dataset.done;
    } catch {
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = button.dataset.fallback;
    }
  });
}
`;

/** The CSP source for `COPY_SCRIPT`: sha256 of its UTF-8 bytes, as browsers hash it. */
export const COPY_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(COPY_SCRIPT, 'utf8').digest('base64')}'`;
