import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import {
  DOCUMENT_TYPES, extensionOf, IMAGE_EXTENSIONS, IMAGE_TYPES, MAX_IMAGE_PIXELS, MAX_UPLOAD_BYTES, RENDITIONS, type Rendition, sanitizeFileName,
} from './attachments.ts';

/**
 * What the server does with an uploaded file before anything is stored: its size; its type read
 * from its bytes (`file-type`), never from its name or the browser's word; images decoded with a
 * pixel budget (a decompression bomb is refused before it is expanded), turned upright, resized to
 * the renditions the pages use and re-encoded as WebP — which drops every metadata block (EXIF with
 * the GPS position, XMP, comments); documents kept as they are, under the type found; the name
 * sanitised. Refusals are translated messages about the file field.
 */

export interface EncodedImage {
  data: Buffer;
  width: number;
  height: number;
}

export type CheckedFile =
  | { kind: 'image'; fileName: string; renditions: Partial<Record<Rendition, EncodedImage>> }
  | { kind: 'document'; fileName: string; data: Buffer; contentType: string; ext: string };

const FIELD = 'file';
const refuse = (status: 413 | 415 | 422, key: string, params: Record<string, string | number> = {}) =>
  notOk(failure(status, key, { field: FIELD, params }));

/** SVG is XML a browser runs (scripts, external references): refused whatever its name. */
function looksLikeSvg(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<svg') || ((head.startsWith('<?xml') || head.startsWith('<!doctype')) && head.includes('<svg'));
}

/** Plain text (`.txt`, `.csv`): valid UTF-8 without control characters other than tab and line ends. */
function isPlainText(bytes: Buffer): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return !/(?![\t\n\r])\p{Cc}/u.test(text);
  } catch {
    return false;
  }
}

async function render(input: Buffer, which: readonly Rendition[]): Promise<Partial<Record<Rendition, EncodedImage>>> {
  const out: Partial<Record<Rendition, EncodedImage>> = {};
  for (const r of which) {
    const spec = RENDITIONS[r];
    // `rotate()` applies the EXIF orientation; the WebP encoder writes no metadata unless asked.
    const { data, info } = await sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', animated: false })
      .rotate()
      .resize({ width: spec.width, height: spec.height, fit: spec.fit, withoutEnlargement: spec.fit === 'inside' })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    out[r] = { data, width: info.width, height: info.height };
  }
  return out;
}

/**
 * Checks one file. `images` says which renditions an image gets (a gallery image and its thumbnail,
 * a hero and its card, an avatar); `documents: false` accepts images only.
 */
export async function checkUpload(
  file: File,
  opts: { images: readonly Rendition[]; documents: boolean },
): Promise<Result<CheckedFile>> {
  const fileName = sanitizeFileName(file.name);
  const name = { name: fileName };
  if (file.size === 0) return refuse(422, 'attachments.error.empty', name);
  if (file.size > MAX_UPLOAD_BYTES) return refuse(413, 'attachments.error.tooLarge', { ...name, max: '10' });
  const bytes = Buffer.from(await file.arrayBuffer());
  if (looksLikeSvg(bytes)) return refuse(415, 'attachments.error.svg', name);

  const found = await fileTypeFromBuffer(bytes);
  const ext = extensionOf(fileName);
  if (found && IMAGE_TYPES.includes(found.mime)) {
    let width: number | undefined;
    let height: number | undefined;
    try {
      const meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).metadata();
      width = meta.width;
      height = meta.height;
    } catch (err) {
      if (err instanceof Error && /pixel limit/i.test(err.message)) return refuse(413, 'attachments.error.tooManyPixels', name);
      return refuse(422, 'attachments.error.unreadableImage', name);
    }
    if (!width || !height) return refuse(422, 'attachments.error.unreadableImage', name);
    try {
      const renditions = await render(bytes, opts.images);
      return ok({ kind: 'image', fileName: fileName.replace(/\.[A-Za-z0-9]{1,8}$/, '') + '.webp', renditions });
    } catch (err) {
      if (err instanceof Error && /pixel limit/i.test(err.message)) return refuse(413, 'attachments.error.tooManyPixels', name);
      return refuse(422, 'attachments.error.unreadableImage', name);
    }
  }
  if (!opts.documents) return refuse(415, IMAGE_EXTENSIONS.includes(ext) ? 'attachments.error.notAnImage' : 'attachments.error.imageType', name);
  if (IMAGE_EXTENSIONS.includes(ext)) return refuse(415, 'attachments.error.notAnImage', name);
  if (found && DOCUMENT_TYPES[found.mime]) {
    const type = DOCUMENT_TYPES[found.mime]!;
    return ok({ kind: 'document', fileName, data: bytes, contentType: found.mime, ext: type.ext });
  }
  // Text has no signature: its name says which, its bytes must be text.
  if (!found && (ext === 'txt' || ext === 'csv') && isPlainText(bytes)) {
    const contentType = ext === 'csv' ? 'text/csv' : 'text/plain';
    return ok({ kind: 'document', fileName, data: bytes, contentType, ext });
  }
  return refuse(415, 'attachments.error.type', name);
}
