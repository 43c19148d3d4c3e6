import type { APIRoute } from 'astro';
import { listMapLayers } from '@/features/maps/queries.server.ts';
import { mapStyle } from '@/features/maps/style.ts';

/**
 * The platform's own map style (Mapbox GL style v8), from the organization's map layers (the demo
 * town in the seed; its own data once imported in the map admin): what the maps show when no
 * Mapbox token is configured. Everything is inline, so the browser asks nothing of any other host.
 */
export const GET: APIRoute = async () =>
  new Response(JSON.stringify(mapStyle(await listMapLayers())), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
