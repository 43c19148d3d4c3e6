import type { APIRoute } from 'astro';
import { townStyle } from '@/features/proposals/map-style.ts';

/**
 * The platform's own map style (Mapbox GL style v8): what the proposals map shows when no Mapbox
 * token is configured. Everything is inline, so the browser asks nothing of any other host.
 */
export const GET: APIRoute = () =>
  new Response(JSON.stringify(townStyle()), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
