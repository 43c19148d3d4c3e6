import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFESTS } from '../../src/features/registry.ts';
import { permissionsFromForm } from '../../src/features/verifications/verifications.ts';
import { asUser } from '../../src/lib/db/index.ts';
import { createUser, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createProposal, createProposalsComponent, support, updatePhase } from '../proposals/fixtures.ts';
import { verify } from '../budgets/fixtures.ts';

/*
 * Verifications are the platform's: a component's action requires one through its
 * `permissions`, and every feature's policies refuse people who hold none, through
 * `component_allows` — proposals' supports and submissions here, with no line of the proposals
 * feature about it. The manifests say which actions may require one.
 */

let sql: postgres.Sql;
beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

describe('verification required by another feature’s actions', () => {
  it('proposals: a support needs the verification the component asks for', async () => {
    const f = await createProposalsComponent(sql);
    await sql`update public.components set permissions = ${sql.json({ vote: ['census', 'direct'] })} where id = ${f.componentId}`;
    const [author, unverified, verified] = await Promise.all([createUser(sql, 'v-author'), createUser(sql, 'v-none'), createUser(sql, 'v-ok')]);
    const proposal = await createProposal(sql, f, author);
    await expect(support(sql, unverified, proposal)).rejects.toMatchObject({ code: '42501' });
    await verify(sql, verified, 'direct');
    await support(sql, verified, proposal);
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.proposal_supports where proposal_id = ${proposal}`;
    expect(row?.n).toBe(1);
  });

  it('proposals: submitting one needs it too, when the component says so', async () => {
    const f = await createProposalsComponent(sql);
    await sql`update public.components set permissions = ${sql.json({ create: ['census'] })} where id = ${f.componentId}`;
    const [unverified, resident] = await Promise.all([createUser(sql, 'c-none'), createUser(sql, 'c-res')]);
    await expect(createProposal(sql, f, unverified)).rejects.toMatchObject({ code: '42501' });
    await verify(sql, resident, 'census');
    expect(await createProposal(sql, f, resident)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('component_action_state tells a page closed from open-but-unverified, for visitors too', async () => {
    const f = await createProposalsComponent(sql);
    await sql`update public.components set permissions = ${sql.json({ vote: ['direct'] })} where id = ${f.componentId}`;
    const [unverified, verified] = await Promise.all([createUser(sql, 's-none'), createUser(sql, 's-ok')]);
    await verify(sql, verified, 'direct');
    const state = (claims: Parameters<typeof asUser>[0], action: string) =>
      asUser(claims, (tx) => tx<{ s: string; allows: boolean }[]>`select private.component_action_state(${f.componentId}, ${action}) as s,
        private.component_allows(${f.componentId}, ${action}) as allows`, sql).then((r) => r[0]);
    expect(await state(null, 'vote')).toEqual({ s: 'unverified', allows: false });
    expect(await state(userClaims(unverified), 'vote')).toEqual({ s: 'unverified', allows: false });
    expect(await state(userClaims(verified), 'vote')).toEqual({ s: 'allowed', allows: true });
    // Nothing required for submissions: open to all, as before.
    expect(await state(userClaims(unverified), 'create')).toEqual({ s: 'allowed', allows: true });
    await updatePhase(sql, f, { votes_enabled: false });
    expect(await state(userClaims(unverified), 'vote')).toEqual({ s: 'closed', allows: false });
    expect(await state(userClaims(verified), 'vote')).toEqual({ s: 'closed', allows: false });
    expect(await state(userClaims(verified), 'no_such_action')).toEqual({ s: 'closed', allows: false });
  });

  it('a malformed permissions value is refused by the database', async () => {
    const f = await createProposalsComponent(sql);
    await expect(sql`update public.components set permissions = ${sql.json({ vote: 'census' })} where id = ${f.componentId}`).rejects.toMatchObject({
      constraint_name: 'components_permissions_valid',
    });
    await expect(sql`update public.components set permissions = ${sql.json({ vote: [1] })} where id = ${f.componentId}`).rejects.toMatchObject({
      constraint_name: 'components_permissions_valid',
    });
  });

  it('the manifests mark the actions that may require one, and the form reads only those', () => {
    const verifiable = MANIFESTS.flatMap((m) => m.actions.filter((a) => a.verifiable).map((a) => `${m.key}.${a.name}`)).sort();
    expect(verifiable).toEqual(expect.arrayContaining(['budgets.vote', 'proposals.create', 'proposals.vote']));
    const form = new FormData();
    form.append('permissions.vote', 'census');
    form.append('permissions.vote', 'census');
    form.append('permissions.vote', 'nonsense');
    form.append('permissions.comment', 'direct');
    expect(permissionsFromForm(form, ['vote'])).toEqual({ vote: ['census'] });
  });
});
