/**
 * The 500 page marks its response with this header when the error was the database being
 * unreachable; the middleware then answers 503 with Retry-After instead (Astro pins error pages
 * to 500). The mark never leaves the server.
 */
export const MAINTENANCE_HEADER = 'x-decidons-maintenance';

export function asMaintenance(response: Response): Response {
  if (!response.headers.has(MAINTENANCE_HEADER)) return response;
  const headers = new Headers(response.headers);
  headers.delete(MAINTENANCE_HEADER);
  headers.set('Retry-After', '5');
  headers.set('Cache-Control', 'no-store');
  return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers });
}
