import { z } from 'zod';
import { uuidInput } from '../../lib/forms/fields.ts';
import { confirmed } from '../../lib/forms/confirm.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';

/**
 * Attachments: documents and images on any resource whose type is `attachable` on the shared
 * layer (proposals, pages; news posts, budget projects… when their features register), plus the
 * platform's own images (a space's hero, a person's avatar). Types, input schemas and pure rules;
 * nothing here touches the database or Storage.
 */

/** What one upload may weigh, before any processing (the buckets hold the same limit). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Images bigger than this in pixels are refused before being decoded (decompression bombs). */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** The renditions the pages use: a gallery image, its card thumbnail, a hero, a hero card, an avatar. */
export const RENDITIONS = {
  full: { width: 1600, height: 1600, fit: 'inside' },
  thumb: { width: 480, height: 320, fit: 'cover' },
  hero: { width: 1600, height: 640, fit: 'cover' },
  heroCard: { width: 640, height: 320, fit: 'cover' },
  avatar: { width: 256, height: 256, fit: 'cover' },
} as const;
export type Rendition = keyof typeof RENDITIONS;

/** Accepted documents, by the type `file-type` reads in their bytes, with the label pages show. */
export const DOCUMENT_TYPES: Readonly<Record<string, { ext: string; label: string }>> = {
  'application/pdf': { ext: 'pdf', label: 'PDF' },
  'application/vnd.oasis.opendocument.text': { ext: 'odt', label: 'ODT' },
  'application/vnd.oasis.opendocument.spreadsheet': { ext: 'ods', label: 'ODS' },
  'application/vnd.oasis.opendocument.presentation': { ext: 'odp', label: 'ODP' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { ext: 'docx', label: 'DOCX' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { ext: 'xlsx', label: 'XLSX' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { ext: 'pptx', label: 'PPTX' },
  'text/plain': { ext: 'txt', label: 'TXT' },
  'text/csv': { ext: 'csv', label: 'CSV' },
};
/** Accepted images (decoded, then re-encoded as WebP without their metadata). */
export const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'];
/** Extensions people give images: a file named so whose bytes are not an image is refused as such. */
export const IMAGE_EXTENSIONS: readonly string[] = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'avif', 'heic', 'bmp', 'tif', 'tiff'];

/** The `accept` attribute of the file inputs: what the server will take. */
export const ACCEPT = [
  ...IMAGE_TYPES,
  '.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif',
  ...Object.keys(DOCUMENT_TYPES),
  ...Object.values(DOCUMENT_TYPES).map((d) => `.${d.ext}`),
].join(',');

export const extensionOf = (name: string) => /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? '';

/**
 * The name shown for a file: its last path segment, NFC, without control characters or the
 * characters file systems refuse, no leading dots, 120 characters at most (extension kept).
 */
export function sanitizeFileName(name: string, fallback = 'fichier'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let s = base
    .normalize('NFC')
    .replace(/[\p{Cc}<>:"|?*\u202a-\u202e\u2066-\u2069]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (s.length > 120) {
    const ext = extensionOf(s);
    s = `${s.slice(0, 120 - ext.length - 1).trimEnd()}${ext ? `.${ext}` : ''}`;
  }
  return s || fallback;
}

/** A title from a file name, when none was typed: "compte-rendu_2026.pdf" → "compte-rendu 2026". */
export function titleFromFileName(name: string): string {
  return name.replace(/\.[A-Za-z0-9]{1,8}$/, '').replace(/[_]+/g, ' ').trim().slice(0, 150) || name.slice(0, 150);
}

export function formatLabel(contentType: string, kind: 'image' | 'document'): string {
  if (kind === 'image') return 'WebP';
  return DOCUMENT_TYPES[contentType]?.label ?? contentType;
}

/** "1,2 Mo" / "1.2 MB", "350 ko" / "350 kB". */
export function formatBytes(bytes: number, locale: Locale): string {
  const mb = bytes >= 1_000_000;
  const value = mb ? bytes / 1_000_000 : Math.max(1, Math.round(bytes / 1000));
  return new Intl.NumberFormat(locale, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const resourceTypeInput = z.string().regex(/^[a-z][a-z_]{1,39}$/, { message: 'validation.invalid' });
const absent = (v: unknown) => (v === '' || v === null ? undefined : v);
const titleInput = z.preprocess(
  absent,
  z.string().max(150, { message: 'attachments.error.titleTooLong' })
    .refine((s) => !s.includes('\u0000') && !s.includes('\uFFFD'), { message: 'validation.invalid' })
    .transform((s) => s.trim())
    .optional(),
);
/** A file field: a File with a name; an empty input arrives as a nameless empty File. */
export const fileInput = z.custom<File>((v) => v instanceof File && v.size > 0 && v.name !== '', { message: 'attachments.error.noFile' });

/** A folder to put a file in; none (the empty option) leaves it outside any folder. */
const collectionInput = z.preprocess(absent, uuidInput.nullish()).transform((v) => v ?? null);

export const addAttachmentInput = z.object({
  resource_type: resourceTypeInput,
  resource_id: uuidInput,
  title: titleInput,
  file: fileInput,
  collection_id: collectionInput,
});
/** Without a folder when the caller names none (the form's empty option gives null too). */
export type AddAttachmentInput = Omit<z.infer<typeof addAttachmentInput>, 'collection_id'> & { collection_id?: string | null | undefined };

export const deleteAttachmentInput = confirmed(z.object({ attachment_id: uuidInput }));
export type DeleteAttachmentInput = z.infer<typeof deleteAttachmentInput>;

/** Folders (attachment collections) group a resource's files under a name. */
export const addCollectionInput = z.object({
  resource_type: resourceTypeInput,
  resource_id: uuidInput,
  name: z.string({ message: 'attachments.error.folderName' })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, { message: 'attachments.error.folderName' }).max(100, { message: 'attachments.error.folderNameTooLong' }))
    .refine((s) => !s.includes('\u0000') && !s.includes('\uFFFD'), { message: 'validation.invalid' }),
});
export type AddCollectionInput = z.infer<typeof addCollectionInput>;
/** Removing a folder keeps its files, outside any folder. */
export const deleteCollectionInput = confirmed(z.object({ collection_id: uuidInput }));
export type DeleteCollectionInput = z.infer<typeof deleteCollectionInput>;
export const moveAttachmentInput = z.object({ attachment_id: uuidInput, collection_id: collectionInput });
export type MoveAttachmentInput = z.infer<typeof moveAttachmentInput>;

export const setSpaceHeroInput = z.object({ space_id: uuidInput, file: fileInput });
export type SetSpaceHeroInput = z.infer<typeof setSpaceHeroInput>;
export const removeSpaceHeroInput = confirmed(z.object({ space_id: uuidInput }));
export type RemoveSpaceHeroInput = z.infer<typeof removeSpaceHeroInput>;

export const setAvatarInput = z.object({ file: fileInput });
export type SetAvatarInput = z.infer<typeof setAvatarInput>;
export const removeAvatarInput = confirmed(z.object({}));

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export interface AttachmentView {
  id: string;
  kind: 'image' | 'document';
  title: TranslatedText;
  fileName: string;
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  /** The file (images: the large rendition). */
  url: string;
  /** Documents: the same file, offered for download under its own name. */
  downloadUrl: string;
  thumbnail: { url: string; width: number; height: number } | null;
  collection: { id: string; name: TranslatedText } | null;
}

export interface CollectionView {
  id: string;
  name: TranslatedText;
  /** Its files the visitor sees. */
  count: number;
}

/** A stored image (`spaces.hero_image`, `profiles.avatar`). */
export interface StoredImage {
  bucket: 'attachments' | 'attachments-private';
  name: string;
  width: number;
  height: number;
  card?: { name: string; width: number; height: number };
}

export interface ImageLink {
  url: string;
  width: number;
  height: number;
}
