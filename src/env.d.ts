/// <reference types="astro/client" />
import type { SupabaseClient, User } from '@supabase/supabase-js';
import type { Claims } from './lib/db/index.ts';
import type { Locale } from './lib/i18n/locales.ts';

declare global {
  namespace App {
    interface Locals {
      /** The signed-in user, verified with the Auth server on this request; null when signed out. */
      user: User | null;
      /** The verified access token's claims, for `asUser(claims, …)`; null when signed out. */
      claims: Claims | null;
      /** This request's Supabase client (anon key + the visitor's session cookies). */
      supabase: SupabaseClient;
      /** The page's locale: from the URL, else negotiated from Accept-Language. */
      locale: Locale;
    }
  }
}

export {};
