import type { APIRoute } from 'astro';
import { nearestAddress } from '@/features/maps/queries.server.ts';

/** The nearest imported address to a point (`?lat=47.5&lng=2.85`), within about 300 m; `null` otherwise. */
export const GET: APIRoute = async ({ url }) => {
  const lat = Number(url.searchParams.get('lat'));
  const lng = Number(url.searchParams.get('lng'));
  if (!url.searchParams.get('lat') || !url.searchParams.get('lng') || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    return new Response(JSON.stringify({ error: { code: 'invalid_params', params: ['lat', 'lng'] } }), {
      status: 400,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  return new Response(JSON.stringify({ address: await nearestAddress(lat, lng) }), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=60' },
  });
};
