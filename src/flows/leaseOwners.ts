import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { FlowDeps } from './deps.ts';

/**
 * Who holds a refresh lease: `host:pid:random`, the form the composition root gives the
 * health sweep. The host and pid let a restarted bot tell that a lease's holder no longer
 * runs; the random part tells apart two lives of one pid (a container restarted as pid 1).
 */
export function processLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * The host and pid of a `host:pid:random` owner, also with a suffix (`…:api`, the
 * connection API's refreshes); null for any other form.
 */
export function parseLeaseOwner(owner: string): { host: string; pid: number } | null {
  const match = /^([^:]+):(\d+):[^:]/.exec(owner);
  if (!match?.[1] || !match[2]) return null;
  return { host: match[1], pid: Number(match[2]) };
}

/** Whether a process with this pid runs on this host (a zombie does not count). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: field 3 of /proc/PID/stat is the state; Z is killed but not yet reaped.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Start-up, before this process takes any lease. A bot killed in the middle of a refresh
 * leaves its lease behind for a minute, and with refresh token rotation that minute is
 * longer than Okta's grace period (30 s by default) for the token it was replacing: by the
 * time the lease runs out, refreshing with the stored token revokes the connection. So
 * the leases of processes on this host that no longer run (or an earlier life of this
 * pid) are expired now, and the first sweep retries at once, within the grace period.
 * Leases of other hosts, and of live processes, are left to run out.
 */
export async function expireLeasesOfStoppedProcesses(
  deps: Pick<FlowDeps, 'connections' | 'logger' | 'now'>,
  self: { host: string; pid: number } = { host: hostname(), pid: process.pid },
  running: (pid: number) => boolean = isProcessRunning,
): Promise<number> {
  const now = deps.now();
  let expired = 0;
  for (const owner of await deps.connections.liveLeaseOwners(now)) {
    const holder = parseLeaseOwner(owner);
    if (!holder || holder.host !== self.host) continue;
    if (holder.pid !== self.pid && running(holder.pid)) continue;
    const count = await deps.connections.expireLeasesOf(owner, now);
    expired += count;
    deps.logger.warn(
      { owner, connections: count },
      'a refresh was interrupted when its process stopped; retrying it now',
    );
  }
  return expired;
}
