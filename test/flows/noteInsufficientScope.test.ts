import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionsRepo.ts';
import type { AlertChannel, Incident } from '../../src/flows/alerts.ts';
import { noteInsufficientScope } from '../../src/flows/noteInsufficientScope.ts';
import { activeConnection, createRepos, flowDeps, openTestDatabase } from '../db/testDatabase.ts';

/** An alert channel that remembers what it was asked to do, standing in for Slack. */
function recordingAlerts() {
  const posted: Incident[] = [];
  const edited: Incident[] = [];
  const alerts: AlertChannel = {
    async open(_connection, incident) {
      posted.push(incident);
      return { channel: 'C_OPS', ts: `1700000000.00010${posted.length}` };
    },
    async edit(_connection, _place, incident) {
      edited.push(incident);
      return true;
    },
    async resolve() {},
  };
  return { alerts, posted, edited };
}

async function setup() {
  const repos = createRepos(await openTestDatabase('memory'));
  const deps = flowDeps(repos);
  return { repos, deps, connection: await activeConnection(repos), ...recordingAlerts() };
}

/** Alerts are raised without holding up the caller; let them land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('noteInsufficientScope', () => {
  it('marks an active connection with the missing scope and alerts once', async () => {
    const { deps, connection, alerts, posted, repos } = await setup();

    const marked = await noteInsufficientScope(deps, alerts, connection, 'okta.logs.read');
    await settle();

    expect(marked).toMatchObject({
      status: 'active',
      attention: { code: 'insufficient_scope', scope: 'okta.logs.read' },
    });
    expect(marked.attention?.text).toContain('okta.logs.read');
    expect(posted).toEqual([
      expect.objectContaining({ kind: 'attention', scope: 'okta.logs.read' }),
    ]);
    const audited = await (await repos.audit.list(connection.teamId)).map((event) => event.action);
    expect(audited).toEqual(['alert.posted', 'connection.attention']);
  });

  it('changes nothing when the same scope is refused again, even from a stale read', async () => {
    const { deps, connection, alerts, posted, edited } = await setup();
    await noteInsufficientScope(deps, alerts, connection, 'okta.logs.read');
    const again = await noteInsufficientScope(deps, alerts, connection, 'okta.logs.read');
    await settle();

    expect(again.attention?.scope).toBe('okta.logs.read');
    expect(posted).toHaveLength(1);
    expect(edited).toHaveLength(0);
  });

  it('adds a second missing scope to the mark and edits the open alert', async () => {
    const { deps, connection, alerts, posted, edited } = await setup();
    await noteInsufficientScope(deps, alerts, connection, 'okta.logs.read');
    await settle();
    const current = (await deps.connections.findById(
      connection.teamId,
      connection.id,
    )) as Connection;

    const both = await noteInsufficientScope(
      deps,
      alerts,
      current,
      'okta.groups.read okta.logs.read',
    );
    await settle();

    expect(both.attention?.scope).toBe('okta.logs.read okta.groups.read');
    expect(posted).toHaveLength(1);
    expect(edited).toEqual([expect.objectContaining({ scope: 'okta.logs.read okta.groups.read' })]);
  });

  it('leaves a connection that is no longer active alone', async () => {
    const { deps, connection, alerts, posted } = await setup();
    const stopped = await deps.connections.markNeedsReauth(connection.id, 'invalid_grant', null);
    if (!stopped.ok) throw new Error(stopped.code);

    const after = await noteInsufficientScope(deps, alerts, stopped.connection, 'okta.logs.read');
    await settle();

    expect(after.attention).toBeNull();
    expect(posted).toHaveLength(0);
  });
});
