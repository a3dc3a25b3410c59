import { describe, expect, it } from 'vitest';
import { messageText } from '../../../src/web/pages/messageHtml.ts';

describe('messageText', () => {
  it('shows backticked commands as code, escaped', () => {
    expect(String(messageText('Run `/okta-connect reauth <b>` in Slack & wait.'))).toBe(
      'Run <code>/okta-connect reauth &lt;b&gt;</code> in Slack &amp; wait.',
    );
  });

  it('shows a text with an unpaired backtick as it is', () => {
    expect(String(messageText('a `b <c>'))).toBe('a `b &lt;c&gt;');
  });

  it('keeps a text without backticks as plain escaped text', () => {
    expect(String(messageText('<script>alert(1)</script>'))).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });
});
