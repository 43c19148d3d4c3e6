import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asServiceRole, type Claims, type Tx } from '../../src/lib/db/index.ts';
import { connectTestDb } from '../helpers/db.ts';
import { attempt, createUser, errorOf, outcomeOf, uniqueTag, userClaims, type Outcome } from './fixtures.ts';

/*
 * Row-level security of the spaces schema, table by table, for every kind of person:
 *
 *   anon         signed out
 *   participant  signed in, no role anywhere
 *   member       member of the private assembly `priv`
 *   moderator    moderator of `pub`, `draft` and `priv`
 *   collaborator collaborator of `pub`, `draft` and `priv`
 *   spaceAdmin   admin of `pub`, `draft` and `priv`
 *   otherAdmin   admin of `other` only
 *   orgAdmin     organization admin
 *
 * Spaces: `pub` (published process), `draft` (unpublished process), `priv` (published private
 * assembly), `other` (published assembly). Components: `pub` (published) and `pubDraft`
 * (unpublished) in pub, `pubEmpty` (published, no page yet) in pub, `draft` in draft, `priv` in
 * priv, `other` in other. Each has a page except `pubEmpty`.
 *
 * Reads compare the fixture rows each person sees; writes run in transactions that are rolled
 * back, so every cell starts from the same data. Other test files share the database: only the
 * fixture's own rows are ever counted.
 */

const ACTORS = ['anon', 'participant', 'member', 'moderator', 'collaborator', 'spaceAdmin', 'otherAdmin', 'orgAdmin'] as const;
type Actor = (typeof ACTORS)[number];

let sql: postgres.Sql;
const tag = uniqueTag();
const users = {} as Record<Exclude<Actor, 'anon'>, string>;
const space = { pub: randomUUID(), draft: randomUUID(), priv: randomUUID(), other: randomUUID() };
const phase = { pub1: randomUUID(), pub2: randomUUID(), draft1: randomUUID() };
const component = {
  pub: randomUUID(),
  pubDraft: randomUUID(),
  pubEmpty: randomUUID(),
  draft: randomUUID(),
  priv: randomUUID(),
  other: randomUUID(),
};
const taxonomy = { root: randomUUID(), spare: randomUUID() };

const claimsOf = (a: Actor): Claims | null => (a === 'anon' ? null : userClaims(users[a]));

/** Label of the fixture id, for readable matrices. */
function labelsOf(ids: Record<string, string>, rows: { id: string }[]): string[] {
  const byId = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
  return rows.map((r) => byId.get(r.id)).filter((l): l is string => l !== undefined).sort();
}

/** What each person reads: the labels of the fixture rows `query` returns, or 'denied'. */
async function readMatrix(ids: Record<string, string>, query: (tx: Tx) => Promise<{ id: string }[]>) {
  const out = {} as Record<Actor, string[] | 'denied'>;
  for (const a of ACTORS) {
    const r = await attempt(sql, claimsOf(a), query);
    if (r.ok) out[a] = labelsOf(ids, r.value);
    else if (/^permission denied/.test(r.error.message)) out[a] = 'denied';
    else throw r.error;
  }
  return out;
}

async function writeMatrix(write: (tx: Tx, actor: Actor) => Promise<{ count: number }>) {
  const out = {} as Record<Actor, Outcome>;
  for (const a of ACTORS) out[a] = await outcomeOf(sql, claimsOf(a), (tx) => write(tx, a));
  return out;
}

/** Expected write outcomes: `ok` for the listed people, `denied` for anon, `refused` for the rest. */
function only(allowed: Actor[], overrides: Partial<Record<Actor, Outcome>> = {}): Record<Actor, Outcome> {
  const out = {} as Record<Actor, Outcome>;
  for (const a of ACTORS) out[a] = a === 'anon' ? 'denied' : allowed.includes(a) ? 'ok' : 'refused';
  return { ...out, ...overrides };
}
const ADMINS_OF_PUB: Actor[] = ['spaceAdmin', 'orgAdmin'];
const NOBODY: Record<Actor, Outcome> = Object.fromEntries(ACTORS.map((a) => [a, 'denied'])) as Record<Actor, Outcome>;

const fr = (s: string) => ({ fr: s });

