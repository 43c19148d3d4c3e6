/**
 * A JSON answer of an API route that depends on who asks (read as the visitor): never cached
 * by anyone but that browser, and not even there.
 */
export function privateJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, no-store' },
  });
}
