import { describe, expect, it } from 'vitest';
import { raiseAlert } from '../../src/flows/alerts.ts';
import { apiKeys, sha256Hex, startApi } from './apiSteps.ts';
import { connectActive, connectionNamed, textOf } from './connectionSteps.ts';
import { ADMIN } from './harness.ts';
import { seedActiveConnections } from './seed.ts';
import { messageIn, sharedHarness } from './slackChecks.ts';

const KEY = 'rename-test-api-key-0123456789abcdef';

describe('renaming a connection', () => {
  const harness = sharedHarness();

  it('renames with /okta-connect rename OLD NEW; history and the API follow, the old name answers 404 with the new one', async () => {
    const h = harness();
    const before = await connectActive(h, { nickname: 'acme old' });
    const api = await startApi(h, apiKeys([sha256Hex(KEY)]));
    const get = (name: string) =>
      fetch(`${api.url}/api/connections/${encodeURIComponent(name)}`, {
        headers: { Authorization: `Bearer ${KEY}` },
      });
    try {
      const answer = textOf(messageIn(await h.admin.command('rename acme old acme-new')));

      expect(answer).toContain('Renamed to acme-new');
      expect(answer).toContain('/api/connections/acme%20old now answers 404');
      const after = connectionNamed(h, 'acme-new');
      expect(after).toMatchObject({ id: before.id, status: 'active', nickname: 'acme-new' });
      expect(
        h.bot.flows.connections.findByNickname(h.slack.identity.teamId, 'acme old'),
      ).toBeNull();
      const history = h.bot.flows.audit.list(h.slack.identity.teamId, { connectionId: before.id });
      expect(history[0]).toMatchObject({
        action: 'connection.renamed',
        actor: ADMIN,
        details: { from: 'acme old', to: 'acme-new' },
      });
      expect(history.some((event) => event.action === 'connection.authorized')).toBe(true);

      const renamed = await get('acme-new');
      expect(renamed.status).toBe(200);
      expect(await renamed.json()).toMatchObject({ nickname: 'acme-new', id: before.id });
      const old = await get('ACME OLD');
      expect(old.status).toBe(404);
      expect(await old.json()).toMatchObject({ error: 'not_found', renamed_to: 'acme-new' });
      expect((await get('never-existed')).status).toBe(404);
    } finally {
      await api.stop();
    }
  });

  it('refuses a taken, a malformed or an unchanged name with the nickname rules, changing nothing', async () => {
    const h = harness();
    await seedActiveConnections(h, 2, { prefix: 'taken' });
    for (const [text, reason] of [
      ['rename taken-0 TAKEN-1', 'A connection named “TAKEN-1” already exists'],
      ['rename taken-0 <@U123>', 'Use letters, digits, spaces and . _ - only'],
      ['rename taken-0 taken-0', 'That is already its nickname'],
    ] as const) {
      const answer = textOf(messageIn(await h.admin.command(text)));
      expect(answer, text).toContain('Not renamed');
      expect(answer, text).toContain(reason);
    }
    expect(connectionNamed(h, 'taken-0').nickname).toBe('taken-0');
  });

  it('renames from the connection’s Rename button, with field errors in the modal, and the open alert follows', async () => {
    const h = harness();
    const [seeded] = await seedActiveConnections(h, 1, { prefix: 'alerting' });
    if (!seeded) throw new Error('no connection seeded');
    h.bot.flows.connections.markNeedsReauth(
      seeded.id,
      'invalid_grant',
      'Okta refused the refresh token.',
    );
    const broken = connectionNamed(h, 'alerting-0');
    await raiseAlert(h.bot.flows, h.bot.alerts, broken, {
      kind: 'needs_reauth',
      code: 'invalid_grant',
      text: 'Okta refused the refresh token.',
      since: Date.now(),
    });
    const [alert] = h.slack.messagesTo('CALERTS').filter((m) => textOf(m).includes('alerting-0'));
    if (!alert) throw new Error('no alert posted');

    const list = messageIn(await h.admin.command('list'));
    const opened = h.slack.callCount('views.open');
    await h.admin.clickInMessage(list, `conn_actions:${seeded.id}`, 'conn_rename');
    await h.slack.waitForCalls('views.open', opened + 1);
    expect(h.admin.currentView()).toMatchObject({ callback_id: 'rename_connection' });

    const refused = await h.admin.submit({ new_nickname: 'eyJhbGciOi.x.y' });
    expect(refused.outcome).toMatchObject({
      kind: 'errors',
      errors: { new_nickname: expect.stringContaining('looks like a token') },
    });
    const done = await h.admin.submit({ new_nickname: 'alerting-renamed' });
    expect(done.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'notice' } });
    expect(textOf(h.admin.currentView())).toContain('Renamed to alerting-renamed');

    expect(connectionNamed(h, 'alerting-renamed')).toMatchObject({
      id: seeded.id,
      status: 'needs_reauth',
    });
    await expect
      .poll(() => {
        const edited = h.slack.messagesTo('CALERTS').find((m) => m.ts === alert.ts);
        return edited ? textOf(edited) : '';
      })
      .toContain('alerting-renamed');
  });
});
