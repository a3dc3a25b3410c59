import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createRepos, DATABASE_KINDS, openTestDatabase } from './testDatabase.ts';

describe.each(DATABASE_KINDS)('audit trail (%s)', (kind) => {
  const setup = async () => createRepos(await openTestDatabase(kind));

  it('lists a team’s events newest first, with their details', async () => {
    const { audit, clock } = await setup();
    await audit.record({
      teamId: 'T_ACME',
      connectionId: 'con_1',
      actor: 'U_ADMIN',
      action: 'connection.created',
    });
    clock.advance(1_000);
    await audit.record({
      teamId: 'T_ACME',
      connectionId: 'con_1',
      actor: 'system',
      action: 'connection.needs_reauth',
      details: { statusCode: 'invalid_grant', scopes: ['okta.users.read'] },
    });
    await audit.record({ teamId: 'T_OTHER', actor: 'U_ELSE', action: 'connection.created' });

    const events = await audit.list('T_ACME');
    expect(events.map((e) => e.action)).toEqual(['connection.needs_reauth', 'connection.created']);
    expect(events[0]).toMatchObject({
      actor: 'system',
      connectionId: 'con_1',
      details: { statusCode: 'invalid_grant', scopes: ['okta.users.read'] },
      at: clock(),
    });
  });

  it('filters by connection and limits the count', async () => {
    const { audit } = await setup();
    for (const connectionId of ['con_1', 'con_2', 'con_1']) {
      await audit.record({
        teamId: 'T_ACME',
        connectionId,
        actor: 'U_ADMIN',
        action: 'connection.tested',
      });
    }
    expect(await audit.list('T_ACME', { connectionId: 'con_1' })).toHaveLength(2);
    expect(await audit.list('T_ACME', { limit: 1 })).toHaveLength(1);
  });

  it('outlives the connection it names', async () => {
    const { audit, handle } = await setup();
    await audit.record({
      teamId: 'T_ACME',
      connectionId: 'con_gone',
      actor: 'U_ADMIN',
      action: 'connection.deleted',
    });
    expect(await handle.all(sql`SELECT id FROM connections`)).toEqual([]);
    expect(await audit.list('T_ACME', { connectionId: 'con_gone' })).toHaveLength(1);
  });

  it.each([
    ['clientSecret'],
    ['access_token'],
    ['refreshToken'],
    ['pkce-verifier'],
    ['password'],
    ['code'],
    ['Cookie'],
  ])('refuses a detail named %s, naming the key and not the value', async (key) => {
    const { audit } = await setup();
    const record = async () =>
      await audit.record({
        teamId: 'T_ACME',
        actor: 'U_ADMIN',
        action: 'connection.created',
        details: { okta: { [key]: 'the-secret-value' } },
      });
    const refusal = await record().then(
      () => null,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(refusal).toMatchObject({ code: 'audit_secret' });
    expect(refusal?.message).toMatch(new RegExp(`details\\.okta\\.${key}`));
    expect(refusal?.message).not.toMatch(/the-secret-value/);
    expect(await audit.list('T_ACME')).toEqual([]);
  });

  it('stores a value that is a JWT or a sealed value as [redacted], whatever its key', async () => {
    const { audit } = await setup();
    for (const value of [
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.sig',
      'v1.0123456789abcdef.aa.bb.cc',
    ]) {
      await audit.record({
        teamId: 'T_ACME',
        actor: 'system',
        action: 'x',
        details: { note: [value], login: value },
      });
    }
    const stored = JSON.stringify(await audit.list('T_ACME'));
    expect(stored).not.toContain('eyJhbGci');
    expect(stored).not.toContain('v1.0123456789abcdef');
    expect(await (await audit.list('T_ACME'))[0]?.details).toEqual({
      note: ['[redacted]'],
      login: '[redacted]',
    });
  });

  it('accepts error and status codes', async () => {
    const { audit } = await setup();
    await audit.record({
      teamId: 'T_ACME',
      actor: 'system',
      action: 'connection.failed',
      details: { errorCode: 'invalid_client', status_code: 401, scopeMode: 'custom' },
    });
    expect(await (await audit.list('T_ACME'))[0]?.details).toEqual({
      errorCode: 'invalid_client',
      status_code: 401,
      scopeMode: 'custom',
    });
  });
});
