import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPES } from '../../src/okta/scopeCatalog.ts';
import { warningMessage } from '../../src/views/messages.ts';
import { setupLinkMessage } from '../../src/views/setupLinkMessage.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { expectNothingRaw, HOSTILE, NOW } from './fixtures.ts';

const URL = 'https://okta-connect.example.com/connect/tok_abcdefghijklmnopqrstuvwxyz';

type Input = Parameters<typeof setupLinkMessage>[0];

function build(overrides: Partial<Input> = {}) {
  return setupLinkMessage({
    nickname: 'acme-prod',
    domain: 'acme.okta.com',
    url: URL,
    expiresAt: NOW + 15 * 60_000,
    purpose: 'create',
    requestedScopes: DEFAULT_SCOPES,
    unknownScopes: [],
    ...overrides,
  });
}

function buttons(m: ReturnType<typeof build>) {
  return m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

describe('setupLinkMessage', () => {
  it('puts the link in a primary button', () => {
    const m = build();
    expect(buttons(m)).toEqual([
      expect.objectContaining({
        type: 'button',
        action_id: 'open_setup_link',
        url: URL,
        style: 'primary',
      }),
    ]);
    expect(checkLimits(m)).toEqual([]);
  });

  it('keeps the link out of the notification text', () => {
    expect(build().text).not.toContain(URL);
    expect(build().text).toContain('acme-prod');
  });

  it('says what it is for, the org, and until when the link works', () => {
    const text = mrkdwnTexts(build()).join('\n');
    expect(text).toContain('*Finish connecting acme-prod* to `acme.okta.com`');
    expect(text).toContain('`acme.okta.com`');
    expect(text).toContain('client secret');
    expect(text).toContain('works once, until 14:20 UTC (15 minutes)');
    expect(mrkdwnTexts(build({ purpose: 'reauthorize' })).join('\n')).toContain('Reauthorize');
  });

  it('lists the requested scopes', () => {
    const text = mrkdwnTexts(build()).join('\n');
    for (const scope of DEFAULT_SCOPES) expect(text).toContain(`\`${scope}\``);
  });

  it('lists as many scopes as fit and counts the rest', () => {
    const many = Array.from({ length: 400 }, (_, i) => `okta.resource${i}.manage`);
    const m = build({ requestedScopes: many });
    expect(checkLimits(m)).toEqual([]);
    expect(mrkdwnTexts(m).join('\n')).toMatch(/and \d+ more/);
  });

  it('flags scopes the bot does not know', () => {
    const m = build({ unknownScopes: ['okta.custom.read'] });
    const text = mrkdwnTexts(m).join('\n');
    const warning = warningMessage('scopes_unknown', { scopes: ['okta.custom.read'] });
    expect(text).toContain(`:warning: *${warning.title}*`);
    expect(text).toContain('okta.custom.read');
    expect(mrkdwnTexts(build()).join('\n')).not.toContain(warning.title);
  });

  it('refuses a URL that Slack would not accept in a button', () => {
    expect(() => build({ url: `https://x.example/${'a'.repeat(3000)}` })).toThrow(/URL/);
  });

  it.each(HOSTILE)('shows the hostile nickname %j inertly', (nickname) => {
    const m = build({ nickname, unknownScopes: [nickname] });
    expect(checkLimits(m)).toEqual([]);
    expectNothingRaw(m);
  });
});
