import type { IdFactory } from './ids.ts';
import { type AppIds, toViewOutput, type ViewOutput } from './view-output.ts';

/** Slack: "you may only push two additional views" after opening one. */
export const MAX_VIEW_STACK = 3;

export interface StoredView {
  /** Current content, replaced (never mutated) on every update. */
  view: ViewOutput;
  userId: string | undefined;
  rootId: string;
  open: boolean;
  /** The last `response_action: errors` shown on this view, keyed by block_id. */
  errors: Record<string, string> | undefined;
}

export type ViewResult =
  | { ok: true; stored: StoredView }
  | {
      ok: false;
      error: 'not_found' | 'hash_conflict' | 'push_limit_reached' | 'duplicate_external_id';
    };

/** Modal stacks and Home tabs, per user, with Slack's stack and hash rules. */
export class ViewStore {
  private readonly byId = new Map<string, StoredView>();
  private readonly byExternalId = new Map<string, string>();
  private readonly stacks = new Map<string, string[]>();
  private readonly activeRoot = new Map<string, string>();
  private readonly homes = new Map<string, string>();
  /** The modal most recently opened, pushed or updated. */
  lastModalId: string | undefined;

  constructor(
    private readonly app: AppIds,
    private readonly ids: IdFactory,
  ) {}

  get(id: string): StoredView | undefined {
    return this.byId.get(id);
  }

  find(target: {
    viewId?: string | undefined;
    externalId?: string | undefined;
  }): StoredView | undefined {
    const id = target.viewId ?? this.byExternalId.get(target.externalId ?? '');
    return id === undefined ? undefined : this.byId.get(id);
  }

  open(spec: Record<string, unknown>, userId: string | undefined): ViewResult {
    if (this.externalIdTaken(spec)) return { ok: false, error: 'duplicate_external_id' };
    const id = this.ids.viewId();
    const stored = this.save(spec, { id, rootId: id, previousId: null }, userId);
    this.stacks.set(id, [id]);
    this.activeRoot.set(userId ?? '', id);
    return { ok: true, stored };
  }

  /** Pushes onto the stack `onto` belongs to (or the user's open stack). */
  push(
    spec: Record<string, unknown>,
    onto: string | undefined,
    userId: string | undefined,
  ): ViewResult {
    const base = onto ? this.byId.get(onto) : this.currentRootView(userId);
    const stack = base?.open ? this.stacks.get(base.rootId) : undefined;
    if (!base || !stack) return { ok: false, error: 'not_found' };
    if (stack.length >= MAX_VIEW_STACK) return { ok: false, error: 'push_limit_reached' };
    if (this.externalIdTaken(spec)) return { ok: false, error: 'duplicate_external_id' };
    const id = this.ids.viewId();
    const previousId = stack[stack.length - 1] ?? null;
    const stored = this.save(spec, { id, rootId: base.rootId, previousId }, base.userId);
    stack.push(id);
    return { ok: true, stored };
  }

  /** Replaces a view's content in place; a given `hash` must be the current one. */
  update(
    existing: StoredView,
    spec: Record<string, unknown>,
    hash: string | undefined,
  ): ViewResult {
    if (!existing.open) return { ok: false, error: 'not_found' };
    if (hash !== undefined && hash !== existing.view.hash)
      return { ok: false, error: 'hash_conflict' };
    const { id, root_view_id: rootId, previous_view_id: previousId } = existing.view;
    if (this.externalIdTaken(spec, id)) return { ok: false, error: 'duplicate_external_id' };
    const stored = this.save(spec, { id, rootId, previousId }, existing.userId);
    return { ok: true, stored };
  }

  publish(userId: string, spec: Record<string, unknown>, hash: string | undefined): ViewResult {
    const homeId = this.homes.get(userId);
    const existing = homeId === undefined ? undefined : this.byId.get(homeId);
    if (existing) return this.update(existing, spec, hash);
    const id = this.ids.viewId();
    this.homes.set(userId, id);
    return { ok: true, stored: this.save(spec, { id, rootId: id, previousId: null }, userId) };
  }

  /** Closes a view and everything pushed above it; closing a root closes its modal. */
  close(id: string): void {
    const stored = this.byId.get(id);
    const stack = stored ? this.stacks.get(stored.rootId) : undefined;
    if (!stored || !stack) return;
    const at = stack.indexOf(id);
    if (at < 0) return;
    for (const closed of stack.splice(at)) this.markClosed(closed);
  }

  /** `response_action: clear`: the whole modal goes away. */
  clear(id: string): void {
    const stored = this.byId.get(id);
    if (stored) this.close(stored.rootId);
  }

  stackOf(userId: string | undefined): StoredView[] {
    const root = this.currentRootView(userId);
    const ids = root ? (this.stacks.get(root.rootId) ?? []) : [];
    return ids.map((id) => this.byId.get(id)).filter((v): v is StoredView => v !== undefined);
  }

  home(userId: string): StoredView | undefined {
    const id = this.homes.get(userId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  private currentRootView(userId: string | undefined): StoredView | undefined {
    const rootId = this.activeRoot.get(userId ?? '');
    const root = rootId === undefined ? undefined : this.byId.get(rootId);
    return root?.open ? root : undefined;
  }

  private save(
    spec: Record<string, unknown>,
    place: { id: string; rootId: string | null; previousId: string | null },
    userId: string | undefined,
  ): StoredView {
    const view = toViewOutput(spec, place, this.app, this.ids);
    const stored: StoredView = {
      view,
      userId,
      rootId: place.rootId ?? place.id,
      open: true,
      errors: undefined,
    };
    this.byId.set(place.id, stored);
    if (view.external_id !== '') this.byExternalId.set(view.external_id, place.id);
    if (view.type === 'modal') this.lastModalId = place.id;
    return stored;
  }

  private markClosed(id: string): void {
    const stored = this.byId.get(id);
    if (!stored) return;
    stored.open = false;
    if (this.byExternalId.get(stored.view.external_id) === id) {
      this.byExternalId.delete(stored.view.external_id);
    }
  }

  private externalIdTaken(spec: Record<string, unknown>, self?: string): boolean {
    const ext = spec.external_id;
    if (typeof ext !== 'string' || ext === '') return false;
    const owner = this.byExternalId.get(ext);
    return owner !== undefined && owner !== self && this.byId.get(owner)?.open === true;
  }
}
