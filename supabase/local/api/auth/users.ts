import { randomUUID } from 'node:crypto';
import { type Db, jsonb } from './context.ts';
import { emailExists, pgConstraint, phoneExists, serverError, unprocessable } from './errors.ts';
import { isJsonObject, NIL_UUID, type JsonObject } from './validate.ts';

/** A row of `auth.users`, as postgres.js returns it. */
export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  email_change_token_new: string | null;
  email_change_token_current: string | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: unknown;
  raw_user_meta_data: unknown;
  created_at: Date | null;
  updated_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  phone_change: string | null;
  phone_change_sent_at: Date | null;
  confirmed_at: Date | null;
  reauthentication_sent_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: unknown;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

export const DEFAULT_AUD = 'authenticated';
export const DEFAULT_ROLE = 'authenticated';

export const isConfirmed = (u: UserRow) => u.email_confirmed_at !== null;
export const isBanned = (u: UserRow) => u.banned_until !== null && u.banned_until.getTime() > Date.now();

export async function findUserById(db: Db, id: string, opts: { lock?: boolean } = {}): Promise<UserRow | undefined> {
  const [row] = opts.lock
    ? await db<UserRow[]>`select * from auth.users where id = ${id} for update`
    : await db<UserRow[]>`select * from auth.users where id = ${id}`;
  return row;
}

/** Addresses are stored lower-cased; SSO users live in their own namespace, as in GoTrue. */
export async function findUserByEmail(db: Db, email: string, opts: { lock?: boolean } = {}): Promise<UserRow | undefined> {
  const address = email.toLowerCase();
  const [row] = opts.lock
    ? await db<UserRow[]>`select * from auth.users where lower(email) = ${address} and is_sso_user = false order by created_at limit 1 for update`
    : await db<UserRow[]>`select * from auth.users where lower(email) = ${address} and is_sso_user = false order by created_at limit 1`;
  return row;
}

/** Whether another account already uses the address, as its email or as a linked identity's. */
export async function emailTaken(db: Db, email: string, exceptUserId?: string): Promise<boolean> {
  const address = email.toLowerCase();
  const except = exceptUserId ?? NIL_UUID;
  const [row] = await db`
    select 1 from auth.users where lower(email) = ${address} and is_sso_user = false and id <> ${except}
    union all
    select 1 from auth.identities where email = ${address} and user_id <> ${except}
    limit 1`;
  return row !== undefined;
}

export async function hashPassword(db: Db, password: string): Promise<string> {
  const [row] = await db<{ hash: string }[]>`select extensions.crypt(${password}, extensions.gen_salt('bf', 10)) as hash`;
  return row!.hash;
}

/**
 * Compares with pgcrypto, which reads GoTrue's `$2a$` bcrypt hashes. Never call it inside a
 * transaction: an unreadable hash (imported, hand-edited) raises an error, which counts as a mismatch.
 */
export async function passwordMatches(db: Db, userId: string, password: string): Promise<boolean> {
  try {
    const [row] = await db<{ ok: boolean }[]>`
      select encrypted_password is not null and encrypted_password like '$2%'
             and encrypted_password = extensions.crypt(${password}, encrypted_password) as ok
      from auth.users where id = ${userId}`;
    return row?.ok === true;
  } catch {
    return false;
  }
}

export interface NewUser {
  id?: string;
  email: string | null;
  phone?: string | null;
  encryptedPassword: string;
  userMetadata: JsonObject;
  appMetadata: JsonObject;
  role?: string;
  aud?: string;
}

/**
 * A real INSERT, so the app's triggers on auth.users (profiles…) run exactly as on Supabase. Token
 * columns get '' rather than NULL, as GoTrue writes them. Conflicts the caller can cause become
 * GoTrue's 422s; any other failure — typically an app trigger refusing the row — is GoTrue's 500.
 */
export async function insertUser(db: Db, u: NewUser, log: (line: string) => void): Promise<UserRow> {
  try {
    return await insertUserRow(db, u);
  } catch (err) {
    switch (pgConstraint(err)) {
      case 'users_email_partial_key':
        throw emailExists();
      case 'users_phone_key':
        throw phoneExists();
      case 'users_pkey':
        throw unprocessable('user_already_exists', 'A user with this ID already exists');
    }
    log(`creating a user failed: ${err instanceof Error ? err.message : String(err)}`);
    throw serverError('Database error saving new user');
  }
}

async function insertUserRow(db: Db, u: NewUser): Promise<UserRow> {
  const [row] = await db<UserRow[]>`
    insert into auth.users (
      instance_id, id, aud, role, email, phone, encrypted_password, raw_app_meta_data, raw_user_meta_data,
      confirmation_token, recovery_token, email_change_token_new, email_change_token_current, email_change,
      phone_change, phone_change_token, reauthentication_token, is_sso_user, is_anonymous, created_at, updated_at
    ) values (
      ${NIL_UUID}, ${u.id ?? randomUUID()}, ${u.aud ?? DEFAULT_AUD}, ${u.role ?? DEFAULT_ROLE}, ${u.email}, ${u.phone ?? null},
      ${u.encryptedPassword}, ${jsonb(db, u.appMetadata)}, ${jsonb(db, u.userMetadata)},
      '', '', '', '', '', '', '', '', false, false, now(), now()
    ) returning *`;
  return row!;
}

