import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { getConfig } from '../config.ts';

/**
 * A service-role client for the Auth admin API (deleting an account). Server-only: the key
 * bypasses every rule, so this file is never imported by an island and the client never holds a
 * user session.
 */
export function createAdminClient(): SupabaseClient {
  const config = getConfig();
  return createClient(config.supabaseUrl, config.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
