import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asServiceRole, asUser, type Claims } from '../../src/lib/db/index.ts';
import { migrate } from '../../supabase/local/migrate.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';
import { createUser, errorOf, userClaims } from './fixtures.ts';

/*
 * Phases and per-phase settings, in a database of their own: these tests commit (the "exactly one
 * active phase" rule is checked at commit) and run the date activation, which acts on every
 * process in the database.
 *
 * A test-only feature `probe_votes` is registered here, gated the way a real one would be:
 * `vote` by the per-phase switch `votes_enabled` and block `votes_blocked`, `comment` by the
 * global switch `comments_enabled`.
 */

let admin: postgres.Sql;
let db: postgres.Sql;
let dbName: string;
let orgAdmin: string;
let spaceAdmin: string;
let participant: string;
let member: string;
/** The organization's today, as the date activation reads it (YYYY-MM-DD). */
let today: string;

const fr = (s: string) => ({ fr: s });
const as = (id: string): Claims => userClaims(id);

beforeAll(async () => {
  admin = connectTestDb();
  dbName = await createScratchDatabase(admin, 'phases');
  await migrate({ databaseUrl: databaseUrlFor(dbName), local: true, seed: false });
  db = postgres(databaseUrlFor(dbName), { max: 4, onnotice: () => {} });
  await db`insert into public.organization (name, time_zone) values ('{"fr": "Test"}', 'Europe/Paris')`;
  orgAdmin = await createUser(db, 'org');
  spaceAdmin = await createUser(db, 'admin');
  participant = await createUser(db, 'participant');
  member = await createUser(db, 'member');
  await db`insert into public.organization_admins (user_id) values (${orgAdmin})`;
  await db`insert into public.component_features (feature) values ('probe_votes')`;
  await db`
    insert into public.component_actions (feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting) values
      ('probe_votes', 'vote', null, 'votes_enabled', 'votes_blocked'),
      ('probe_votes', 'comment', 'comments_enabled', null, null)`;
  const [row] = await db<{ today: string }[]>`select to_char((now() at time zone 'Europe/Paris')::date, 'YYYY-MM-DD') as today`;
  today = row!.today;
});

afterAll(async () => {
  await db?.end();
  await dropScratchDatabase(admin, dbName);
  await admin.end();
});

interface ProcessOptions {
  kind?: 'process' | 'assembly';
  published?: boolean;
  private?: boolean;
  /** Start dates as day offsets from today (null: no date). */
  phases?: (number | null)[];
}

/** A space administered by `spaceAdmin`, with its phases in order (the first one active). */
async function createSpace(opts: ProcessOptions = {}) {
  const id = randomUUID();
  const phases = (opts.phases ?? []).map(() => randomUUID());
  await db.begin(async (tx) => {
    await tx`
      insert into public.spaces (id, kind, slug, title, published_at, private)
      values (${id}, ${opts.kind ?? 'process'}, ${`s-${id.slice(0, 8)}`}, ${tx.json(fr('Espace'))},
              ${opts.published === false ? null : new Date()}, ${opts.private ?? false})`;
    await tx`insert into public.space_roles (space_id, user_id, role) values (${id}, ${spaceAdmin}, 'admin')`;
    for (const [i, offset] of (opts.phases ?? []).entries()) {
      await tx`
        insert into public.phases (id, space_id, position, title, start_date)
        values (${phases[i]!}, ${id}, ${i + 1}, ${tx.json(fr(`Phase ${i + 1}`))}, ${offset === null ? null : tx`${today}::date + ${offset}::int`})`;
    }
  });
  return { id, phases };
}

/** A published `probe_votes` component in the space. */
async function createComponent(space: string, settings: object, phaseSettings: object, published = true) {
  const [row] = await db<{ id: string }[]>`
    insert into public.components (space_id, feature, name, published_at, settings, phase_settings)
    values (${space}, 'probe_votes', ${db.json(fr('Votes'))}, ${published ? new Date() : null},
            ${db.json(settings as postgres.JSONValue)}, ${db.json(phaseSettings as postgres.JSONValue)})
    returning id`;
  return row!.id;
}

async function allows(claims: Claims | null, component: string, action: string): Promise<boolean> {
  const [row] = await asUser(claims, (tx) => tx<{ ok: boolean }[]>`select private.component_allows(${component}, ${action}) as ok`, db);
  return row!.ok;
}