/** The `email` or `phone` identity GoTrue creates for password accounts, its provider id being the user id. */
export async function insertIdentity(db: Db, user: { id: string; email: string | null; phone: string | null }, provider: 'email' | 'phone', verified: boolean): Promise<void> {
  const data =
    provider === 'email'
      ? { sub: user.id, email: user.email, email_verified: verified, phone_verified: false }
      : { sub: user.id, phone: user.phone, email_verified: false, phone_verified: verified };
  await db`
    insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
    values (${user.id}, ${user.id}, ${jsonb(db, data)}, ${provider}, now(), now(), now())
    on conflict (provider_id, provider) do update set identity_data = auth.identities.identity_data || excluded.identity_data, updated_at = now()`;
}

/** Moves the email identity to a new address (creating it if the account had none). */
export async function setIdentityEmail(db: Db, userId: string, email: string, verified: boolean): Promise<void> {
  await insertIdentity(db, { id: userId, email, phone: null }, 'email', verified);
}

/** `Confirm()` in GoTrue: confirmed now, token spent, `email_verified` recorded in metadata and identity. */
export async function confirmEmail(db: Db, userId: string): Promise<void> {
  await db`
    update auth.users set
      email_confirmed_at = coalesce(email_confirmed_at, now()),
      confirmation_token = '',
      raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb,
      updated_at = now()
    where id = ${userId}`;
  await db`
    update auth.identities set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
    where user_id = ${userId} and provider = 'email'`;
  await clearOneTimeTokens(db, userId);
}

export async function clearOneTimeTokens(db: Db, userId: string): Promise<void> {
  await db`delete from auth.one_time_tokens where user_id = ${userId}`;
}

/** `app_metadata.providers` follows the identities, as `UpdateAppMetaDataProviders` does. */
export async function syncProviders(db: Db, userId: string): Promise<void> {
  await db`
    update auth.users u set raw_app_meta_data = coalesce(u.raw_app_meta_data, '{}'::jsonb) || jsonb_build_object(
      'provider', coalesce(p.providers ->> 0, u.raw_app_meta_data ->> 'provider'),
      'providers', coalesce(p.providers, '[]'::jsonb))
    from (select jsonb_agg(distinct provider) as providers from auth.identities where user_id = ${userId}) p
    where u.id = ${userId}`;
}

export async function findIdentities(db: Db, userIds: string[]): Promise<IdentityRow[]> {
  if (userIds.length === 0) return [];
  return db<IdentityRow[]>`select * from auth.identities where user_id = any(${userIds}::uuid[]) order by created_at, id`;
}

function serializeIdentity(i: IdentityRow): JsonObject {
  return {
    identity_id: i.id,
    id: i.provider_id,
    user_id: i.user_id,
    identity_data: isJsonObject(i.identity_data) ? i.identity_data : {},
    provider: i.provider,
    last_sign_in_at: i.last_sign_in_at,
    created_at: i.created_at,
    updated_at: i.updated_at,
    ...(i.email ? { email: i.email } : {}),
  };
}

/** The User JSON of GoTrue (`models.User`): `omitempty` fields are left out when null. */
export function serializeUser(u: UserRow, identities: IdentityRow[]): JsonObject {
  const optional = (key: string, value: unknown) => (value === null || value === '' || value === undefined ? {} : { [key]: value });
  return {
    id: u.id,
    aud: u.aud ?? '',
    role: u.role ?? '',
    email: u.email ?? '',
    ...optional('email_confirmed_at', u.email_confirmed_at),
    ...optional('invited_at', u.invited_at),
    phone: u.phone ?? '',
    ...optional('phone_confirmed_at', u.phone_confirmed_at),
    ...optional('confirmation_sent_at', u.confirmation_sent_at),
    ...optional('confirmed_at', u.confirmed_at),
    ...optional('recovery_sent_at', u.recovery_sent_at),
    ...optional('new_email', u.email_change),
    ...optional('email_change_sent_at', u.email_change_sent_at),
    ...optional('new_phone', u.phone_change),
    ...optional('phone_change_sent_at', u.phone_change_sent_at),
    ...optional('reauthentication_sent_at', u.reauthentication_sent_at),
    ...optional('last_sign_in_at', u.last_sign_in_at),
    app_metadata: isJsonObject(u.raw_app_meta_data) ? u.raw_app_meta_data : {},
    user_metadata: isJsonObject(u.raw_user_meta_data) ? u.raw_user_meta_data : {},
    identities: identities.filter((i) => i.user_id === u.id).map(serializeIdentity),
    created_at: u.created_at,
    updated_at: u.updated_at,
    ...optional('banned_until', u.banned_until),
    ...optional('deleted_at', u.deleted_at),
    is_anonymous: u.is_anonymous,
  };
}

/** The user as the API returns it, read fresh (triggers may have changed the row). */
export async function userJson(db: Db, userId: string): Promise<JsonObject> {
  const user = await findUserById(db, userId);
  if (!user) throw new Error(`user ${userId} vanished`);
  return serializeUser(user, await findIdentities(db, [userId]));
}
