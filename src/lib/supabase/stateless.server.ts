import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { getConfig } from '../config.ts';
import { forwardingFetch, rememberRetryAfter } from './forwarding.ts';

/**
 * An anon client that keeps nothing: no cookies, no stored session. Used to check a password
 * without touching the request's own session (the sign-in it makes is signed out right after).
 * `clientAddress` is the browser's, forwarded as the request client does (rate limits).
 */
export function createStatelessClient(clientAddress?: string): SupabaseClient {
  const config = getConfig();
  const retry = { seconds: undefined as number | undefined };
  const client = createClient(config.supabaseUrl, config.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: forwardingFetch(clientAddress, retry) },
  });
  rememberRetryAfter(client, retry);
  return client;
}