beforeAll(async () => {
  sql = connectTestDb();
  for (const a of ACTORS) if (a !== 'anon') users[a] = await createUser(sql, `${a.toLowerCase()}-${tag}`);
  await sql.begin(async (tx) => {
    await tx`insert into public.organization_admins (user_id) values (${users.orgAdmin})`;
    await tx`insert into public.taxonomies (id, name) values (${taxonomy.root}, ${tx.json(fr(`Racine ${tag}`))}), (${taxonomy.spare}, ${tx.json(fr(`Autre ${tag}`))})`;
    await tx`
      insert into public.spaces (id, kind, slug, title, published_at, private) values
        (${space.pub}, 'process', ${`pub-${tag}`}, ${tx.json(fr('Publié'))}, now(), false),
        (${space.draft}, 'process', ${`draft-${tag}`}, ${tx.json(fr('Brouillon'))}, null, false),
        (${space.priv}, 'assembly', ${`priv-${tag}`}, ${tx.json(fr('Privée'))}, now(), true),
        (${space.other}, 'assembly', ${`other-${tag}`}, ${tx.json(fr('Autre'))}, now(), false)`;
    await tx`
      insert into public.phases (id, space_id, position, title) values
        (${phase.pub1}, ${space.pub}, 1, ${tx.json(fr('Phase 1'))}),
        (${phase.pub2}, ${space.pub}, 2, ${tx.json(fr('Phase 2'))}),
        (${phase.draft1}, ${space.draft}, 1, ${tx.json(fr('Phase 1'))})`;
    await tx`
      insert into public.components (id, space_id, feature, name, published_at) values
        (${component.pub}, ${space.pub}, 'pages', ${tx.json(fr('Page'))}, now()),
        (${component.pubDraft}, ${space.pub}, 'pages', ${tx.json(fr('Page brouillon'))}, null),
        (${component.pubEmpty}, ${space.pub}, 'pages', ${tx.json(fr('Page vide'))}, now()),
        (${component.draft}, ${space.draft}, 'pages', ${tx.json(fr('Page'))}, now()),
        (${component.priv}, ${space.priv}, 'pages', ${tx.json(fr('Page'))}, now()),
        (${component.other}, ${space.other}, 'pages', ${tx.json(fr('Page'))}, now())`;
    await tx`
      insert into public.pages (component_id, body)
      select id, ${tx.json(fr('<p>Corps</p>'))} from public.components
      where id in (${component.pub}, ${component.pubDraft}, ${component.draft}, ${component.priv}, ${component.other})`;
    await tx`
      insert into public.space_taxonomies (space_id, taxonomy_id)
      select s, ${taxonomy.root}::uuid from unnest(${[space.pub, space.draft, space.priv, space.other]}::uuid[]) s`;
    for (const s of [space.pub, space.draft, space.priv]) {
      await tx`
        insert into public.space_roles (space_id, user_id, role) values
          (${s}, ${users.moderator}, 'moderator'), (${s}, ${users.collaborator}, 'collaborator'), (${s}, ${users.spaceAdmin}, 'admin')`;
    }
    await tx`insert into public.space_roles (space_id, user_id, role) values (${space.other}, ${users.otherAdmin}, 'admin')`;
    await tx`insert into public.space_members (space_id, user_id) values (${space.priv}, ${users.member})`;
  });
});

afterAll(async () => {
  await sql.end();
});

