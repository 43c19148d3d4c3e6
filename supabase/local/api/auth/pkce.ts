import { createHash, randomUUID } from 'node:crypto';
import type { Body, Db } from './context.ts';
import { badRequest, notFound, unprocessable, validationFailed } from './errors.ts';
import { optString } from './validate.ts';

/** PKCE as GoTrue does it for email flows (reference §A.4). */

export interface PkceParams {
  challenge: string;
  method: 's256' | 'plain';
}

/** `authentication_method` of a flow, which also becomes the session's `amr` method. */
export type FlowMethod = 'email/signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change';

/**
 * Codes are short-lived: 300 s, GoTrue's `FlowStateExpiryDuration`. Counted from the moment the
 * code is handed out by the email link (GoTrue does so for magic links only, and from the flow's
 * creation otherwise), so a confirmation email opened an hour later still completes.
 */
export const FLOW_STATE_TTL_SECONDS = 300;

export const PKCE_PREFIX = 'pkce_';

/** `null` and '' mean "no PKCE", which is what implicit-flow clients send. */
export function readPkce(body: Body): PkceParams | undefined {
  const challenge = optString(body, 'code_challenge', 256) ?? '';
  const method = (optString(body, 'code_challenge_method', 32) ?? '').toLowerCase();
  if ((challenge === '') !== (method === '')) {
    throw validationFailed('PKCE flow requires code_challenge_method and code_challenge');
  }
  if (challenge === '') return undefined;
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) {
    throw validationFailed('code challenge has to be between 43 and 128 characters');
  }
  if (method !== 's256' && method !== 'plain') throw validationFailed(`code challenge method ${method} not supported`);
  return { challenge, method };
}

/** The flow a verification `type` completes. */
export function flowMethodFor(type: string): FlowMethod | undefined {
  switch (type) {
    case 'signup':
      return 'email/signup';
    case 'invite':
    case 'magiclink':
    case 'recovery':
    case 'email_change':
      return type;
    default:
      return undefined;
  }
}

export async function createFlowState(db: Db, userId: string, pkce: PkceParams, providerType: string, method: FlowMethod): Promise<void> {
  await db`
    insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type,
                                 authentication_method, created_at, updated_at)
    values (${randomUUID()}, ${userId}, ${randomUUID()}, ${pkce.method}::auth.code_challenge_method, ${pkce.challenge}, ${providerType},
            ${method}, now(), now())`;
}

/** Reveals the newest flow's code once its email link is opened; undefined when there is no flow. */
export async function issueAuthCode(db: Db, userId: string, method: FlowMethod): Promise<string | undefined> {
  const [row] = await db<{ auth_code: string }[]>`
    update auth.flow_state set auth_code_issued_at = now(), updated_at = now()
    where id = (select id from auth.flow_state where user_id = ${userId} and authentication_method = ${method}
                order by created_at desc limit 1)
    returning auth_code`;
  return row?.auth_code;
}

function challengeOf(verifier: string, method: string): string {
  return method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
}

/**
 * Checks and consumes a code: the row is locked, then deleted, so a code works once even when two
 * exchanges race. A wrong verifier leaves the flow in place, as GoTrue does.
 */
export async function consumeAuthCode(db: Db, authCode: string, verifier: string): Promise<{ userId: string; method: string }> {
  const [flow] = await db<{ id: string; user_id: string | null; code_challenge: string; code_challenge_method: string; authentication_method: string; expired: boolean }[]>`
    select id, user_id, code_challenge, code_challenge_method, authentication_method,
           coalesce(auth_code_issued_at, created_at) + make_interval(secs => ${FLOW_STATE_TTL_SECONDS}) < now() as expired
    from auth.flow_state where auth_code = ${authCode} for update`;
  if (!flow?.user_id) throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found');
  if (flow.expired) throw unprocessable('flow_state_expired', 'invalid flow state, flow state has expired');
  if (challengeOf(verifier, flow.code_challenge_method) !== flow.code_challenge) {
    throw badRequest('bad_code_verifier', 'code challenge does not match previously saved code verifier');
  }
  await db`delete from auth.flow_state where id = ${flow.id}`;
  return { userId: flow.user_id, method: flow.authentication_method };
}
