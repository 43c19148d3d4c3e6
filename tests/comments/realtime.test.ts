import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { anonClient, signedIn } from '../auth/helpers.ts';
import { userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { sleep, subscribe, waitFor } from '../realtime/helpers.ts';

/*
 * Live comments with the real supabase-js: the database broadcasts each change of a thread on the
 * resource's private channel; whoever can view the resource joins and hears it (the comment id
 * and what changed, never the text), whoever cannot is refused at the door.
 */

const db = connectTestDb();
const clients: SupabaseClient[] = [];
const tag = randomUUID().slice(0, 8);
const spaceId = randomUUID();
const componentId = randomUUID();
const topic = `comments:page:${componentId}`;

beforeAll(async () => {
  await db.begin(async (tx) => {
    await tx`insert into public.spaces (id, kind, slug, title, published_at, private) values (${spaceId}, 'assembly', ${`rt-comments-${tag}`}, ${tx.json({ fr: 'Commission' })}, now(), true)`;
    await tx`
      insert into public.components (id, space_id, feature, name, published_at, settings)
      values (${componentId}, ${spaceId}, 'pages', ${tx.json({ fr: 'Page' })}, now(), ${tx.json({ comments_enabled: true })})`;
  });
});

afterAll(async () => {
  for (const c of clients) await c.removeAllChannels();
  await db.end();
});

describe('live comments', () => {
  it('a new comment reaches a private-channel subscriber who can view the resource, and nobody else', async () => {
    const member = await signedIn('rt-c-member');
    clients.push(member.client);
    await db`insert into public.space_members (space_id, user_id) values (${spaceId}, ${member.id})`;

    const heard: { comment_id: string; changes: string[] }[] = [];
    const ch = member.client.channel(topic, { config: { private: true } });
    ch.on('broadcast', { event: 'comment' }, (m: { payload: { comment_id: string; changes: string[] } }) => {
      heard.push(m.payload);
    });
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    const outsider = await signedIn('rt-c-outsider');
    clients.push(outsider.client);
    const refused = await subscribe(outsider.client.channel(topic, { config: { private: true } }));
    expect(refused.status).toBe('CHANNEL_ERROR');
    const anon = anonClient();
    clients.push(anon);
    expect((await subscribe(anon.channel(topic, { config: { private: true } }))).status).toBe('CHANNEL_ERROR');
    // The public channel of the same name hears nothing (another client: supabase-js keeps one channel per topic).
    const publicHeard: unknown[] = [];
    const onlooker = anonClient();
    clients.push(onlooker);
    expect((await subscribe(onlooker.channel(topic).on('broadcast', { event: 'comment' }, (m) => publicHeard.push(m)))).status).toBe('SUBSCRIBED');

    const [row] = await asUser(
      userClaims(member.id),
      (tx) => tx<{ id: string }[]>`
        insert into public.comments (resource_type, resource_id, component_id, body) values ('page', ${componentId}, ${componentId}, 'Un avis confidentiel')
        returning id`,
      db,
    );
    await waitFor(() => heard.find((h) => h.comment_id === row!.id), 5000, 'the new comment');
    expect(heard[0]).toMatchObject({ comment_id: row!.id, changes: ['created'] });
    expect(JSON.stringify(heard)).not.toContain('confidentiel');

    // An edit follows, in order.
    await asUser(userClaims(member.id), (tx) => tx`update public.comments set body = 'Avis revu' where id = ${row!.id}`, db);
    await waitFor(() => heard.length >= 2, 5000, 'the edit');
    expect(heard[1]).toMatchObject({ comment_id: row!.id, changes: ['edited'] });
    // A vote, then hiding by a moderator: each announced, in order.
    await asUser(userClaims(member.id), (tx) => tx`insert into public.comment_votes (comment_id, value) values (${row!.id}, 1)`, db);
    await db`update public.comments set hidden_at = now() where id = ${row!.id}`;
    await waitFor(() => heard.length >= 4, 5000, 'the vote and the hiding');
    expect(heard.slice(2).map((h) => h.changes)).toEqual([['votes'], ['hidden']]);
    await sleep(150);
    expect(publicHeard).toEqual([]);
  });
});
