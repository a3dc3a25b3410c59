import { describe, expect, it } from 'vitest';
import { renderNotFoundPage } from '../../../src/web/pages/renderNotFoundPage.ts';
import { expectSafePage } from './pageChecks.ts';
import { byTag, textOf } from './parseHtml.ts';

describe('renderNotFoundPage', () => {
  it('answers 404 with a page that points back to Slack', () => {
    const page = renderNotFoundPage();
    expect(page.status).toBe(404);
    const document = expectSafePage(page, { formAction: ["'none'"] });
    expect(textOf(byTag(document, 'h1')[0]!)).toBe('Page not found');
    expect(textOf(document)).toContain('/okta-connect');
  });
});
