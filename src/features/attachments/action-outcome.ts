import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { type FormErrors, readFormError } from '../../lib/forms/index.ts';

/**
 * What an attachments form posted without JavaScript came to, for the page that shows it (a
 * proposal, a page's admin, a space's admin, the account): on success, back to the same address
 * with a status (post/redirect/get); on failure, the errors to show next to the form (the page
 * keeps the action's status). A body too big for the action (Astro refuses it before reading)
 * becomes the file field's "over 10 MB" message.
 */
export type AttachmentsOutcome =
  | { kind: 'none' }
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; action: AttachmentsActionName; errors: FormErrors };

const NAMES = [
  'addAttachment', 'deleteAttachment', 'addCollection', 'deleteCollection', 'moveAttachment', 'setSpaceHero', 'removeSpaceHero', 'setAvatar', 'removeAvatar',
] as const;
export type AttachmentsActionName = (typeof NAMES)[number];
const STATUS: Record<AttachmentsActionName, string> = {
  addAttachment: 'added',
  deleteAttachment: 'removed',
  addCollection: 'folderAdded',
  deleteCollection: 'folderRemoved',
  moveAttachment: 'moved',
  setSpaceHero: 'hero',
  removeSpaceHero: 'heroRemoved',
  setAvatar: 'avatar',
  removeAvatar: 'avatarRemoved',
};
export const ATTACHMENT_STATUSES = Object.values(STATUS);
const ANCHOR: Record<AttachmentsActionName, string> = {
  addAttachment: 'attachments-manager',
  deleteAttachment: 'attachments-manager',
  addCollection: 'attachments-folders',
  deleteCollection: 'attachments-folders',
  moveAttachment: 'attachments-manager',
  setSpaceHero: 'space-hero-image',
  removeSpaceHero: 'space-hero-image',
  setAvatar: 'avatar',
  removeAvatar: 'avatar',
};

export function attachmentsOutcome(astro: AstroGlobal): AttachmentsOutcome {
  const [ns, fn] = (astro.url.searchParams.get('_action') ?? '').split('.');
  if (ns !== 'attachments' || !fn) return { kind: 'none' };
  const name = NAMES.find((n) => n === fn);
  if (!name) return { kind: 'none' };
  const result = astro.getActionResult(actions.attachments[name]);
  if (!result) return { kind: 'none' };
  if (result.error) {
    const errors = readFormError(result.error) ?? { status: 500, form: [{ key: 'error.generic' }], fields: {} };
    if (errors.status === 413 && errors.form.length > 0 && Object.keys(errors.fields).length === 0) {
      return { kind: 'error', action: name, errors: { status: 413, form: [], fields: { file: [{ key: 'attachments.error.tooLarge' }] } } };
    }
    return { kind: 'error', action: name, errors };
  }
  const params = new URLSearchParams(astro.url.search);
  params.delete('_action');
  params.set('attachments', STATUS[name]);
  return { kind: 'redirect', location: `${astro.url.pathname}?${params.toString()}#${ANCHOR[name]}` };
}

/** The status message key of a redirect (`?attachments=added`), if any. */
export function attachmentsStatus(url: URL): string | undefined {
  const s = url.searchParams.get('attachments');
  return s && ATTACHMENT_STATUSES.includes(s) ? `attachments.status.${s}` : undefined;
}