async function activePhase(space: string): Promise<string[]> {
  const rows = await db<{ id: string }[]>`select id from public.phases where space_id = ${space} and active`;
  return rows.map((r) => r.id);
}

const runDateActivation = () =>
  asServiceRole('test: date activation', (tx) => tx<{ id: string }[]>`select private.activate_due_phases() as id`, db).then((rows) =>
    rows.map((r) => r.id),
  );

describe('per-phase settings', () => {
  it('follow the active phase when an admin switches it by hand', async () => {
    const { id, phases } = await createSpace({ phases: [null, null, null] });
    const [p1, p2, p3] = phases as [string, string, string];
    const c = await createComponent(
      id,
      { comments_enabled: true },
      { [p1]: { votes_enabled: false }, [p2]: { votes_enabled: true }, [p3]: { votes_enabled: true, votes_blocked: true } },
    );
    const voter = as(participant);
    expect(await activePhase(id)).toEqual([p1]);
    expect(await allows(voter, c, 'vote')).toBe(false);

    await asUser(as(spaceAdmin), (tx) => tx`select public.activate_phase(${p2})`, db);
    expect(await activePhase(id)).toEqual([p2]);
    expect(await allows(voter, c, 'vote')).toBe(true);

    await asUser(as(spaceAdmin), (tx) => tx`select public.activate_phase(${p3})`, db);
    expect(await allows(voter, c, 'vote')).toBe(false); // enabled but blocked

    await asUser(as(orgAdmin), (tx) => tx`select public.activate_phase(${p1})`, db);
    expect(await allows(voter, c, 'vote')).toBe(false);

    // The global switch does not depend on the phase.
    expect(await allows(voter, c, 'comment')).toBe(true);
    await asUser(as(spaceAdmin), (tx) => tx`update public.components set settings = '{"comments_enabled": false}' where id = ${c}`, db);
    expect(await allows(voter, c, 'comment')).toBe(false);
  });

  it('use "default" for phases created after the component and for spaces without phases', async () => {
    const { id, phases } = await createSpace({ phases: [null] });
    const c = await createComponent(id, {}, { [phases[0]!]: { votes_enabled: false }, default: { votes_enabled: true } });
    expect(await allows(as(participant), c, 'vote')).toBe(false);
    const [late] = await asUser(
      as(spaceAdmin),
      (tx) => tx<{ id: string }[]>`insert into public.phases (space_id, position, title) values (${id}, 2, ${tx.json(fr('Tardive'))}) returning id`,
      db,
    );
    await asUser(as(spaceAdmin), (tx) => tx`select public.activate_phase(${late!.id})`, db);
    expect(await allows(as(participant), c, 'vote')).toBe(true);

    const assembly = await createSpace({ kind: 'assembly' });
    const a = await createComponent(assembly.id, {}, { default: { votes_enabled: true } });
    expect(await allows(as(participant), a, 'vote')).toBe(true);
  });

  it('never allow anything in unpublished components, unpublished spaces, or private spaces one is not part of', async () => {
    const on = { default: { votes_enabled: true } };
    const published = await createSpace();
    const draftComponent = await createComponent(published.id, {}, on, false);
    const draftSpace = await createSpace({ published: false });
    const inDraftSpace = await createComponent(draftSpace.id, {}, on);
    const privateSpace = await createSpace({ kind: 'assembly', private: true });
    const inPrivate = await createComponent(privateSpace.id, {}, on);
    await db`insert into public.space_members (space_id, user_id) values (${privateSpace.id}, ${member})`;

    expect(await allows(as(participant), draftComponent, 'vote')).toBe(false);
    expect(await allows(as(spaceAdmin), draftComponent, 'vote')).toBe(false); // previewing is not participating
    expect(await allows(as(spaceAdmin), inDraftSpace, 'vote')).toBe(false);
    expect(await allows(as(participant), inPrivate, 'vote')).toBe(false);
    expect(await allows(null, inPrivate, 'vote')).toBe(false);
    expect(await allows(as(member), inPrivate, 'vote')).toBe(true);
  });

  it('read switches strictly: unknown actions and malformed values say no without breaking the query', async () => {
    const { id } = await createSpace();
    const c = await createComponent(id, { comments_enabled: 'yes' }, { default: { votes_enabled: 'true' } });
    expect(await allows(as(participant), c, 'vote')).toBe(true); // the string "true" counts
    expect(await allows(as(participant), c, 'comment')).toBe(false); // "yes" is not a boolean
    expect(await allows(as(participant), c, 'fly')).toBe(false);
    expect(await allows(as(participant), randomUUID(), 'vote')).toBe(false);
  });
});