describe('spaces', () => {
  it('unpublished spaces show only to their admins and collaborators, private ones to their members and roles', async () => {
    expect(await readMatrix(space, (tx) => tx`select id from public.spaces`)).toEqual({
      anon: ['other', 'pub'],
      participant: ['other', 'pub'],
      member: ['other', 'priv', 'pub'],
      moderator: ['other', 'priv', 'pub'],
      collaborator: ['draft', 'other', 'priv', 'pub'],
      spaceAdmin: ['draft', 'other', 'priv', 'pub'],
      otherAdmin: ['other', 'pub'],
      orgAdmin: ['draft', 'other', 'priv', 'pub'],
    });
  });

  it('org admins create spaces, and INSERT … RETURNING works for them', async () => {
    const result = await writeMatrix(
      (tx, a) => tx`insert into public.spaces (kind, slug, title) values ('process', ${`new-${a.toLowerCase()}-${tag}`}, ${tx.json(fr('Nouveau'))}) returning id`,
    );
    expect(result).toEqual(only(['orgAdmin']));
  });

  it('space admins (of this space) and org admins edit it; collaborators and moderators cannot', async () => {
    expect(await writeMatrix((tx) => tx`update public.spaces set title = ${tx.json(fr('Modifié'))} where id = ${space.pub} returning id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`update public.spaces set published_at = now() where id = ${space.draft} returning id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
  });

  it('only org admins delete spaces', async () => {
    expect(await writeMatrix((tx) => tx`delete from public.spaces where id = ${space.pub} returning id`)).toEqual(only(['orgAdmin']));
  });

  it('nobody changes the kind of a space', async () => {
    const result = await writeMatrix((tx) => tx`update public.spaces set kind = 'assembly' where id = ${space.pub}`);
    expect(result).toEqual(NOBODY);
  });

  it('a space admin cannot edit, publish or hang assemblies under a space they do not administer', async () => {
    const admin = userClaims(users.otherAdmin);
    expect(await outcomeOf(sql, admin, (tx) => tx`update public.spaces set promoted = true where id = ${space.pub}`)).toBe('refused');
    expect(await outcomeOf(sql, admin, (tx) => tx`update public.spaces set published_at = now() where id = ${space.draft}`)).toBe('refused');
    expect(await outcomeOf(sql, userClaims(users.spaceAdmin), (tx) => tx`update public.spaces set private = true where id = ${space.other}`)).toBe(
      'refused',
    );
  });
});

describe('phases', () => {
  it('show with their space only', async () => {
    expect(await readMatrix(phase, (tx) => tx`select id from public.phases`)).toEqual({
      anon: ['pub1', 'pub2'],
      participant: ['pub1', 'pub2'],
      member: ['pub1', 'pub2'],
      moderator: ['pub1', 'pub2'],
      collaborator: ['draft1', 'pub1', 'pub2'],
      spaceAdmin: ['draft1', 'pub1', 'pub2'],
      otherAdmin: ['pub1', 'pub2'],
      orgAdmin: ['draft1', 'pub1', 'pub2'],
    });
  });

  it('are added, edited, activated and deleted by the space admins only', async () => {
    expect(
      await writeMatrix((tx) => tx`insert into public.phases (space_id, position, title) values (${space.pub}, 3, ${tx.json(fr('Phase 3'))}) returning id`),
    ).toEqual(only(ADMINS_OF_PUB));
    expect(await writeMatrix((tx) => tx`update public.phases set title = ${tx.json(fr('Titre'))} where id = ${phase.pub2} returning id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`delete from public.phases where id = ${phase.pub2} returning id`)).toEqual(only(ADMINS_OF_PUB));
  });

  it('activate_phase: space admins switch the active phase; others are told no (42501), anon cannot call it', async () => {
    const result = {} as Record<Actor, string>;
    for (const a of ACTORS) {
      const r = await attempt(sql, claimsOf(a), async (tx) => {
        await tx`select public.activate_phase(${phase.pub2})`;
        const [row] = await tx<{ active: boolean }[]>`select active from public.phases where id = ${phase.pub2}`;
        return row?.active;
      });
      result[a] = r.ok ? (r.value ? 'activated' : 'unchanged') : `${r.error.code}`;
    }
    expect(result).toEqual({
      anon: '42501', // no execute privilege
      participant: '42501',
      member: '42501',
      moderator: '42501',
      collaborator: '42501',
      spaceAdmin: 'activated',
      otherAdmin: '42501',
      orgAdmin: 'activated',
    });
    // A phase the caller cannot see does not exist for them.
    const hidden = await errorOf(sql, userClaims(users.participant), (tx) => tx`select public.activate_phase(${phase.draft1})`);
    expect(hidden.code).toBe('P0002');
  });

  it('cannot be moved to another space, nor marked as activated by date by hand', async () => {
    for (const a of ADMINS_OF_PUB) {
      expect(await outcomeOf(sql, claimsOf(a), (tx) => tx`update public.phases set space_id = ${space.draft} where id = ${phase.pub2}`)).toBe('denied');
      expect(await outcomeOf(sql, claimsOf(a), (tx) => tx`update public.phases set date_activation_done = true where id = ${phase.pub2}`)).toBe(
        'denied',
      );
    }
  });
});

describe('taxonomies', () => {
  it('are public; only org admins manage them', async () => {
    const read = await readMatrix(taxonomy, (tx) => tx`select id from public.taxonomies`);
    for (const a of ACTORS) expect(read[a]).toEqual(['root', 'spare']);
    expect(await writeMatrix((tx) => tx`insert into public.taxonomies (parent_id, name) values (${taxonomy.root}, ${tx.json(fr('Quartier'))}) returning id`)).toEqual(
      only(['orgAdmin']),
    );
    expect(await writeMatrix((tx) => tx`update public.taxonomies set name = ${tx.json(fr('Renommée'))} where id = ${taxonomy.spare}`)).toEqual(
      only(['orgAdmin']),
    );
    expect(await writeMatrix((tx) => tx`delete from public.taxonomies where id = ${taxonomy.spare}`)).toEqual(only(['orgAdmin']));
  });

  it('refuse a hierarchy that loops', async () => {
    const err = await errorOf(sql, userClaims(users.orgAdmin), async (tx) => {
      await tx`update public.taxonomies set parent_id = ${taxonomy.root} where id = ${taxonomy.spare}`;
      await tx`update public.taxonomies set parent_id = ${taxonomy.spare} where id = ${taxonomy.root}`;
    });
    expect(err.constraint_name).toBe('taxonomies_parent_no_cycle');
  });
});

describe('space_taxonomies', () => {
  it('show with their space; space admins tag and untag their space', async () => {
    const read = await readMatrix(space, (tx) => tx<{ id: string }[]>`select space_id as id from public.space_taxonomies where taxonomy_id = ${taxonomy.root}`);
    expect(read).toEqual(await readMatrix(space, (tx) => tx`select id from public.spaces`));
    expect(await writeMatrix((tx) => tx`insert into public.space_taxonomies (space_id, taxonomy_id) values (${space.pub}, ${taxonomy.spare}) returning space_id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`delete from public.space_taxonomies where space_id = ${space.pub} and taxonomy_id = ${taxonomy.root}`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`update public.space_taxonomies set taxonomy_id = ${taxonomy.spare} where space_id = ${space.pub}`)).toEqual(NOBODY);
  });
});

describe('space_roles', () => {
  it('are seen by their holder and by the space admins, never by visitors', async () => {
    const rows = (tx: Tx) =>
      tx<{ id: string }[]>`select user_id::text || ':' || role as id from public.space_roles where space_id = ${space.pub}`;
    const ids = {
      moderator: `${users.moderator}:moderator`,
      collaborator: `${users.collaborator}:collaborator`,
      admin: `${users.spaceAdmin}:admin`,
    };
    expect(await readMatrix(ids, rows)).toEqual({
      anon: 'denied',
      participant: [],
      member: [],
      moderator: ['moderator'],
      collaborator: ['collaborator'],
      spaceAdmin: ['admin', 'collaborator', 'moderator'],
      otherAdmin: [],
      orgAdmin: ['admin', 'collaborator', 'moderator'],
    });
  });

  it('are granted and revoked by the space admins only, and never edited in place', async () => {
    expect(
      await writeMatrix((tx) => tx`insert into public.space_roles (space_id, user_id, role) values (${space.pub}, ${users.participant}, 'evaluator') returning user_id`),
    ).toEqual(only(ADMINS_OF_PUB));
    expect(await writeMatrix((tx) => tx`delete from public.space_roles where space_id = ${space.pub} and user_id = ${users.moderator}`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`update public.space_roles set role = 'admin' where user_id = ${users.moderator}`)).toEqual(NOBODY);
  });

  it('a space admin cannot grant themselves a role in another space, nor become an org admin', async () => {
    const admin = userClaims(users.spaceAdmin);
    expect(await outcomeOf(sql, admin, (tx) => tx`insert into public.space_roles (space_id, user_id, role) values (${space.other}, ${users.spaceAdmin}, 'admin')`)).toBe(
      'refused',
    );
    expect(await outcomeOf(sql, admin, (tx) => tx`insert into public.organization_admins (user_id) values (${users.spaceAdmin})`)).toBe('denied');
  });
});

describe('space_members', () => {
  it('are seen by the member and the space admins; added and removed by the space admins', async () => {
    const rows = (tx: Tx) => tx<{ id: string }[]>`select user_id as id from public.space_members where space_id = ${space.priv}`;
    expect(await readMatrix({ member: users.member }, rows)).toEqual({
      anon: 'denied',
      participant: [],
      member: ['member'],
      moderator: [],
      collaborator: [],
      spaceAdmin: ['member'],
      otherAdmin: [],
      orgAdmin: ['member'],
    });
    expect(await writeMatrix((tx) => tx`insert into public.space_members (space_id, user_id) values (${space.priv}, ${users.participant}) returning user_id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`delete from public.space_members where space_id = ${space.priv} and user_id = ${users.member}`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`update public.space_members set user_id = ${users.participant} where space_id = ${space.priv}`)).toEqual(NOBODY);
  });
});

const visibleComponents = {
    anon: ['other', 'pub', 'pubEmpty'],
    participant: ['other', 'pub', 'pubEmpty'],
    member: ['other', 'priv', 'pub', 'pubEmpty'],
    moderator: ['other', 'priv', 'pub', 'pubEmpty'],
    collaborator: ['draft', 'other', 'priv', 'pub', 'pubDraft', 'pubEmpty'],
    spaceAdmin: ['draft', 'other', 'priv', 'pub', 'pubDraft', 'pubEmpty'],
    otherAdmin: ['other', 'pub', 'pubEmpty'],
    orgAdmin: ['draft', 'other', 'priv', 'pub', 'pubDraft', 'pubEmpty'],
};

describe('components', () => {
  it('unpublished ones, and those of hidden spaces, show only to admins and collaborators', async () => {
    expect(await readMatrix(component, (tx) => tx`select id from public.components`)).toEqual(visibleComponents);
  });

  it('are added, configured, published and removed by the space admins; collaborators only look', async () => {
    expect(
      await writeMatrix((tx) => tx`insert into public.components (space_id, feature, name) values (${space.pub}, 'pages', ${tx.json(fr('Nouvelle'))}) returning id`),
    ).toEqual(only(ADMINS_OF_PUB));
    expect(await writeMatrix((tx) => tx`update public.components set settings = '{"x": true}' where id = ${component.pub} returning id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`update public.components set published_at = now() where id = ${component.pubDraft} returning id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`delete from public.components where id = ${component.pub} returning id`)).toEqual(only(ADMINS_OF_PUB));
  });

  it('never change feature or space', async () => {
    expect(await writeMatrix((tx) => tx`update public.components set feature = 'pages' where id = ${component.pub}`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`update public.components set space_id = ${space.other} where id = ${component.pub}`)).toEqual(NOBODY);
  });

  it('a space admin cannot add a component to a space they do not administer', async () => {
    expect(
      await outcomeOf(sql, userClaims(users.otherAdmin), (tx) => tx`insert into public.components (space_id, feature, name) values (${space.pub}, 'pages', ${tx.json(fr('X'))})`),
    ).toBe('refused');
  });

  it('the policy helpers tell nothing about hidden components', async () => {
    const probe = async (a: Actor, id: string) => {
      const r = await attempt(sql, claimsOf(a), async (tx) => {
        const [row] = await tx<{ view: boolean; settings: unknown }[]>`
          select private.can_view_component(${id}) as view, private.component_phase_settings(${id}) as settings`;
        return row;
      });
      if (!r.ok) throw r.error;
      return r.value;
    };
    expect(await probe('anon', component.priv)).toEqual({ view: false, settings: null });
    expect(await probe('anon', component.pubDraft)).toEqual({ view: false, settings: null });
    expect(await probe('participant', component.draft)).toEqual({ view: false, settings: null });
    expect(await probe('member', component.priv)).toEqual({ view: true, settings: {} });
  });
});

describe('component_features and component_actions', () => {
  it('are public and written by migrations only', async () => {
    const read = await readMatrix({ pages: 'pages' }, (tx) => tx<{ id: string }[]>`select feature as id from public.component_features`);
    for (const a of ACTORS) expect(read[a]).toEqual(['pages']);
    expect(await writeMatrix((tx) => tx`insert into public.component_features (feature) values ('intruder')`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`delete from public.component_features where feature = 'pages'`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`update public.component_features set feature = 'x' where feature = 'pages'`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`insert into public.component_actions (feature, action) values ('pages', 'intrude')`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`update public.component_actions set global_enabled_setting = null`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`delete from public.component_actions`)).toEqual(NOBODY);
    const actions = await attempt(sql, null, (tx) => tx`select * from public.component_actions limit 1`);
    expect(actions.ok).toBe(true);
  });
});

describe('pages', () => {
  it('show exactly where their component shows', async () => {
    const withPage = { pub: component.pub, pubDraft: component.pubDraft, draft: component.draft, priv: component.priv, other: component.other };
    const read = await readMatrix(withPage, (tx) => tx<{ id: string }[]>`select component_id as id from public.pages`);
    const expected = Object.fromEntries(ACTORS.map((a) => [a, visibleComponents[a].filter((c) => c !== 'pubEmpty')]));
    expect(read).toEqual(expected);
  });

  it('are written by the space admins only, never deleted on their own, never moved', async () => {
    expect(await writeMatrix((tx) => tx`insert into public.pages (component_id, body) values (${component.pubEmpty}, ${tx.json(fr('<p>Nouveau</p>'))}) returning component_id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`update public.pages set body = ${tx.json(fr('<p>Modifié</p>'))} where component_id = ${component.pub} returning component_id`)).toEqual(
      only(ADMINS_OF_PUB),
    );
    expect(await writeMatrix((tx) => tx`delete from public.pages where component_id = ${component.pub}`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`update public.pages set component_id = ${component.pubEmpty} where component_id = ${component.pub}`)).toEqual(NOBODY);
  });

  it('a space admin cannot write the page of another space', async () => {
    expect(
      await outcomeOf(sql, userClaims(users.otherAdmin), (tx) => tx`update public.pages set body = ${tx.json(fr('<p>x</p>'))} where component_id = ${component.pub}`),
    ).toBe('refused');
  });

  it('belong to pages components only', async () => {
    // A component of another feature, registered in a transaction that is rolled back.
    const err = await sql
      .begin(async (tx) => {
        await tx`insert into public.component_features (feature) values ('probe_not_pages')`;
        const [c] = await tx<{ id: string }[]>`
          insert into public.components (space_id, feature, name) values (${space.pub}, 'probe_not_pages', ${tx.json(fr('X'))}) returning id`;
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(userClaims(users.orgAdmin))}, true)`;
        await tx`insert into public.pages (component_id, body) values (${c!.id}, '{}')`;
      })
      .then(
        () => undefined,
        (e: postgres.PostgresError) => e,
      );
    expect(err?.constraint_name).toBe('pages_component_feature');
  });
});

describe('organization', () => {
  it('is read by everyone and edited by org admins only', async () => {
    const read = await readMatrix({ org: 'true' }, (tx) => tx<{ id: string }[]>`select id::text as id from public.organization`);
    for (const a of ACTORS) expect(read[a]).toEqual(['org']);
    expect(await writeMatrix((tx) => tx`update public.organization set contact_email = 'mairie@example.org' returning id`)).toEqual(only(['orgAdmin']));
    expect(await writeMatrix((tx) => tx`insert into public.organization (id, name) values (true, '{"fr": "X"}')`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`delete from public.organization`)).toEqual(NOBODY);
    expect(await outcomeOf(sql, userClaims(users.orgAdmin), (tx) => tx`update public.organization set created_at = now()`)).toBe('denied');
  });
});

describe('organization_admins', () => {
  it('are seen by org admins (and each admin sees themselves), never written through the API', async () => {
    const read = await readMatrix({ orgAdmin: users.orgAdmin }, (tx) => tx<{ id: string }[]>`select user_id as id from public.organization_admins`);
    expect(read).toEqual({
      anon: 'denied',
      participant: [],
      member: [],
      moderator: [],
      collaborator: [],
      spaceAdmin: [],
      otherAdmin: [],
      orgAdmin: ['orgAdmin'],
    });
    expect(await writeMatrix((tx, a) => tx`insert into public.organization_admins (user_id) values (${a === 'anon' ? users.participant : users[a]})`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`update public.organization_admins set created_at = now()`)).toEqual(NOBODY);
    expect(await writeMatrix((tx) => tx`delete from public.organization_admins where user_id = ${users.orgAdmin}`)).toEqual(NOBODY);
  });
});

describe('action_log', () => {
  it('is read by org admins, and by space admins for their spaces only', async () => {
    const rows = (tx: Tx) =>
      tx<{ id: string }[]>`select distinct space_id as id from public.action_log where space_id = any(${Object.values(space)}::uuid[])`;
    expect(await readMatrix(space, rows)).toEqual({
      anon: 'denied',
      participant: [],
      member: [],
      moderator: [],
      collaborator: [],
      spaceAdmin: ['draft', 'priv', 'pub'],
      otherAdmin: ['other'],
      orgAdmin: ['draft', 'other', 'priv', 'pub'],
    });
  });

  it('cannot be written, changed, deleted or emptied through anon, authenticated or service_role', async () => {
    const writes = [
      (tx: Tx) => tx`insert into public.action_log (action, resource_type) values ('forged', 'spaces')`,
      (tx: Tx) => tx`update public.action_log set action = 'forged' where space_id = ${space.pub}`,
      (tx: Tx) => tx`delete from public.action_log where space_id = ${space.pub}`,
      (tx: Tx) => tx`truncate public.action_log`,
    ];
    for (const write of writes) {
      for (const a of ACTORS) expect(await outcomeOf(sql, claimsOf(a), write)).toBe('denied');
      const asService = await asServiceRole('test: tamper with the log', write, sql).then(
        () => 'ok',
        (e: postgres.PostgresError) => e.message,
      );
      expect(asService).toMatch(/^permission denied/);
    }
  });

  it('is append-only even for the table owner', async () => {
    const owner = async (statement: string) =>
      sql.begin((tx) => tx.unsafe(statement)).then(
        () => 'ok',
        (e: postgres.PostgresError) => e.message,
      );
    expect(await owner(`update public.action_log set action = 'x' where space_id = '${space.pub}'`)).toMatch(/append-only/);
    expect(await owner(`delete from public.action_log where space_id = '${space.pub}'`)).toMatch(/append-only/);
    expect(await owner('truncate public.action_log')).toMatch(/append-only/);
  });

  /** The log rows one change wrote, read back in the same (rolled back) transaction. */
  async function logOf(a: Actor, change: (tx: Tx) => Promise<unknown>) {
    const r = await attempt(sql, claimsOf(a), async (tx) => {
      await change(tx);
      await tx`reset role`;
      return tx<{ actor_id: string | null; action: string; resource_type: string; resource_id: string; space_id: string | null }[]>`
        select actor_id, action, resource_type, resource_id, space_id from public.action_log
        where created_at = now() and actor_id is not distinct from ${a === 'anon' ? null : users[a]}
        order by id`;
    });
    if (!r.ok) throw r.error;
    return r.value.map((row) => ({ ...row }));
  }

  it('records each admin change as exactly one row naming the actor', async () => {
    const A = users.spaceAdmin;
    const O = users.orgAdmin;
    const cases: [string, Actor, (tx: Tx) => Promise<unknown>, object][] = [
      ['edit a space', 'spaceAdmin', (tx) => tx`update public.spaces set title = ${tx.json(fr('Nouveau titre'))} where id = ${space.pub}`,
        { actor_id: A, action: 'update', resource_type: 'spaces', resource_id: space.pub, space_id: space.pub }],
      ['publish a space', 'spaceAdmin', (tx) => tx`update public.spaces set published_at = now() where id = ${space.draft}`,
        { actor_id: A, action: 'publish', resource_type: 'spaces', resource_id: space.draft, space_id: space.draft }],
      ['add a phase', 'spaceAdmin', (tx) => tx`insert into public.phases (space_id, position, title) values (${space.pub}, 9, ${tx.json(fr('P9'))})`,
        { actor_id: A, action: 'insert', resource_type: 'phases', space_id: space.pub }],
      ['activate a phase', 'spaceAdmin', (tx) => tx`select public.activate_phase(${phase.pub2})`,
        { actor_id: A, action: 'activate', resource_type: 'phases', resource_id: phase.pub2, space_id: space.pub }],
      ['add a component', 'spaceAdmin', (tx) => tx`insert into public.components (space_id, feature, name) values (${space.pub}, 'pages', ${tx.json(fr('C'))})`,
        { actor_id: A, action: 'insert', resource_type: 'components', space_id: space.pub }],
      ['publish a component', 'spaceAdmin', (tx) => tx`update public.components set published_at = now() where id = ${component.pubDraft}`,
        { actor_id: A, action: 'publish', resource_type: 'components', resource_id: component.pubDraft, space_id: space.pub }],
      ['unpublish a component', 'spaceAdmin', (tx) => tx`update public.components set published_at = null where id = ${component.pub}`,
        { actor_id: A, action: 'unpublish', resource_type: 'components', resource_id: component.pub, space_id: space.pub }],
      ['grant a role', 'spaceAdmin', (tx) => tx`insert into public.space_roles (space_id, user_id, role) values (${space.pub}, ${users.participant}, 'evaluator')`,
        { actor_id: A, action: 'insert', resource_type: 'space_roles', resource_id: users.participant, space_id: space.pub }],
      ['revoke a role', 'spaceAdmin', (tx) => tx`delete from public.space_roles where space_id = ${space.pub} and user_id = ${users.moderator}`,
        { actor_id: A, action: 'delete', resource_type: 'space_roles', resource_id: users.moderator, space_id: space.pub }],
      ['add a private member', 'spaceAdmin', (tx) => tx`insert into public.space_members (space_id, user_id) values (${space.priv}, ${users.participant})`,
        { actor_id: A, action: 'insert', resource_type: 'space_members', resource_id: users.participant, space_id: space.priv }],
      ['tag a space', 'spaceAdmin', (tx) => tx`insert into public.space_taxonomies (space_id, taxonomy_id) values (${space.pub}, ${taxonomy.spare})`,
        { actor_id: A, action: 'insert', resource_type: 'space_taxonomies', resource_id: taxonomy.spare, space_id: space.pub }],
      ['write a page', 'spaceAdmin', (tx) => tx`update public.pages set body = ${tx.json(fr('<p>Nouveau</p>'))} where component_id = ${component.pub}`,
        { actor_id: A, action: 'update', resource_type: 'pages', resource_id: component.pub, space_id: space.pub }],
      ['edit the organization', 'orgAdmin', (tx) => tx`update public.organization set contact_email = 'mairie@example.org'`,
        { actor_id: O, action: 'update', resource_type: 'organization', space_id: null }],
      ['add a taxonomy', 'orgAdmin', (tx) => tx`insert into public.taxonomies (name) values (${tx.json(fr('Thème'))})`,
        { actor_id: O, action: 'insert', resource_type: 'taxonomies', space_id: null }],
      // Everything in the space goes with it; the deletion of the space is the one event.
      ['delete a space', 'orgAdmin', (tx) => tx`delete from public.spaces where id = ${space.pub}`,
        { actor_id: O, action: 'delete', resource_type: 'spaces', resource_id: space.pub, space_id: space.pub }],
    ];
    for (const [what, actor, change, expected] of cases) {
      const rows = await logOf(actor, change);
      expect(rows, what).toHaveLength(1);
      expect(rows[0], what).toMatchObject(expected);
    }
  });

  it('records nothing when nothing changed', async () => {
    const rows = await logOf('spaceAdmin', (tx) => tx`update public.spaces set weight = weight where id = ${space.pub}`);
    expect(rows).toEqual([]);
  });

  it('marks the system (seed, jobs) as the actor when no one is signed in', async () => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.action_log
      where space_id = ${space.pub} and actor_id is null and data ->> 'via' = 'system'`;
    expect(row?.n).toBeGreaterThan(0);
  });
});

describe('grants', () => {
  it('no table in public lets the API roles truncate it, add triggers to it or reference it', async () => {
    const rows = await sql<{ grant: string }[]>`
      select format('%s %s on %s', p.privilege, r.role, c.relname) as grant
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      cross join (values ('anon'), ('authenticated')) r (role)
      cross join (values ('TRUNCATE'), ('TRIGGER'), ('REFERENCES')) p (privilege)
      where n.nspname = 'public' and c.relkind in ('r', 'p') and has_table_privilege(r.role, c.oid, p.privilege)
      order by 1`;
    expect(rows.map((r) => r.grant)).toEqual([]);
  });

  it('tables created later do not get those privileges either', async () => {
    await sql.begin(async (tx) => {
      await tx`create table public.grants_probe (id int)`;
      const [row] = await tx<{ truncate: boolean }[]>`select has_table_privilege('anon', 'public.grants_probe', 'TRUNCATE') as truncate`;
      expect(row?.truncate).toBe(false);
      await tx`drop table public.grants_probe`;
    });
  });
});
