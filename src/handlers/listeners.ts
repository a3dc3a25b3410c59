import type {
  App,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

export type ActionListener = Middleware<SlackActionMiddlewareArgs>;
export type ViewListener = Middleware<SlackViewMiddlewareArgs>;

/**
 * Where the handlers register: commands, events and options go straight to Bolt; block
 * actions by `action_id` and view submissions by `callback_id` are kept in two maps.
 */
export interface Listeners {
  command: App['command'];
  event: App['event'];
  options: App['options'];
  action(actionId: string, listener: ActionListener): void;
  view(callbackId: string, listener: ViewListener): void;
}

const literal = (id: string) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches exactly one of `ids`, as Bolt matches a string constraint. */
const exactly = (ids: Iterable<string>) => new RegExp(`^(?:${[...ids].map(literal).join('|')})$`);

/**
 * Runs `register` against a `Listeners`, then gives Bolt one listener for all the block
 * actions and one for all the view submissions. Bolt runs every registered listener's
 * matching middleware on every request: with the bot's 18 listeners that was a third of
 * the CPU a slash command cost (docs/benchmarks.md). An id nobody registered matches
 * neither listener, so Bolt treats it as unhandled, as before.
 */
export function registerOnce(app: App, register: (listeners: Listeners) => void): void {
  const actions = new Map<string, ActionListener>();
  const views = new Map<string, ViewListener>();
  const add = <T>(map: Map<string, T>, kind: string, id: string, listener: T) => {
    if (map.has(id)) throw new Error(`two ${kind} listeners for ${id}`);
    map.set(id, listener);
  };
  register({
    command: app.command.bind(app),
    event: app.event.bind(app),
    options: app.options.bind(app),
    action: (id, listener) => add(actions, 'action', id, listener),
    view: (id, listener) => add(views, 'view', id, listener),
  });
  if (actions.size > 0) {
    app.action(exactly(actions.keys()), async (args) => {
      const actionId = (args.payload as { action_id?: string }).action_id ?? '';
      await actions.get(actionId)?.(args);
    });
  }
  if (views.size > 0) {
    app.view(exactly(views.keys()), async (args) => {
      await views.get(args.view.callback_id)?.(args);
    });
  }
}