describe('date activation (private.activate_due_phases)', () => {
  it('activates the phase whose start date has arrived, flips the settings, and is idempotent', async () => {
    const { id, phases } = await createSpace({ phases: [-30, 0, 10] });
    const [p1, p2] = phases as [string, string, string];
    const c = await createComponent(id, {}, { [p2]: { votes_enabled: true } });
    expect(await activePhase(id)).toEqual([p1]);
    expect(await allows(as(participant), c, 'vote')).toBe(false);

    expect(await runDateActivation()).toContain(p2);
    expect(await activePhase(id)).toEqual([p2]);
    expect(await allows(as(participant), c, 'vote')).toBe(true);

    expect(await runDateActivation()).not.toContain(p2);
    expect(await activePhase(id)).toEqual([p2]);

    const [logged] = await db<{ actor_id: string | null; via: string }[]>`
      select actor_id, data ->> 'via' as via from public.action_log where resource_id = ${p2} and action = 'activate'`;
    expect(logged).toEqual({ actor_id: null, via: 'system' });
  });

  it('lets a later manual activation stand', async () => {
    const { id, phases } = await createSpace({ phases: [-30, 0] });
    const [p1, p2] = phases as [string, string];
    await runDateActivation();
    expect(await activePhase(id)).toEqual([p2]);
    await asUser(as(spaceAdmin), (tx) => tx`select public.activate_phase(${p1})`, db);
    await runDateActivation();
    expect(await activePhase(id)).toEqual([p1]);
  });

  it('catches up after days without a run: the latest due phase wins, future ones wait', async () => {
    const { id, phases } = await createSpace({ phases: [-30, -3, -1, 1] });
    // As if these start dates had been set in advance and the job had not run since.
    await db`update public.phases set date_activation_done = false where id in (${phases[1]!}, ${phases[2]!})`;
    expect(await runDateActivation()).toContain(phases[2]);
    expect(await activePhase(id)).toEqual([phases[2]]);
    const again = await runDateActivation();
    for (const p of phases) expect(again).not.toContain(p);
    expect(await activePhase(id)).toEqual([phases[2]]);
  });

  it('acts on a start date moved to today, not on dates already past when they were set', async () => {
    const { id, phases } = await createSpace({ phases: [null, -5, 20] });
    expect(await runDateActivation()).not.toContain(phases[1]);
    expect(await activePhase(id)).toEqual([phases[0]]);
    await asUser(as(spaceAdmin), (tx) => tx`update public.phases set start_date = ${today} where id = ${phases[2]!}`, db);
    expect(await runDateActivation()).toContain(phases[2]);
    expect(await activePhase(id)).toEqual([phases[2]]);
  });

  it('is not callable through the API roles', async () => {
    for (const claims of [null, as(orgAdmin)]) {
      const err = await errorOf(db, claims, (tx) => tx`select private.activate_due_phases()`);
      expect(err.message).toMatch(/permission denied/);
    }
  });
});

