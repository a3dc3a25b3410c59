import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionsRepo.ts';
import { decodeWizard, encodeWizard, type WizardState } from '../../src/handlers/wizardState.ts';
import { ADMIN, CLIENT_ID, type Harness, ORG, SIGNING_SECRET } from '../e2e/harness.ts';
import { seedActiveConnections } from '../e2e/seed.ts';
import { blockActions, type ViewLike, viewSubmission } from '../peers/slack/index.ts';
import type { StateValues } from '../peers/slack/requests/element-state.ts';
import { eventually } from '../waitUntil.ts';
import { hostileHarness, hostileText, type ModalAnswer, readModalAnswer } from './support.ts';

/** What the details step may accept: one label under an Okta-hosted suffix, nothing else. */
const OKTA_ORG_HOST =
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.(?:okta\.com|oktapreview\.com|okta-emea\.com|okta-gov\.com|okta\.mil|okta-miltest\.com|trex-gov\.com)$/;
const NICKNAME_SHAPE = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._-]*[\p{L}\p{N}])?$/u;
const PREREQS = ['assigned', 'scopes_granted', 'super_admin'];
const CATALOG_PICKS = ['okta.users.read', 'okta.groups.read', 'okta.logs.read', 'okta.apps.read'];
const RUNS = 60;

const text = (value: string) => ({ type: 'plain_text_input', value });
const radio = (value: string | null) => ({
  type: 'radio_buttons',
  selected_option: value === null ? null : { value },
});
const picks = (type: string, values: string[]) => ({
  type,
  selected_options: values.map((value) => ({ value })),
});

/** Sometimes what a person would type, mostly what an attacker would. */
const fieldValue = (valid: string[], validWeight = 1) =>
  fc.oneof(
    { weight: validWeight, arbitrary: fc.constantFrom(...valid) },
    { weight: 2, arbitrary: hostileText() },
  );

/** The metadata the bot wrote, something else that parses, or junk. */
const metadataFor = (real: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(real) },
    { weight: 1, arbitrary: hostileText({ maxLength: 5000 }) },
    {
      weight: 1,
      arbitrary: fc
        .record({
          v: fc.oneof(fc.constant(1), fc.integer()),
          channelId: fc.oneof(fc.constant(null), hostileText({ maxLength: 80 })),
          orgKind: fc.constantFrom('home', 'other', 'evil'),
          nickname: hostileText({ maxLength: 250 }),
          domain: fc.constantFrom('127.0.0.1', 'acme.okta.com.evil.com', ORG, 'localhost'),
          clientId: hostileText({ maxLength: 120 }),
        })
        .map((state) => JSON.stringify(state)),
    },
  );

