import { randomBytes } from 'node:crypto';
import type { AuthDeps, AuthRequest, Body, Db, Reply } from '../context.ts';
import { json, jsonb } from '../context.ts';
import { actionLink, issueEmailToken, sendActionEmail, type EmailAction } from '../email-tokens.ts';
import { ApiError, emailExists, forbidden, notFound, pgCode, pgConstraint, phoneExists, serverError, validationFailed } from '../errors.ts';
import { redirectTarget } from '../redirect.ts';
import { logout, requireBearerJwt } from '../sessions.ts';
import {
  clearOneTimeTokens,
  confirmEmail,
  DEFAULT_AUD,
  emailTaken,
  findIdentities,
  findUserByEmail,
  findUserById,
  hashPassword,
  insertIdentity,
  insertUser,
  isConfirmed,
  serializeUser,
  setIdentityEmail,
  userJson,
  type UserRow,
} from '../users.ts';
import {
  checkMetadataSize,
  checkPasswordLength,
  checkPasswordStrength,
  isUuid,
  mergeMetadata,
  NIL_UUID,
  normaliseEmail,
  normalisePhone,
  optBool,
  optMetadata,
  optString,
  parseGoDuration,
} from '../validate.ts';

/** The admin API: a bearer JWT with role `service_role` (or `supabase_admin`), as GoTrue's `requireAdmin`. */
function requireAdmin(req: AuthRequest, deps: AuthDeps): void {
  const { role } = requireBearerJwt(deps, req);
  if (role !== 'service_role' && role !== 'supabase_admin') throw forbidden('not_admin', 'User not allowed');
}