describe('exactly one active phase', () => {
  it('the first phase of a process is active, whatever the insert says', async () => {
    const { id } = await createSpace();
    const [row] = await asUser(
      as(spaceAdmin),
      (tx) => tx<{ active: boolean }[]>`insert into public.phases (space_id, position, title, active) values (${id}, 1, ${tx.json(fr('P'))}, false) returning active`,
      db,
    );
    expect(row?.active).toBe(true);
  });

  it('deleting the active phase hands over to the first remaining one', async () => {
    const { id, phases } = await createSpace({ phases: [null, null, null] });
    await asUser(as(spaceAdmin), (tx) => tx`select public.activate_phase(${phases[1]!})`, db);
    await asUser(as(spaceAdmin), (tx) => tx`delete from public.phases where id = ${phases[1]!}`, db);
    expect(await activePhase(id)).toEqual([phases[0]]);
    await asUser(as(spaceAdmin), (tx) => tx`delete from public.phases where space_id = ${id}`, db);
    expect(await activePhase(id)).toEqual([]); // a process may have no phase at all
  });

  it('no active phase is refused at commit', async () => {
    const { id, phases } = await createSpace({ phases: [null, null] });
    const err = await asUser(as(spaceAdmin), (tx) => tx`update public.phases set active = false where id = ${phases[0]!}`, db).then(
      () => undefined,
      (e: postgres.PostgresError) => e,
    );
    expect(err?.constraint_name).toBe('phases_exactly_one_active');
    expect(await activePhase(id)).toEqual([phases[0]]);
  });

  it('two active phases are refused', async () => {
    const { id, phases } = await createSpace({ phases: [null, null] });
    const err = await asUser(as(spaceAdmin), (tx) => tx`update public.phases set active = true where id = ${phases[1]!}`, db).then(
      () => undefined,
      (e: postgres.PostgresError) => e,
    );
    expect(err?.constraint_name).toBe('phases_one_active');
    // Even with the immediate check out of the way, the commit check holds.
    const atCommit = await db
      .begin(async (tx) => {
        await tx`drop index public.phases_one_active`;
        await tx`update public.phases set active = true where id = ${phases[1]!}`;
      })
      .then(
        () => undefined,
        (e: postgres.PostgresError) => e,
      );
    expect(atCommit?.constraint_name).toBe('phases_exactly_one_active');
    expect(await activePhase(id)).toEqual([phases[0]]);
  });

  it('phases can be reordered in one transaction (positions are checked at commit)', async () => {
    const { id, phases } = await createSpace({ phases: [null, null] });
    await asUser(
      as(spaceAdmin),
      async (tx) => {
        await tx`update public.phases set position = 2 where id = ${phases[0]!}`;
        await tx`update public.phases set position = 1 where id = ${phases[1]!}`;
      },
      db,
    );
    const rows = await db<{ id: string }[]>`select id from public.phases where space_id = ${id} order by position`;
    expect(rows.map((r) => r.id)).toEqual([phases[1], phases[0]]);
  });
});

describe('integrity rules', () => {
  it('phase dates cannot be reversed', async () => {
    const { id } = await createSpace();
    const err = await errorOf(
      db,
      as(spaceAdmin),
      (tx) => tx`insert into public.phases (space_id, position, title, start_date, end_date) values (${id}, 1, ${tx.json(fr('P'))}, '2027-02-01', '2027-01-01')`,
    );
    expect(err.constraint_name).toBe('phases_dates_ordered');
    const spaceErr = await errorOf(db, as(spaceAdmin), (tx) => tx`update public.spaces set start_date = '2027-02-01', end_date = '2027-01-01' where id = ${id}`);
    expect(spaceErr.constraint_name).toBe('spaces_dates_ordered');
  });

  it('only processes have phases', async () => {
    const { id } = await createSpace({ kind: 'assembly' });
    const err = await errorOf(db, as(spaceAdmin), (tx) => tx`insert into public.phases (space_id, position, title) values (${id}, 1, ${tx.json(fr('P'))})`);
    expect(err.constraint_name).toBe('phases_only_in_processes');
  });

  it('assemblies nest under assemblies only, without cycles, even through spaces the editor cannot see', async () => {
    const a = await createSpace({ kind: 'assembly' });
    const b = await createSpace({ kind: 'assembly', published: false });
    const process = await createSpace();
    // b is unpublished and administered by someone else.
    await db`delete from public.space_roles where space_id = ${b.id}`;
    await db`update public.spaces set parent_id = ${a.id} where id = ${b.id}`;

    const cycle = await errorOf(db, as(spaceAdmin), (tx) => tx`update public.spaces set parent_id = ${b.id} where id = ${a.id}`);
    expect(cycle.constraint_name).toBe('spaces_parent_no_cycle');
    const self = await errorOf(db, as(spaceAdmin), (tx) => tx`update public.spaces set parent_id = ${a.id} where id = ${a.id}`);
    expect(['spaces_parent_no_cycle', 'spaces_not_own_parent']).toContain(self.constraint_name);
    const underProcess = await errorOf(db, as(spaceAdmin), (tx) => tx`update public.spaces set parent_id = ${process.id} where id = ${a.id}`);
    expect(underProcess.constraint_name).toBe('spaces_parent_is_assembly');
    const processWithParent = await errorOf(db, as(spaceAdmin), (tx) => tx`update public.spaces set parent_id = ${a.id} where id = ${process.id}`);
    expect(processWithParent.constraint_name).toBe('spaces_parent_only_for_assemblies');
  });
});
