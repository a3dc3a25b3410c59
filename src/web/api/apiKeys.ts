import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ALL_ACTIONS, type ApiPrincipal } from '../../flows/apiKeyAccess.ts';

/** One key allowed to use the connection API, known only by the SHA-256 of its value. */
export interface ApiKey {
  /** The first 8 hex digits of the hash: names the key in logs and audit rows, and gives nothing away. */
  id: string;
  hash: Buffer;
  /** The only Slack team whose connections the key reaches; null: every team. */
  teamId: string | null;
}

export type ApiKeysResult = { ok: true; keys: ApiKey[] } | { ok: false; message: string };

const hashText = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/)
  .transform((hex) => hex.toLowerCase());
/** A Slack workspace (T…) or Enterprise Grid org (E…) id. */
export const slackTeamId = z.string().regex(/^[TE][A-Z0-9]{2,}$/);

const FORM =
  'expected HASH or TEAMID:HASH, where HASH is the SHA-256 of the key in hex (printf %s "$KEY" | sha256sum) and TEAMID a Slack team id like T024BE7LH';

/**
 * `API_KEY_HASHES`: comma-separated `HASH` (every team) or `TEAMID:HASH` (that team
 * only). Hashes, not keys, live in the environment so that a leaked environment does not
 * leak access. A problem names the entry by position, never by value.
 */
export function parseApiKeyHashes(text: string | undefined): ApiKeysResult {
  const keys: ApiKey[] = [];
  const entries = (text ?? '').split(',').map((entry) => entry.trim());
  for (const [index, entry] of entries.entries()) {
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const team = colon === -1 ? null : slackTeamId.safeParse(entry.slice(0, colon));
    const hash = hashText.safeParse(colon === -1 ? entry : entry.slice(colon + 1));
    if (!hash.success || (team !== null && !team.success)) {
      return { ok: false, message: `API_KEY_HASHES: entry ${index + 1}: ${FORM}` };
    }
    const id = hash.data.slice(0, 8);
    // The id names the key in the audit trail, so two keys must never share one.
    if (keys.some((key) => key.id === id)) {
      return {
        ok: false,
        message: `API_KEY_HASHES: entry ${index + 1} repeats a key (or one whose hash starts alike); give each tool its own key`,
      };
    }
    keys.push({ id, hash: Buffer.from(hash.data, 'hex'), teamId: team?.data ?? null });
  }
  return { ok: true, keys };
}

/**
 * The configured key whose hash is the SHA-256 of `presented`, if any. Every key is
 * compared, each in constant time, so the answer's timing does not tell how close a
 * guess came or which key it matched.
 */
export function matchApiKey(keys: readonly ApiKey[], presented: string): ApiKey | null {
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let found: ApiKey | null = null;
  for (const key of keys) {
    if (timingSafeEqual(digest, key.hash) && found === null) found = key;
  }
  return found;
}

/** A bootstrap key's rights: every connection of its team (or of every team), every action. */
export function principalOf(key: ApiKey): ApiPrincipal {
  return {
    id: key.id,
    name: null,
    teamId: key.teamId,
    connectionIds: null,
    actions: new Set(ALL_ACTIONS),
  };
}
