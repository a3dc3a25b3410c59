import { z } from 'zod';
import type { Connection } from '../../db/connectionsRepo.ts';
import type { FlowDeps } from '../../flows/deps.ts';
import { type ApiCall, type ApiOutcome, errorReply } from './apiEndpoint.ts';
import { slackTeamId } from './apiKeys.ts';

/** Nicknames are at most 40 characters; the margin lets a wrong one be answered 404, not 400. */
const nicknameParam = z.object({ nickname: z.string().min(1).max(200) });
const teamQuery = z.object({ team: slackTeamId.optional() });

type Found = { ok: true; connection: Connection } | { ok: false; outcome: ApiOutcome };

/** 400 naming each bad parameter (by name and rule, never echoing its value). */
export function badRequest(error: z.ZodError, teamId: string | null): ApiOutcome {
  return {
    reply: errorReply(400, 'bad_request', {
      problems: error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    }),
    teamId,
  };
}

/**
 * The connection named in the path, as this key may see it. A team key sees its team
 * only: another team's connection is answered 404, like one that does not exist, so a
 * key cannot learn what other teams hold. An all-teams key names the team with `?team=`
 * when a nickname exists in several (409 until it does).
 */
export async function findConnection(
  flows: FlowDeps,
  call: ApiCall,
  teamParam: string | null,
): Promise<Found> {
  const params = nicknameParam.safeParse(call.req.params ?? {});
  const team = teamQuery.safeParse({ team: teamParam ?? undefined });
  if (!params.success) return { ok: false, outcome: badRequest(params.error, call.key.teamId) };
  if (!team.success) return { ok: false, outcome: badRequest(team.error, call.key.teamId) };
  const { nickname } = params.data;
  const asked = team.data.team ?? null;
  const visibleTeam = call.key.teamId ?? asked;
  const notFound: Found = {
    ok: false,
    outcome: { reply: errorReply(404, 'not_found'), teamId: visibleTeam },
  };
  if (call.key.teamId !== null && asked !== null && asked !== call.key.teamId) return notFound;
  const teamId = call.key.teamId ?? asked;
  if (teamId !== null) {
    const connection = await flows.connections.findByNickname(teamId, nickname);
    return connection ? { ok: true, connection } : renamedOr(flows, teamId, nickname, notFound);
  }
  const matches = await flows.connections.findByNicknameInAllTeams(nickname);
  const [first] = matches;
  if (!first) return renamedOr(flows, null, nickname, notFound);
  if (matches.length === 1) return { ok: true, connection: first };
  return {
    ok: false,
    outcome: {
      reply: errorReply(409, 'ambiguous_nickname', {
        teams: matches.map((connection) => connection.teamId),
      }),
    },
  };
}

/**
 * A nickname that a connection had before its last rename is still not found (404), but
 * the answer says the new name, so a tool's owner knows what to change. Only connections
 * the key may see are named.
 */
async function renamedOr(
  flows: FlowDeps,
  teamId: string | null,
  nickname: string,
  notFound: Found,
): Promise<Found> {
  const renamed = await flows.connections.renamedFrom(teamId, nickname);
  const [first] = renamed;
  if (!first || renamed.length > 1) return notFound;
  return {
    ok: false,
    outcome: {
      reply: errorReply(404, 'not_found', {
        renamed_to: first.nickname,
        hint: `This connection was renamed: use ${first.nickname} instead.`,
      }),
      teamId: first.teamId,
    },
  };
}
