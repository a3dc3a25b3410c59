import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, emptyPostgresDatabase } from '../db/testDatabase.ts';
import { ADMIN, CLIENT_SECRET, type Harness, ORG, startHarness } from './harness.ts';
import { authorizeInBrowser, lastDm, linkIn, runWizard } from './journey.ts';
import { expectSlackAccepted } from './slackChecks.ts';

describe.each(DATABASE_KINDS.filter((kind) => kind !== 'memory'))(
  'creating a connection end to end (%s)',
  (kind) => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness(
        kind === 'postgres' ? { databaseUrl: await emptyPostgresDatabase() } : {},
      );
    });
    afterEach(async () => {
      try {
        expectSlackAccepted(h);
      } finally {
        await h.close();
      }
    });

    it('walks from the slash command to an active connection with sealed tokens', async () => {
      const last = await runWizard(h, {
        scopeMode: 'custom',
        pick: ['okta.users.read', 'okta.roles.read'],
        typed: 'okta.apps.read',
      });
      expect(last.outcome).toMatchObject({
        kind: 'updated',
        view: { callback_id: 'connect_done' },
      });

      const pending = await h.bot.flows.connections.findByNickname(
        h.slack.identity.teamId,
        'ACME-PROD',
      );
      expect(pending).toMatchObject({ status: 'pending', domain: ORG });
      const dm = await lastDm(h, ADMIN, 1);
      const link = linkIn(dm);
      expect(link.startsWith(`${h.publicUrl}/connect/`)).toBe(true);

      const { setup, posted, callback } = await authorizeInBrowser(h, link);
      expect(setup.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(setup.body).toContain(`${h.publicUrl}/oauth/okta/callback`);
      expect(new URL(posted.location ?? '').origin).toBe(h.okta.origin);
      expect(callback.status).toBe(200);
      expect(callback.body).toContain('acme-prod');

      const active = await h.bot.flows.connections.findByNickname(
        h.slack.identity.teamId,
        'acme-prod',
      );
      expect(active).toMatchObject({
        status: 'active',
        authorizedLogin: 'ada@acme.example',
        authorizedBy: ADMIN,
        hasRefreshToken: true,
        hasClientSecret: true,
      });
      expect(active?.grantedScopes).toEqual(
        expect.arrayContaining(['okta.users.read', 'okta.roles.read']),
      );
      expect(active?.grantedScopes).not.toContain('okta.apps.read');

      const [raw] = await h.database.all<Record<string, string>>(
        sql`SELECT client_secret, access_token, refresh_token FROM connections WHERE id = ${active?.id}`,
      );
      if (!raw) throw new Error('the connection has no row');
      for (const value of Object.values(raw)) expect(value.startsWith('v1.')).toBe(true);
      expect(JSON.stringify(raw)).not.toContain(CLIENT_SECRET);

      const result = await lastDm(h, ADMIN, 2);
      const text = JSON.stringify(result.blocks);
      expect(text).toContain('okta.apps.read');
      expect(text).toMatch(/Okta API Scopes/);
      // The dropped scope is reported once, in the DM and on the page.
      expect(text.split('Okta dropped some scopes')).toHaveLength(2);
      expect(result.text).toContain('with 1 warning.');
      expect(callback.body.split('Okta dropped some scopes')).toHaveLength(2);
    });
  },
);
