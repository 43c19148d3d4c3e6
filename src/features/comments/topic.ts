/**
 * The private Realtime channel of a resource's thread (authorised by RLS on realtime.messages).
 * Apart from comments.ts so that the live island does not bring zod and the Markdown renderer
 * into the browser with it.
 */
export function commentsTopic(resourceType: string, resourceId: string): string {
  return `comments:${resourceType}:${resourceId}`;
}
