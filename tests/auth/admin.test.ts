import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adminClient, anonClient, authFetch, confirmedUser, openLink, PASSWORD, signedIn, stack, uniqueEmail, waitForEmail } from './helpers.ts';

const admin = adminClient();
const asAdmin = (path: string, init: { method?: string; body?: string } = {}) => authFetch(path, { ...init, bearer: stack().serviceRoleKey });

describe('admin users API', () => {
  it('creates, reads, updates and deletes a user', async () => {
    const email = uniqueEmail('admin');
    const created = await admin.auth.admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { name: 'Grace' },
      app_metadata: { org_role: 'admin' },
    });
    expect(created.error).toBeNull();
    const user = created.data.user!;
    expect(user).toMatchObject({
      email,
      role: 'authenticated',
      aud: 'authenticated',
      app_metadata: { provider: 'email', providers: ['email'], org_role: 'admin' },
      user_metadata: { name: 'Grace' },
    });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(user.identities?.[0]?.provider).toBe('email');

    const duplicate = await admin.auth.admin.createUser({ email, password: PASSWORD });
    expect(duplicate.error?.status).toBe(422);
    expect(duplicate.error?.code).toBe('email_exists');

    expect((await admin.auth.admin.getUserById(user.id)).data.user?.email).toBe(email);

    const updated = await admin.auth.admin.updateUserById(user.id, { user_metadata: { name: null, city: 'Nantes' }, app_metadata: { org_role: null } });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.user_metadata).toMatchObject({ city: 'Nantes' });
    expect(updated.data.user?.user_metadata).not.toHaveProperty('name');
    expect(updated.data.user?.app_metadata).not.toHaveProperty('org_role');

    const client = anonClient();
    const session = (await client.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    expect((await admin.auth.admin.deleteUser(user.id)).error).toBeNull();
    const gone = await admin.auth.admin.getUserById(user.id);
    expect(gone.error?.status).toBe(404);
    expect(gone.error?.code).toBe('user_not_found');
    expect((await authFetch('/user', { bearer: session.access_token })).body.code).toBe('user_not_found');
  });

  it('bans, changes password and email, and soft-deletes', async () => {
    const { id, email } = await confirmedUser('ban');
    const banned = await admin.auth.admin.updateUserById(id, { ban_duration: '24h' });
    expect(banned.data.user?.banned_until).toBeTruthy();
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
    const badDuration = await admin.auth.admin.updateUserById(id, { ban_duration: 'forever' });
    expect(badDuration.error?.status).toBe(400);
    await admin.auth.admin.updateUserById(id, { ban_duration: 'none' });

    const newEmail = uniqueEmail('renamed');
    const changed = await admin.auth.admin.updateUserById(id, { email: newEmail, password: 'admin-set-password', email_confirm: true });
    expect(changed.error).toBeNull();
    expect(changed.data.user?.email).toBe(newEmail);
    expect(changed.data.user?.identities?.[0]?.identity_data?.email).toBe(newEmail);
    expect((await anonClient().auth.signInWithPassword({ email: newEmail, password: 'admin-set-password' })).error).toBeNull();

    expect((await admin.auth.admin.deleteUser(id, true)).error).toBeNull();
    const soft = await admin.auth.admin.getUserById(id);
    expect(soft.data.user?.deleted_at).toBeTruthy();
    expect(soft.data.user?.email).toBe('');
    // The address is free again.
    expect((await admin.auth.admin.createUser({ email: newEmail, password: PASSWORD })).error).toBeNull();
  });

  it('lists users page by page with X-Total-Count and a Link header auth-js can parse', async () => {
    const tag = `page${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 3; i++) await confirmedUser(tag);
    const first = await asAdmin(`/admin/users?filter=${tag}&page=1&per_page=2`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-total-count')).toBe('3');
    expect(first.headers.get('link')).toBe(
      `</admin/users?filter=${tag}&page=2&per_page=2>; rel="next", </admin/users?filter=${tag}&page=2&per_page=2>; rel="last"`,
    );
    const users = first.body.users as { email: string; created_at: string }[];
    expect(users).toHaveLength(2);
    expect(users.every((u) => u.email.startsWith(tag))).toBe(true);
    expect(Date.parse(users[0]!.created_at)).toBeGreaterThanOrEqual(Date.parse(users[1]!.created_at));
    const second = await asAdmin(`/admin/users?filter=${tag}&page=2&per_page=2`);
    expect(second.body.users).toHaveLength(1);
    expect(second.headers.get('link')).toBe(`</admin/users?filter=${tag}&page=2&per_page=2>; rel="last"`);

    const { data, error } = await admin.auth.admin.listUsers({ page: 1, perPage: 1 });
    expect(error).toBeNull();
    expect(data.users).toHaveLength(1);
    expect(data).toMatchObject({ nextPage: 2, aud: 'authenticated' });
    expect('total' in data && data.total).toBeGreaterThanOrEqual(3);

    const bad = await asAdmin('/admin/users?page=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('generates links and codes without sending email', async () => {
    const { id, email } = await confirmedUser('genlink');
    const redirectTo = `${stack().siteUrl}/bienvenue`;
    const { data, error } = await admin.auth.admin.generateLink({ type: 'magiclink', email, options: { redirectTo } });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(id);
    expect(data.properties).toMatchObject({ verification_type: 'magiclink', redirect_to: redirectTo });
    expect(data.properties?.email_otp).toMatch(/^\d{6}$/);
    const link = new URL(data.properties!.action_link);
    expect(link.searchParams.get('token')).toBe(data.properties?.hashed_token);
    const { status, location } = await openLink(data.properties!.action_link);
    expect(status).toBe(303);
    expect(location.origin + location.pathname).toBe(redirectTo);

    const recovery = await admin.auth.admin.generateLink({ type: 'recovery', email });
    const verified = await anonClient().auth.verifyOtp({ email, token: recovery.data.properties!.email_otp, type: 'recovery' });
    expect(verified.error).toBeNull();

    const newcomer = uniqueEmail('genlink-new');
    const signup = await admin.auth.admin.generateLink({ type: 'signup', email: newcomer, password: PASSWORD });
    expect(signup.error).toBeNull();
    expect(signup.data.user?.email).toBe(newcomer);
    expect(signup.data.user?.email_confirmed_at).toBeUndefined();

    const invite = await admin.auth.admin.generateLink({ type: 'invite', email: uniqueEmail('invitee') });
    expect(invite.data.user?.invited_at).toBeTruthy();

    const missing = await admin.auth.admin.generateLink({ type: 'recovery', email: uniqueEmail('missing') });
    expect(missing.error?.status).toBe(404);
    expect(missing.error?.code).toBe('user_not_found');
  });

  it('invites by email; the link signs the invitee in, who then sets a password', async () => {
    const email = uniqueEmail('invite');
    const { data, error } = await admin.auth.admin.inviteUserByEmail(email, { data: { name: 'Invitée' }, redirectTo: `${stack().siteUrl}/bienvenue` });
    expect(error).toBeNull();
    expect(data.user?.invited_at).toBeTruthy();
    const mail = await waitForEmail(email);
    expect(mail.subject).toBe('Vous êtes invité·e à participer – Ville de Belleville-sur-Loire');
    const { location } = await openLink(mail.link);
    expect(location.pathname).toBe('/bienvenue');
    const params = new URLSearchParams(location.hash.slice(1));
    expect(params.get('type')).toBe('invite');
    const client = anonClient();
    await client.auth.setSession({ access_token: params.get('access_token')!, refresh_token: params.get('refresh_token')! });
    expect((await client.auth.updateUser({ password: PASSWORD })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
    expect((await admin.auth.admin.inviteUserByEmail(email)).error?.code).toBe('email_exists');
  });

  it('is closed to anything but the service role', async () => {
    const { client } = await signedIn('notadmin');
    const anon = await authFetch('/admin/users');
    expect(anon.status).toBe(403);
    expect(anon.body.code).toBe('not_admin');
    const userToken = (await client.auth.getSession()).data.session!.access_token;
    const asUser = await authFetch('/admin/users', { bearer: userToken });
    expect(asUser.status).toBe(403);
    expect(asUser.body.code).toBe('not_admin');
    const noBearer = await fetch(`${stack().supabaseUrl}/auth/v1/admin/users`, { headers: { apikey: stack().anonKey } });
    expect(noBearer.status).toBe(401);
    const badId = await asAdmin('/admin/users/not-a-uuid');
    expect(badId.status).toBe(404);
    expect(badId.body.code).toBe('validation_failed');
  });
});
