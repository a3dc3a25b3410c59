/** A small System Log: the events a bot might look for, served by GET /api/v1/logs. */
import { randomUUID } from 'node:crypto';
import type { PeerClock } from './clock.ts';
import type { User } from './model.ts';

interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  displayMessage: string;
  severity: 'INFO' | 'WARN';
  actor: { id: string; type: 'User'; alternateId: string; displayName: string };
  client: { id: string };
  outcome: { result: 'SUCCESS' | 'FAILURE'; reason: string | null };
}

/** Keeps the newest events only, so week-long simulated runs stay small. */
const MAX_EVENTS = 1000;

export class SystemLog {
  private readonly events: LogEvent[] = [];

  constructor(private readonly clock: PeerClock) {}

  record(
    eventType: string,
    displayMessage: string,
    user: User,
    clientId: string,
    outcome: LogEvent['outcome'] = { result: 'SUCCESS', reason: null },
  ): void {
    this.events.push({
      uuid: randomUUID(),
      published: new Date(this.clock.now()).toISOString(),
      eventType,
      displayMessage,
      severity: outcome.result === 'SUCCESS' ? 'INFO' : 'WARN',
      actor: {
        id: user.id,
        type: 'User',
        alternateId: user.login,
        displayName: `${user.firstName} ${user.lastName}`,
      },
      client: { id: clientId },
      outcome,
    });
    if (this.events.length > MAX_EVENTS) this.events.shift();
  }

  list(limit: number): LogEvent[] {
    return this.events.slice(-limit);
  }
}
