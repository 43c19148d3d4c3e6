import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { getConfig } from '../config.ts';

/**
 * An anon client that keeps nothing: no cookies, no stored session. Used to check a password
 * without touching the request's own session (the sign-in it makes is signed out right after).
 */
export function createStatelessClient(): SupabaseClient {
  const config = getConfig();
  return createClient(config.supabaseUrl, config.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
