import sharp, { type Sharp } from 'sharp';
import { ERRORS } from './errors.ts';

/**
 * `/render/image` (supabase/storage `src/storage/renderer/image.ts`, imgproxy there, `sharp`
 * here): width and height clamped to 1–2000 px, `resize` cover (fill the box, crop), contain (fit
 * inside) or fill (stretch), never enlarging; `quality` 20–100 (80 by default); `format` origin,
 * webp or avif — without it, WebP when the browser accepts it, as Supabase does.
 */

export interface Transform {
  width?: number;
  height?: number;
  resize?: 'cover' | 'contain' | 'fill';
  format?: 'origin' | 'avif' | 'webp';
  quality?: number;
}

const MIN_SIZE = 1;
const MAX_SIZE = 2000;
/** Decoding budget: a 40-megapixel image, well past any camera upload, far below a decompression bomb. */
export const MAX_INPUT_PIXELS = 40_000_000;

const clamp = (n: number, min: number, max: number) => Math.min(Math.max(n, min), max);

function intParam(query: URLSearchParams, name: string, min?: number, max?: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw ERRORS.Validation(`querystring/${name} must be integer`);
  const n = Number(raw);
  if (min !== undefined && n < min) throw ERRORS.Validation(`querystring/${name} must be >= ${min}`);
  if (max !== undefined && n > max) throw ERRORS.Validation(`querystring/${name} must be <= ${max}`);
  return n;
}

function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw ERRORS.Validation(`querystring/${name} must be equal to one of the allowed values`);
  return raw as T;
}

/** The transformation a query string asks for, validated as Storage's route schema does. */
export function transformFromQuery(query: URLSearchParams): Transform {
  const t: Transform = {};
  const width = intParam(query, 'width', 0);
  const height = intParam(query, 'height', 0);
  const quality = intParam(query, 'quality', 20, 100);
  const resize = enumParam(query, 'resize', ['cover', 'contain', 'fill'] as const);
  const format = enumParam(query, 'format', ['origin', 'avif', 'webp'] as const);
  if (width) t.width = width;
  if (height) t.height = height;
  if (quality) t.quality = quality;
  if (resize) t.resize = resize;
  if (format) t.format = format;
  return t;
}

/** Storage's `applyTransformation(…, keepOriginal)`: the `transformations` string a signed token carries. */
export function transformToString(t: Transform): string {
  const parts: string[] = [];
  if (t.height) parts.push(`height:${clamp(t.height, MIN_SIZE, MAX_SIZE)}`);
  if (t.width) parts.push(`width:${clamp(t.width, MIN_SIZE, MAX_SIZE)}`);
  if (t.width || t.height) parts.push(`resize:${t.resize ?? 'cover'}`);
  if (t.quality) parts.push(`quality:${t.quality}`);
  if (t.format && t.format !== 'origin') parts.push(`format:${t.format}`);
  return parts.join(',');
}

export function transformFromString(s: string, format?: string): Transform {
  const t: Transform = {};
  for (const part of s.split(',')) {
    const [k, v = ''] = part.split(':');
    if (k === 'width' || k === 'height' || k === 'quality') {
      const n = Number.parseInt(v, 10);
      if (n > 0) t[k] = n;
    }
    else if (k === 'resize' && (v === 'cover' || v === 'contain' || v === 'fill')) t.resize = v;
    else if (k === 'format' && (v === 'avif' || v === 'webp' || v === 'origin')) t.format = v;
  }
  if (!t.format && (format === 'avif' || format === 'webp' || format === 'origin')) t.format = format;
  return t;
}

const FIT = { cover: 'cover', contain: 'inside', fill: 'fill' } as const;
const MIME: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif', tiff: 'image/tiff' };

export async function renderImage(input: Uint8Array, t: Transform, accept: string): Promise<{ data: Buffer; contentType: string }> {
  let image: Sharp;
  let format: string | undefined;
  try {
    image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    format = (await image.metadata()).format;
  } catch (err) {
    const tooBig = err instanceof Error && /pixel limit/i.test(err.message);
    throw ERRORS.ImageProcessingError(422, tooBig ? 'The source image resolution is too large to process' : 'The source image is invalid or unsupported for rendering');
  }
  image = image.rotate();
  if (t.width || t.height) {
    image = image.resize({
      ...(t.width ? { width: clamp(t.width, MIN_SIZE, MAX_SIZE) } : {}),
      ...(t.height ? { height: clamp(t.height, MIN_SIZE, MAX_SIZE) } : {}),
      fit: FIT[t.resize ?? 'cover'],
      withoutEnlargement: true,
    });
  }
  const quality = t.quality ?? 80;
  let out: string;
  if (t.format === 'avif' || t.format === 'webp') out = t.format;
  else if (t.format !== 'origin' && /image\/webp/.test(accept)) out = 'webp';
  else out = format && MIME[format] && format !== 'gif' ? format : 'png';
  switch (out) {
    case 'webp': image = image.webp({ quality }); break;
    case 'avif': image = image.avif({ quality }); break;
    case 'jpeg': image = image.jpeg({ quality, mozjpeg: true }); break;
    case 'tiff': image = image.tiff({ quality }); break;
    default: image = image.png(); out = 'png';
  }
  try {
    return { data: await image.toBuffer(), contentType: MIME[out]! };
  } catch {
    throw ERRORS.ImageProcessingError(422, 'The source image is invalid or unsupported for rendering');
  }
}