async function loadUserParam(req: AuthRequest, db: Db, opts: { lock?: boolean } = {}): Promise<UserRow> {
  const id = req.params.id ?? '';
  if (!isUuid(id)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(db, id, opts);
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

const BCRYPT_HASH = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** The fields POST and PUT /admin/users share, type-checked. */
function adminParams(body: Body) {
  const email = optString(body, 'email', 1024);
  const phone = optString(body, 'phone', 64);
  const role = optString(body, 'role', 255);
  const banDuration = optString(body, 'ban_duration', 64);
  return {
    id: optString(body, 'id', 64),
    email: email ? normaliseEmail(email) : undefined,
    phone: phone ? normalisePhone(phone) : undefined,
    password: optString(body, 'password', 1024),
    passwordHash: optString(body, 'password_hash', 255),
    emailConfirm: optBool(body, 'email_confirm') ?? false,
    phoneConfirm: optBool(body, 'phone_confirm') ?? false,
    userMetadata: optMetadata(body, 'user_metadata'),
    appMetadata: optMetadata(body, 'app_metadata'),
    role: role?.trim() || undefined,
    // "none" lifts a ban; GoTrue stores the ban as an end date.
    banSeconds: banDuration === undefined || banDuration === '' ? undefined : banDuration === 'none' ? 0 : parseGoDuration(banDuration),
  };
}

async function phoneTaken(db: Db, phone: string, exceptUserId = NIL_UUID): Promise<boolean> {
  const [row] = await db`select 1 from auth.users where phone = ${phone} and id <> ${exceptUserId} limit 1`;
  return row !== undefined;
}

async function setBan(db: Db, userId: string, seconds: number): Promise<void> {
  await db`
    update auth.users set banned_until = case when ${seconds} = 0 then null else now() + make_interval(secs => ${seconds}) end,
           updated_at = now()
    where id = ${userId}`;
}

/** Go's `url.Values.Encode`: keys sorted, so `page` comes before `per_page` as auth-js needs (pitfall F.9). */
function pageLink(query: URLSearchParams, page: number): string {
  const q = new URLSearchParams(query);
  q.set('page', String(page));
  q.sort();
  return `</admin/users?${q.toString()}>`;
}

function pageParam(value: string | null, fallback: number, name: string): number {
  if (value === null || value === '') return fallback;
  // Six digits keep `page × per_page` an exact integer offset.
  if (!/^\d{1,6}$/.test(value)) throw validationFailed(`Bad Pagination Parameters: invalid ${name} "${value}"`);
  return Number(value);
}

export async function listUsers(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  requireAdmin(req, deps);
  const page = Math.max(1, pageParam(req.query.get('page'), 1, 'page'));
  const perPage = pageParam(req.query.get('per_page'), 50, 'per_page');
  if (perPage === 0) throw validationFailed('Bad Pagination Parameters: per_page must be greater than 0');
  // GoTrue's `filter`: a substring of the address or of `user_metadata.full_name`.
  const filter = req.query.get('filter') ?? '';
  const like = `%${filter}%`;
  const where = filter
    ? deps.sql`aud = ${DEFAULT_AUD} and (email ilike ${like} or coalesce(raw_user_meta_data ->> 'full_name', '') ilike ${like})`
    : deps.sql`aud = ${DEFAULT_AUD}`;
  const [{ total } = { total: 0 }] = await deps.sql<{ total: number }[]>`select count(*)::int as total from auth.users where ${where}`;
  const rows = await deps.sql<UserRow[]>`
    select * from auth.users where ${where}
    order by created_at desc, id limit ${perPage} offset ${(page - 1) * perPage}`;
  const identities = await findIdentities(deps.sql, rows.map((r) => r.id));
  const lastPage = Math.ceil(total / perPage);
  const links = [...(lastPage > page ? [`${pageLink(req.query, page + 1)}; rel="next"`] : []), `${pageLink(req.query, lastPage)}; rel="last"`];
  return json({ users: rows.map((r) => serializeUser(r, identities)), aud: DEFAULT_AUD }, 200, {
    'X-Total-Count': String(total),
    Link: links.join(', '),
  });
}

export async function getUserById(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  requireAdmin(req, deps);
  const user = await loadUserParam(req, deps.sql);
  return json(await userJson(deps.sql, user.id));
}

export async function createUser(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  requireAdmin(req, deps);
  const p = adminParams(await req.body());
  if (!p.email && !p.phone) throw validationFailed('Cannot create a user without either an email or phone');
  if (p.email && (await emailTaken(deps.sql, p.email))) throw emailExists();
  if (p.phone && (await phoneTaken(deps.sql, p.phone))) throw phoneExists();
  if (p.password && p.passwordHash) throw validationFailed('Only a password or a password hash should be provided');
  if (p.password) checkPasswordLength(p.password);
  if (p.passwordHash && !BCRYPT_HASH.test(p.passwordHash)) throw validationFailed('Invalid password hash: only bcrypt hashes are supported');
  if (p.id !== undefined && !isUuid(p.id)) throw validationFailed('ID must conform to the uuid v4 format');
  if (p.id === NIL_UUID) throw validationFailed('ID cannot be a nil uuid');
  const providers = [...(p.email ? ['email'] : []), ...(p.phone ? ['phone'] : [])];
  const appMetadata = checkMetadataSize('app_metadata', mergeMetadata({ provider: providers[0], providers }, p.appMetadata ?? {}));

  const userId = await deps.sql.begin(async (tx) => {
    // Without a password the account is reachable through emailed links only.
    const encryptedPassword = p.passwordHash ?? (await hashPassword(tx, p.password || randomBytes(32).toString('base64url')));
    const user = await insertUser(
      tx,
      {
        ...(p.id ? { id: p.id } : {}),
        email: p.email ?? null,
        phone: p.phone ?? null,
        encryptedPassword,
        userMetadata: p.userMetadata ?? {},
        appMetadata,
        ...(p.role ? { role: p.role } : {}),
      },
      deps.log,
    );
    if (user.email) await insertIdentity(tx, user, 'email', false);
    if (user.phone) await insertIdentity(tx, user, 'phone', p.phoneConfirm);
    if (p.emailConfirm) await confirmEmail(tx, user.id);
    if (p.phoneConfirm) await tx`update auth.users set phone_confirmed_at = now() where id = ${user.id}`;
    if (p.banSeconds !== undefined) await setBan(tx, user.id, p.banSeconds);
    return user.id;
  });
  return json(await userJson(deps.sql, userId));
}

export async function updateUserById(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  requireAdmin(req, deps);
  const p = adminParams(await req.body());
  if (p.password !== undefined) checkPasswordStrength(p.password, deps.config.auth.passwordMinLength);
  const target = await loadUserParam(req, deps.sql);
  if (p.email && p.email !== target.email && (await emailTaken(deps.sql, p.email, target.id))) throw emailExists();
  if (p.phone && p.phone !== target.phone && (await phoneTaken(deps.sql, p.phone, target.id))) throw phoneExists();

  await deps.sql.begin(async (tx) => {
    const user = await loadUserParam(req, tx, { lock: true });
    if (p.role) await tx`update auth.users set role = ${p.role} where id = ${user.id}`;
    if (p.password !== undefined) {
      await tx`update auth.users set encrypted_password = ${await hashPassword(tx, p.password)} where id = ${user.id}`;
      await clearOneTimeTokens(tx, user.id);
      await logout(tx, user.id, 'global', undefined);
    }
    if (p.email) {
      await tx`update auth.users set email = ${p.email} where id = ${user.id}`;
      await setIdentityEmail(tx, user.id, p.email, p.emailConfirm);
    }
    if (p.phone) {
      await tx`update auth.users set phone = ${p.phone} where id = ${user.id}`;
      await insertIdentity(tx, { ...user, phone: p.phone }, 'phone', p.phoneConfirm);
    }
    if (p.emailConfirm) await confirmEmail(tx, user.id);
    if (p.phoneConfirm) await tx`update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()) where id = ${user.id}`;
    const [fresh] = await tx<UserRow[]>`select * from auth.users where id = ${user.id}`;
    if (p.appMetadata) {
      const merged = checkMetadataSize('app_metadata', mergeMetadata(fresh!.raw_app_meta_data, p.appMetadata));
      await tx`update auth.users set raw_app_meta_data = ${jsonb(tx, merged)} where id = ${user.id}`;
    }
    if (p.userMetadata) {
      const merged = checkMetadataSize('user_metadata', mergeMetadata(fresh!.raw_user_meta_data, p.userMetadata));
      await tx`update auth.users set raw_user_meta_data = ${jsonb(tx, merged)} where id = ${user.id}`;
    }
    if (p.banSeconds !== undefined) await setBan(tx, user.id, p.banSeconds);
    await tx`update auth.users set updated_at = now() where id = ${user.id}`;
  }).catch((err: unknown) => {
    if (err instanceof ApiError) throw err;
    if (pgCode(err) === '23505') throw pgConstraint(err) === 'users_phone_key' ? phoneExists() : emailExists();
    throw err;
  });
  return json(await userJson(deps.sql, target.id));
}

/**
 * `DELETE /admin/users/:id`. A soft delete keeps the row (and whatever references it) but frees the
 * address, removes identities and sessions and marks it deleted, as GoTrue's `SoftDeleteUser`.
 */
export async function deleteUser(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  requireAdmin(req, deps);
  const soft = (await req.hasBody()) ? (optBool(await req.body(), 'should_soft_delete') ?? false) : false;
  const user = await loadUserParam(req, deps.sql);
  await deps.sql
    .begin(async (tx) => {
      if (!soft) {
        await tx`delete from auth.users where id = ${user.id}`;
        return;
      }
      if (user.deleted_at) return;
      await tx`delete from auth.identities where user_id = ${user.id}`;
      await logout(tx, user.id, 'global', undefined);
      await clearOneTimeTokens(tx, user.id);
      await tx`
        update auth.users set email = null, phone = null, encrypted_password = '', confirmation_token = '', recovery_token = '',
               email_change_token_new = '', email_change_token_current = '', email_change = '',
               raw_app_meta_data = '{}'::jsonb, raw_user_meta_data = '{}'::jsonb, deleted_at = now(), updated_at = now()
        where id = ${user.id}`;
    })
    .catch((err: unknown) => {
      deps.log(`delete user ${user.id} failed: ${err instanceof Error ? err.message : String(err)}`);
      throw serverError('Database error deleting user');
    });
  return json({});
}

const LINK_TYPES = ['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new'] as const;
type LinkType = (typeof LINK_TYPES)[number];

/**
 * `POST /admin/generate_link`: the link and code an email would carry, returned instead of sent
 * (no email, no throttle), flattened together with the user (GoTrue's `GenerateLinkResponse`).
 */
export async function generateLink(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  requireAdmin(req, deps);
  const body = await req.body();
  const rawType = optString(body, 'type', 64) ?? '';
  if (!(LINK_TYPES as readonly string[]).includes(rawType)) throw validationFailed(`Invalid email action link type requested: ${rawType}`);
  // Secure email change (a link to the current address too) is off here, as GoTrue answers then.
  if (rawType === 'email_change_current') throw validationFailed('Enable secure email change to generate link for current email');
  let type = rawType as Exclude<LinkType, 'email_change_current'>;
  const email = normaliseEmail(optString(body, 'email', 1024));
  const rawNewEmail = optString(body, 'new_email', 1024);
  const data = optMetadata(body, 'data') ?? {};
  let password = optString(body, 'password', 1024) ?? '';
  const redirectTo = redirectTarget(req, deps.config, optString(body, 'redirect_to', 4096) || (req.query.get('redirect_to') ?? ''));

  const existing = await findUserByEmail(deps.sql, email);
  if (!existing) {
    if (type === 'magiclink') {
      // As in GoTrue, a magic link for an unknown address signs the person up.
      type = 'signup';
      password = randomBytes(32).toString('base64url');
    } else if (type !== 'signup' && type !== 'invite') {
      throw notFound('user_not_found', 'User with this email not found');
    }
  }
  if (type === 'signup' && !existing) {
    if (!password) throw validationFailed('Signup requires a valid password');
    checkPasswordStrength(password, deps.config.auth.passwordMinLength);
  }
  const newEmail = type === 'email_change_new' ? normaliseEmail(rawNewEmail) : undefined;
  if (newEmail && (await emailTaken(deps.sql, newEmail, existing?.id))) throw emailExists();

  const result = await deps.sql.begin(async (tx) => {
    let user = existing && (await findUserById(tx, existing.id, { lock: true }));
    if ((type === 'signup' || type === 'invite') && user && isConfirmed(user)) throw emailExists();
    if (!user) {
      const encryptedPassword = type === 'signup' ? await hashPassword(tx, password) : '';
      const appMetadata = { provider: 'email', providers: ['email'] };
      user = await insertUser(tx, { email, encryptedPassword, userMetadata: data, appMetadata }, deps.log);
      await insertIdentity(tx, user, 'email', false);
    } else if (type === 'signup' && Object.keys(data).length > 0) {
      const merged = checkMetadataSize('data', mergeMetadata(user.raw_user_meta_data, data));
      await tx`update auth.users set raw_user_meta_data = ${jsonb(tx, merged)} where id = ${user.id}`;
    }
    const action: EmailAction = type === 'email_change_new' ? 'email_change' : type;
    const issued = await issueEmailToken(tx, user, action, { pkce: false, ...(newEmail ? { newEmail } : {}) });
    return { userId: user.id, issued, linkType: action };
  });

  return json({
    ...(await userJson(deps.sql, result.userId)),
    action_link: actionLink(deps, result.issued.tokenHash, result.linkType, redirectTo),
    email_otp: result.issued.otp,
    hashed_token: result.issued.tokenHash,
    verification_type: type,
    redirect_to: redirectTo,
  });
}

/** `POST /invite` (inviteUserByEmail): a passwordless account and an invitation email whose link signs it in. */
export async function invite(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  requireAdmin(req, deps);
  const body = await req.body();
  const email = normaliseEmail(optString(body, 'email', 1024));
  const data = optMetadata(body, 'data') ?? {};
  const redirectTo = redirectTarget(req, deps.config);
  const userId = await deps.sql.begin(async (tx) => {
    let user = await findUserByEmail(tx, email, { lock: true });
    if (user && isConfirmed(user)) throw emailExists();
    if (!user) {
      const appMetadata = { provider: 'email', providers: ['email'] };
      user = await insertUser(tx, { email, encryptedPassword: '', userMetadata: data, appMetadata }, deps.log);
      await insertIdentity(tx, user, 'email', false);
    }
    await sendActionEmail(deps, tx, user, 'invite', { pkce: false, redirectTo });
    return user.id;
  });
  return json(await userJson(deps.sql, userId));
}
