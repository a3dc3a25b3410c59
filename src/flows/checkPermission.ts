/** What the bot needs to know about a Slack user to decide who may manage connections. */
export interface SlackUserFacts {
  isAdmin: boolean;
  isOwner: boolean;
  deleted: boolean;
}

export interface UserDirectory {
  /** null when Slack does not know the user. Throws when Slack cannot be asked. */
  lookup(userId: string): Promise<SlackUserFacts | null>;
}

export type PermissionResult =
  | { ok: true; via: 'admin_user_ids' | 'workspace_admin' }
  | { ok: false; code: 'not_allowed' | 'role_unknown' };

/**
 * A workspace admin who is demoted should lose access quickly, but asking Slack on every
 * click would cost a users.info call per button: five minutes is the compromise.
 */
const ROLE_CACHE_MS = 5 * 60 * 1000;

/**
 * Only `ADMIN_USER_IDS`, or — when that is unset — workspace admins and owners may
 * manage connections. Called on every command, button and submission.
 */
export function createPermissionCheck(options: {
  adminUserIds: readonly string[] | null;
  directory: UserDirectory;
  now?: () => number;
}) {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; allowed: boolean }>();
  return async function checkPermission(userId: string): Promise<PermissionResult> {
    if (options.adminUserIds) {
      return options.adminUserIds.includes(userId)
        ? { ok: true, via: 'admin_user_ids' }
        : { ok: false, code: 'not_allowed' };
    }
    const cached = cache.get(userId);
    if (cached && now() - cached.at < ROLE_CACHE_MS) {
      return cached.allowed
        ? { ok: true, via: 'workspace_admin' }
        : { ok: false, code: 'not_allowed' };
    }
    let facts: SlackUserFacts | null;
    try {
      facts = await options.directory.lookup(userId);
    } catch {
      return { ok: false, code: 'role_unknown' };
    }
    const allowed = !!facts && !facts.deleted && (facts.isAdmin || facts.isOwner);
    cache.set(userId, { at: now(), allowed });
    if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
    return allowed ? { ok: true, via: 'workspace_admin' } : { ok: false, code: 'not_allowed' };
  };
}

export type PermissionCheck = ReturnType<typeof createPermissionCheck>;
