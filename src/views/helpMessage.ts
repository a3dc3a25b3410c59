import { context, header, message, type SlackMessage, section } from './blocks.ts';

const COMMANDS: readonly (readonly [usage: string, what: string])[] = [
  ['`/okta-connect` or `/okta-connect new`', 'Create a connection to an Okta org, step by step.'],
  [
    '`/okta-connect list`',
    'See this workspace’s connections, their status and buttons to manage them.',
  ],
  ['`/okta-connect test NAME`', 'Check that a connection works by calling the Okta API with it.'],
  [
    '`/okta-connect reauth NAME`',
    'Sign in to Okta again for a connection; its scopes are kept unless you change them.',
  ],
  [
    '`/okta-connect scopes NAME`',
    'Change the scopes a connection asks for; it then needs reauthorizing.',
  ],
  [
    '`/okta-connect rename NAME NEW-NAME`',
    'Give a connection a new nickname; its history, alerts and tokens stay with it (without NEW-NAME a form asks for it).',
  ],
  ['`/okta-connect delete NAME`', 'Revoke a connection’s tokens at Okta and erase it.'],
  [
    '`/okta-connect apikey new NAME` · `apikey list` · `apikey revoke NAME`',
    'Create, see or revoke keys of the connection API, each limited to chosen connections and actions.',
  ],
  [
    '`/okta-connect rotate-keypair NAME`',
    'Give a key-pair connection a new key: add it in Okta, and the bot switches once Okta accepts it.',
  ],
  ['`/okta-connect help`', 'Show this list.'],
];

/** The commands, one line each; also the answer to words the bot does not know. */
export function helpMessage(): SlackMessage {
  return message(
    'Okta connections: /okta-connect new, list, test, reauth, scopes, rename, delete, rotate-keypair, help.',
    [
      header('Okta connections'),
      section(COMMANDS.map(([usage, what]) => `${usage} — ${what}`).join('\n')),
      context(
        'NAME is a connection’s nickname, as shown by `/okta-connect list`. The client secret is never typed into Slack: the bot sends you a private link to its own page for it (a key-pair connection needs no secret at all).',
      ),
    ],
  );
}
