import type { AuthDeps, AuthRequest, Reply } from '../context.ts';
import { json } from '../context.ts';
import { badRequest } from '../errors.ts';

const EXTERNAL_PROVIDERS = [
  'anonymous_users', 'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'figma', 'fly', 'github', 'gitlab', 'google',
  'keycloak', 'kakao', 'linkedin', 'linkedin_oidc', 'notion', 'slack', 'slack_oidc', 'spotify', 'twitch', 'twitter',
  'workos', 'zoom', 'phone', 'web3_ethereum', 'web3_solana',
];

/** `GET /settings`, the shape of GoTrue's `settings.go`: email only, no OAuth providers. */
export async function settings(_req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  return json({
    external: { ...Object.fromEntries(EXTERNAL_PROVIDERS.map((p) => [p, false])), email: true },
    disable_signup: deps.config.auth.disableSignup,
    mailer_autoconfirm: deps.config.auth.mailerAutoconfirm,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  });
}

export async function health(): Promise<Reply> {
  return json({ version: 'decidons-local', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' });
}

/** HS256 keys are never published, so the set is empty and `getClaims()` falls back to `GET /user` (§B). */
export async function jwks(): Promise<Reply> {
  return json({ keys: [] }, 200, { 'Cache-Control': 'public, max-age=600' });
}

/** OAuth sign-in is not offered by this platform; the routes exist so a browser lands on a clear error. */
export async function oauthUnavailable(req: AuthRequest): Promise<Reply> {
  const provider = req.query.get('provider') ?? '';
  throw badRequest('validation_failed', `Unsupported provider: provider ${provider} could not be found`);
}
