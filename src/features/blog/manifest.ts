import { defineManifest } from '../../lib/components/manifest.ts';
import { postPath } from './blog.ts';
import { blogNotificationKinds } from './notifications.ts';

const onOff = (fr: string, en: string, def = false) => ({ type: 'boolean' as const, default: def, label: { fr, en } });

/**
 * `blog` (Decidim's decidim-blogs, "Actualités"): the space's news, written by its admins for the
 * organization (or signed by themselves), by participants where the component lets them; posts
 * can be scheduled; commented, liked, followed, reported and versioned through the shared layer;
 * an RSS and an Atom feed per component; the space's followers are notified of each post. Every
 * rule is the database's (…021000_blog.sql).
 */
export const blogManifest = defineManifest({
  key: 'blog',
  icon: 'M5 4h11l3 3v13H5zM8 9h8M8 13h8M8 17h5',
  name: { fr: 'Actualités', en: 'News' },
  description: {
    fr: 'Les actualités de l’espace : articles de l’organisation (et des participant·es si vous le permettez), programmables, commentés et suivis, avec leur flux RSS et Atom.',
    en: 'The space’s news: posts by the organization (and by participants if you allow it), schedulable, commented and followed, with their RSS and Atom feeds.',
  },
  actions: [
    { name: 'create', label: { fr: 'Publier une actualité', en: 'Post news' }, globalEnabledSetting: 'creation_enabled', phaseBlockedSetting: 'creation_blocked' },
    { name: 'comment', label: { fr: 'Commenter', en: 'Comment' }, globalEnabledSetting: 'comments_enabled', phaseBlockedSetting: 'comments_blocked' },
    { name: 'like', label: { fr: 'Aimer', en: 'Like' }, globalEnabledSetting: 'likes_enabled', phaseBlockedSetting: 'likes_blocked' },
  ],
  settings: {
    global: {
      creation_enabled: onOff('Les participant·es publient des actualités', 'Participants post news'),
      comments_enabled: onOff('Commentaires activés', 'Comments enabled', true),
      comments_max_length: {
        type: 'integer',
        default: 1000,
        min: 1,
        max: 10000,
        label: { fr: 'Longueur maximale des commentaires', en: 'Maximum length of comments' },
      },
      likes_enabled: onOff('« J’aime » activés', 'Likes enabled', true),
    },
    phase: {
      creation_blocked: onOff('Publication par les participant·es bloquée pendant cette phase', 'Participants’ posts blocked during this phase'),
      comments_blocked: onOff('Commentaires bloqués pendant cette phase', 'Comments blocked during this phase'),
      likes_blocked: onOff('« J’aime » bloqués pendant cette phase', 'Likes blocked during this phase'),
    },
  },
  resources: [
    {
      type: 'blog_post',
      can: ['commentable', 'likeable', 'followable', 'reportable', 'versioned', 'moderated', 'logged', 'attachable'],
      path: postPath,
      // In the one search (…040300_blog_search.sql).
      search: { label: { fr: 'Actualités', en: 'News' } },
    },
  ],
  logLabels: { blog_posts: { fr: 'Actualité', en: 'News post' } },
  moderation: {
    key: 'blog',
    hideAction: 'blog.moderatePost',
    anchor: (id) => `#moderation-post-${id}`,
    section: () => import('./ModerationQueue.astro'),
  },
  notifications: blogNotificationKinds,
  stats: [
    {
      key: 'posts',
      label: { fr: 'Actualités', en: 'News posts' },
      count: async (tx, componentIds) => {
        const [row] = await tx<{ n: number }[]>`select count(*)::int as n from public.blog_posts where component_id = any (${[...componentIds]}::uuid[])`;
        return row?.n ?? 0;
      },
    },
  ],
  publicPage: () => import('./PublicPage.astro'),
  adminPage: () => import('./AdminPage.astro'),
});