describe('hostile input in the create wizard, through the real receiver', () => {
  let h: Harness;
  let orgView: ViewLike;
  let detailsView: ViewLike;
  let permissionsView: ViewLike;
  let submissions = 0;

  /** A view_submission of `view` with exactly these `state.values`, signed as Slack would. */
  async function submitRaw(
    view: ViewLike,
    stateValues: StateValues,
  ): Promise<{ answer: ModalAnswer; sent: number }> {
    submissions += 1;
    const request = viewSubmission({
      signingSecret: SIGNING_SECRET,
      userId: ADMIN,
      teamId: h.slack.identity.teamId,
      view,
      stateValues,
    });
    const response = await request.send(h.requestUrl);
    const sent = Buffer.byteLength(request.body);
    return { answer: readModalAnswer(response, view, sent), sent };
  }

  hostileHarness(
    { env: { HOME_OKTA_DOMAIN: ORG, HOME_OKTA_CLIENT_ID: CLIENT_ID } },
    async (started) => {
      h = started;
      await h.admin.command('');
      await h.slack.waitForCalls('views.open', 1);
      orgView = h.admin.currentView();
      await h.admin.submit({ prereqs: PREREQS, org_kind: 'other' });
      detailsView = h.admin.currentView();
      await h.admin.submit({ nickname: 'seen-before', domain: ORG, client_id: CLIENT_ID });
      permissionsView = h.admin.currentView();
    },
  );

  it('answers the org step with a prerequisites error, the details step or a restart, whatever is ticked or tampered', async () => {
    const real = String(orgView.private_metadata);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(fieldValue(PREREQS), { maxLength: 5 }),
          fc.array(fieldValue(PREREQS), { maxLength: 2 }).map((extra) => [...PREREQS, ...extra]),
        ),
        fc.option(fieldValue(['home', 'other'])),
        metadataFor(real),
        async (ticked, orgKind, metadata) => {
          const view = { ...orgView, private_metadata: metadata };
          const { answer } = await submitRaw(view, {
            prereqs: { prereqs: picks('checkboxes', ticked) },
            org_kind: { org_kind: radio(orgKind) },
          });
          if (answer.kind === 'too_large') return;
          if (!decodeWizard(metadata) || metadata.length > 3000) {
            expect(answer).toMatchObject({ kind: 'update', view: { callback_id: 'notice' } });
          } else if (!PREREQS.every((p) => ticked.includes(p))) {
            expect(answer).toMatchObject({ kind: 'errors' });
            expect(Object.keys((answer as { errors: object }).errors)).toEqual(['prereqs']);
          } else {
            expect(answer).toMatchObject({
              kind: 'push',
              view: { callback_id: 'connect_details' },
            });
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers the details step with field errors or the permissions step, and only ever carries an Okta org host', async () => {
    const real = String(detailsView.private_metadata);
    const calledOkta = () => h.okta.requests.length;
    const before = calledOkta();
    await fc.assert(
      fc.asyncProperty(
        fieldValue(['acme-prod', 'Ünïcode 名前', 'a', 'eyJhbGc.eyJzdWI.sig'], 3),
        fieldValue([ORG, `https://${ORG}/`, 'acme-admin.okta.com', 'ACME.OKTAPREVIEW.COM.'], 3),
        fieldValue([CLIENT_ID, '0oa_-x'], 3),
        fc.option(fieldValue(['CALERTS'], 3)),
        metadataFor(real),
        async (nickname, domain, clientId, channel, metadata) => {
          const view = { ...detailsView, private_metadata: metadata };
          const { answer } = await submitRaw(view, {
            nickname: { nickname: text(nickname) },
            domain: { domain: text(domain) },
            client_id: { client_id: text(clientId) },
            notify_channel: {
              notify_channel: { type: 'conversations_select', selected_conversation: channel },
            },
          });
          if (answer.kind === 'too_large' || answer.kind === 'errors') return;
          if (answer.view.callback_id === 'notice') {
            expect(decodeWizard(metadata) === null || metadata.length > 3000).toBe(true);
            return;
          }
          expect(answer).toMatchObject({ kind: 'push', view: { callback_id: 'connect_scopes' } });
          // The bot must be able to read back what it carries to the next step.
          const carried = decodeWizard(String(answer.view.private_metadata));
          expect(carried).not.toBeNull();
          expect(carried?.notifyChannel ?? 'CALERTS').toMatch(/^[CGD][A-Z0-9]+$/);
          expect(carried?.domain).toMatch(OKTA_ORG_HOST);
          expect(carried?.nickname).toMatch(NICKNAME_SHAPE);
        },
      ),
      { numRuns: RUNS },
    );
    expect(calledOkta(), 'the details step never calls Okta').toBe(before);
  });

  it('answers the last step with field errors, a restart or a DM, and never creates a connection from tampered details', async () => {
    const real = decodeWizard(String(permissionsView.private_metadata)) as WizardState;
    let run = 0;
    let created = 0;
    await fc.assert(
      fc.asyncProperty(
        fieldValue(['default', 'custom']),
        fc.array(fieldValue(CATALOG_PICKS), { maxLength: 6 }),
        fc.option(hostileText({ maxLength: 6000 })),
        metadataFor('real'),
        async (mode, picked, typed, metadataChoice) => {
          run += 1;
          const nickname = `fuzz-${run}`;
          const metadata =
            metadataChoice === 'real' ? encodeWizard({ ...real, nickname }) : metadataChoice;
          const view = { ...permissionsView, id: `VFUZZ${run}`, private_metadata: metadata };
          const { answer } = await submitRaw(view, {
            scope_mode: { scope_mode: radio(mode) },
            scope_pick: { scope_pick: picks('multi_external_select', picked) },
            scope_text: { scope_text: { type: 'plain_text_input', value: typed } },
          });
          if (answer.kind === 'too_large' || answer.kind === 'errors') return;
          if (answer.view.callback_id === 'notice') return;
          expect(answer).toMatchObject({ kind: 'update', view: { callback_id: 'connect_done' } });
          created += 1;
          const state = decodeWizard(metadata) as WizardState;
          const connection = await h.bot.flows.connections.findByNickname(
            h.slack.identity.teamId,
            state.nickname ?? '',
          );
          expect(connection?.domain).toMatch(OKTA_ORG_HOST);
          expect(connection?.nickname).toMatch(NICKNAME_SHAPE);
          expect(connection?.notifyChannel ?? 'CALERTS').toMatch(/^[CGD][A-Z0-9]+$/);
        },
      ),
      { numRuns: RUNS },
    );
    expect(created).toBeGreaterThan(0);
    // The DMs go out after the answer; each must have been sent and accepted.
    await eventually(() => h.slack.callCount('chat.postMessage') >= created, 'the DMs');
  });

  it('starts over instead of trusting a nickname, domain or client ID tampered in the last step’s metadata', async () => {
    const real = decodeWizard(String(permissionsView.private_metadata)) as WizardState;
    const tampered: Partial<WizardState>[] = [
      { nickname: '<!channel> alert' },
      { nickname: 'ok-name', domain: '127.0.0.1' },
      { nickname: 'ok-name', domain: 'acme.okta.com.evil.com' },
      { nickname: 'ok-name', domain: 'ACME.okta.com' },
      { nickname: 'ok-name', orgKind: 'home', domain: 'other.okta.com' },
      { nickname: 'ok-name', clientId: '../../admin' },
      { nickname: ' ok-name ' },
    ];
    const connections = async () =>
      await h.bot.flows.connections.countByTeam(h.slack.identity.teamId);
    const before = await connections();
    for (const [i, change] of tampered.entries()) {
      const view = {
        ...permissionsView,
        id: `VTAMPER${i}`,
        private_metadata: encodeWizard({ ...real, ...change } as WizardState),
      };
      const { answer } = await submitRaw(view, {
        scope_mode: { scope_mode: radio('default') },
        scope_pick: { scope_pick: picks('multi_external_select', []) },
        scope_text: { scope_text: { type: 'plain_text_input', value: null } },
      });
      expect(answer, JSON.stringify(change)).toMatchObject({
        kind: 'update',
        view: { callback_id: 'notice' },
      });
    }
    expect(await connections()).toBe(before);
    expect(h.slack.callCount('chat.postMessage')).toBe(0);
  });

  it('refuses a nickname shaped like a token, which the audit trail would refuse after the connection was made', async () => {
    for (const nickname of ['eyJhbGc.eyJzdWI.sig', 'v1.0123456789abcdef.x']) {
      const { answer } = await submitRaw(detailsView, {
        nickname: { nickname: text(nickname) },
        domain: { domain: text(ORG) },
        client_id: { client_id: text(CLIENT_ID) },
        notify_channel: {
          notify_channel: { type: 'conversations_select', selected_conversation: 'CALERTS' },
        },
      });
      expect(answer, nickname).toMatchObject({
        kind: 'errors',
        errors: { nickname: expect.any(String) },
      });
      const real = decodeWizard(String(permissionsView.private_metadata)) as WizardState;
      const view = {
        ...permissionsView,
        id: `VTOKEN-${nickname}`,
        private_metadata: encodeWizard({ ...real, nickname }),
      };
      const last = await submitRaw(view, {
        scope_mode: { scope_mode: radio('default') },
      });
      expect(last.answer).toMatchObject({ kind: 'update', view: { callback_id: 'notice' } });
    }
  });

  it('keeps the org radio’s live update within Slack’s limits whatever option or metadata comes back', async () => {
    const real = String(orgView.private_metadata);
    await fc.assert(
      fc.asyncProperty(
        fieldValue(['home', 'other']),
        metadataFor(real),
        async (picked, metadata) => {
          // The view as Slack has it now, so its hash is current and an update is accepted.
          const current = h.slack.view(orgView.id) ?? orgView;
          const updates = h.slack.callCount('views.update');
          const answered = await blockActions({
            signingSecret: SIGNING_SECRET,
            userId: ADMIN,
            teamId: h.slack.identity.teamId,
            view: { ...current, private_metadata: metadata },
            stateValues: {},
            actions: [
              {
                type: 'radio_buttons',
                action_id: 'org_kind',
                block_id: 'org_kind',
                selected_option: { value: picked },
                action_ts: '1700000000.000001',
              },
            ],
          }).send(h.requestUrl);
          expect(answered.status).toBe(200);
          if (decodeWizard(metadata) !== null && metadata.length <= 3000) {
            await h.slack.waitForCalls('views.update', updates + 1);
          }
        },
      ),
      { numRuns: 30 },
    );
    expect(submissions).toBeGreaterThan(0);
  });
});

describe('hostile input in the reauthorize, edit-scopes and delete dialogs', () => {
  let h: Harness;
  let ours: Connection;
  let theirs: Connection;
  hostileHarness({}, async (started) => {
    h = started;
    [ours] = (await seedActiveConnections(h, 1, { prefix: 'ours' })) as [Connection];
    [theirs] = (await seedActiveConnections(h, 1, { prefix: 'theirs', teamId: 'T0OTHER' })) as [
      Connection,
    ];
  });

  /** The dialog `/okta-connect WORD NAME` opens for our connection. */
  async function dialog(word: string): Promise<ViewLike> {
    const opened = h.slack.callCount('views.open');
    await h.admin.command(`${word} ${ours.nickname}`);
    await h.slack.waitForCalls('views.open', opened + 1);
    return h.admin.currentView();
  }

  /** Our connection's id, another workspace's, or junk, as the dialog's metadata. */
  const reference = () =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(JSON.stringify({ v: 1, connectionId: ours.id })) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify({ v: 1, connectionId: theirs.id })) },
      { weight: 1, arbitrary: hostileText({ maxLength: 3500 }) },
    );

  it('answers reauthorize and edit-scopes submissions with field errors, a notice or a DM, and never touches another workspace’s connection', async () => {
    let run = 0;
    for (const word of ['reauth', 'scopes']) {
      const view = await dialog(word);
      await fc.assert(
        fc.asyncProperty(
          fieldValue(['default', 'custom']),
          fc.array(fieldValue(CATALOG_PICKS), { maxLength: 6 }),
          fc.option(hostileText({ maxLength: 6000 })),
          reference(),
          async (mode, picked, typed, metadata) => {
            run += 1;
            const submitted = { ...view, id: `VMANAGE${run}`, private_metadata: metadata };
            const request = viewSubmission({
              signingSecret: SIGNING_SECRET,
              userId: ADMIN,
              teamId: h.slack.identity.teamId,
              view: submitted,
              stateValues: {
                scope_mode: { scope_mode: radio(mode) },
                scope_pick: { scope_pick: picks('multi_external_select', picked) },
                scope_text: { scope_text: { type: 'plain_text_input', value: typed } },
              },
            });
            const answer = readModalAnswer(
              await request.send(h.requestUrl),
              submitted,
              Buffer.byteLength(request.body),
            );
            if (answer.kind === 'errors' || answer.kind === 'too_large') return;
            expect(answer.kind).toBe('update');
            if (metadata.includes(theirs.id)) {
              expect(answer).toMatchObject({ view: { callback_id: 'notice' } });
            }
          },
        ),
        { numRuns: 30 },
      );
    }
    const other = await h.bot.flows.connections.findById('T0OTHER', theirs.id);
    expect(other).toMatchObject({ status: 'active', version: theirs.version });
    expect(await h.bot.flows.authRequests.findOpenForConnection(theirs.id)).toBeNull();
  });

  it('deletes nothing when the delete dialog’s metadata names another workspace’s connection or junk', async () => {
    const view = await dialog('delete');
    for (const [i, metadata] of [
      JSON.stringify({ v: 1, connectionId: theirs.id }),
      JSON.stringify({ v: 1, connectionId: `${ours.id}' OR 1=1 --` }),
      '{"v":1}',
      'null',
      '<!channel>',
    ].entries()) {
      const submitted = { ...view, id: `VDELETE${i}`, private_metadata: metadata };
      const request = viewSubmission({
        signingSecret: SIGNING_SECRET,
        userId: ADMIN,
        teamId: h.slack.identity.teamId,
        view: submitted,
        stateValues: {},
      });
      const answer = readModalAnswer(await request.send(h.requestUrl), submitted, 0);
      expect(answer, metadata).toMatchObject({
        kind: 'update',
        view: { callback_id: 'notice', title: { text: 'Connection not found' } },
      });
    }
    expect(await (await h.bot.flows.connections.findById('T0OTHER', theirs.id))?.status).toBe(
      'active',
    );
    expect(await h.bot.flows.connections.findById(h.slack.identity.teamId, ours.id)).not.toBeNull();
    expect(h.okta.countRequests('/oauth2/v1/revoke')).toBe(0);
  });
});
