import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../src/views/messages.ts';
import {
  checkDmView,
  notFoundMessage,
  noticeView,
  refusalMessage,
  simpleNotice,
} from '../../src/views/notices.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { expectNothingRaw, HOSTILE, shownText } from './fixtures.ts';

const LONG = {
  title: 'None of the requested Okta API scopes is granted to the app',
  text: 'Okta answered consent_required.',
  next: 'Grant the scopes on the Okta API Scopes tab, then authorize again.',
};

describe('checkDmView', () => {
  it('closes the wizard with a pointer to the DM', () => {
    const v = checkDmView({ nickname: 'acme-prod', purpose: 'create' });
    expect(v.callback_id).toBe('connect_done');
    expect(v.title.text).toBe('Check your DMs');
    expect(v.submit).toBeUndefined();
    expect(v.close?.text).toBe('Done');
    expect(mrkdwnTexts(v).join('\n')).toContain(
      'I sent you a direct message with a link to enter the client secret and sign in to Okta',
    );
    expect(mrkdwnTexts(v).join('\n')).toContain('The link works once, for 15 minutes.');
    expect(checkLimits(v)).toEqual([]);
  });

  it('says a reauthorization reuses the stored secret', () => {
    const v = checkDmView({ nickname: 'acme-prod', purpose: 'reauthorize' });
    expect(mrkdwnTexts(v).join('\n')).toContain('stored client secret');
  });

  it.each(HOSTILE)('shows the hostile nickname %j inertly', (nickname) => {
    const v = checkDmView({ nickname, purpose: 'create' });
    expect(checkLimits(v)).toEqual([]);
    expectNothingRaw(v);
  });
});

describe('noticeView', () => {
  it('fits the title in the modal title and shows it whole in a header', () => {
    const v = noticeView(LONG);
    expect(v.callback_id).toBe('notice');
    expect(v.title.text).toHaveLength(24);
    expect(v.title.text.endsWith('…')).toBe(true);
    expect(v.blocks[0]).toMatchObject({ type: 'header', text: { text: LONG.title } });
    expect(v.close?.text).toBe('Close');
    expect(v.submit).toBeUndefined();
    expect(mrkdwnTexts(v).join('\n')).toContain(LONG.next);
    expect(checkLimits(v)).toEqual([]);
  });

  it('escapes what Okta said', () => {
    const v = noticeView(failureMessage('okta_error', { description: '<https://evil|click>' }));
    expect(mrkdwnTexts(v).join('\n')).toContain('&lt;https://evil|click&gt;');
    expectNothingRaw(v);
  });
});

describe('simpleNotice', () => {
  it('shows title, what happened and what to do', () => {
    const m = simpleNotice(LONG);
    const text = mrkdwnTexts(m).join('\n');
    for (const part of Object.values(LONG)) expect(text).toContain(part);
    expect(checkLimits(m)).toEqual([]);
  });
});

describe('refusalMessage', () => {
  it.each(['not_allowed', 'role_unknown'] as const)('explains %s', (code) => {
    const m = refusalMessage(code);
    expect(shownText(m)).toContain(failureMessage(code).title);
    expect(shownText(m)).toContain(failureMessage(code).next);
    expect(checkLimits(m)).toEqual([]);
  });
});

describe('notFoundMessage', () => {
  it('names the missing connection and points to the list', () => {
    const text = mrkdwnTexts(notFoundMessage('acme-prod')).join('\n');
    expect(text).toContain('There is no connection named “acme-prod” in this workspace.');
    expect(text).toContain('`/okta-connect list`');
  });

  it.each(HOSTILE)('shows the hostile name %j inertly', (nickname) => {
    const m = notFoundMessage(nickname);
    expect(checkLimits(m)).toEqual([]);
    expectNothingRaw(m);
  });

  it('shortens a very long name', () => {
    const m = notFoundMessage('x'.repeat(4000));
    expect(checkLimits(m)).toEqual([]);
    expect(m.text.length).toBeLessThan(400);
  });
});
