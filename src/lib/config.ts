import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * One validated schema for every environment variable the platform reads. The defaults are the
 * Supabase CLI's local values, so `npm start` needs no configuration and a project that already
 * uses the CLI keeps working. Anything read from the environment goes through here, so a wrong
 * value stops start-up with a message naming the variable instead of failing later.
 */

// The Supabase CLI's default local secret and the keys it signs (see reference/supabase-api.md §0).
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const LOCAL_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

export const DEFAULT_PORTS = {
  api: 54321,
  db: 54322,
  mailWeb: 54324,
  smtp: 54325,
  web: 4321,
  collab: 1234,
} as const;

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ message: 'must be a URL such as http://127.0.0.1:54321' }))
  .refine((v) => /^https?:\/\//.test(v), { message: 'must start with http:// or https://' })
  .transform((v) => v.replace(/\/+$/, ''));

const pgUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), {
    message: 'must be a postgres:// URL such as postgresql://postgres:postgres@127.0.0.1:54322/postgres',
  });

const smtpUrl = z
  .string()
  .trim()
  .refine((v) => /^smtps?:\/\/.+/.test(v), { message: 'must be an smtp:// or smtps:// URL such as smtp://127.0.0.1:54325' });

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const port = z.coerce
  .number({ message: 'must be a port number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be between 1 and 65535' })
  .max(65535, { message: 'must be between 1 and 65535' });

const seconds = z.coerce.number({ message: 'must be a number of seconds' }).int().min(0);

/**
 * A comma-separated list of addresses or CIDR ranges (`127.0.0.1/8, ::1, 10.0.0.0/16`), or `none`.
 * Checked with node:net, so a typo stops start-up naming the variable.
 */
const addressList = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v.toLowerCase() === 'none') return [];
    const out: string[] = [];
    for (const item of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [address = '', prefix] = item.split('/');
      const family = isIP(address);
      const max = family === 6 ? 128 : 32;
      const ok = family !== 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
      if (!ok) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not an IP address or CIDR range (such as 127.0.0.1/8 or ::1)` });
        return z.NEVER;
      }
      out.push(item);
    }
    return out;
  });

const jwtLike = z
  .string()
  .trim()
  .min(20, { message: 'looks too short to be a Supabase key' });

export const envSchema = z.object({
  SUPABASE_URL: httpUrl.optional(),
  SUPABASE_ANON_KEY: jwtLike.default(LOCAL_ANON_KEY),
  SUPABASE_SERVICE_ROLE_KEY: jwtLike.default(LOCAL_SERVICE_ROLE_KEY),
  SUPABASE_JWT_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters (Supabase requires it)' })
    .default(LOCAL_JWT_SECRET),
  DATABASE_URL: pgUrl.optional(),
  SMTP_URL: smtpUrl.optional(),
  SMTP_SENDER: z.string().trim().pipe(z.email({ message: 'must be an email address' })).default('noreply@decidons.localhost'),
  SITE_URL: httpUrl.optional(),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.default(DEFAULT_PORTS.web),
  LOCAL_API_PORT: port.default(DEFAULT_PORTS.api),
  LOCAL_DB_PORT: port.default(DEFAULT_PORTS.db),
  MAIL_SMTP_PORT: port.default(DEFAULT_PORTS.smtp),
  MAIL_WEB_PORT: port.default(DEFAULT_PORTS.mailWeb),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  // The co-editing service (realtime/): the port it listens on, the address browsers reach it at
  // (ws:// or wss://, behind a proxy in production), how often it re-asks Postgres who may still
  // edit, and the project's JWKS when its access tokens are signed with asymmetric keys.
  COLLAB_PORT: port.default(DEFAULT_PORTS.collab),
  COLLAB_URL: z
    .string()
    .trim()
    .refine((v) => /^wss?:\/\/[^\s]+$/.test(v), { message: 'must be a ws:// or wss:// URL such as ws://127.0.0.1:1234' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  COLLAB_RIGHTS_RECHECK_SECONDS: seconds.min(1, { message: 'must be at least 1 second' }).default(10),
  SUPABASE_JWKS_URL: httpUrl.optional(),
  // Auth (GoTrue) settings the local API honours; the same knobs exist in a Supabase project's config.
  AUTH_MAILER_AUTOCONFIRM: bool.default(false),
  AUTH_DISABLE_SIGNUP: bool.default(false),
  AUTH_JWT_EXP: seconds.min(120, { message: 'must be at least 120 seconds' }).default(3600),
  AUTH_OTP_EXP: seconds.min(60).default(3600),
  AUTH_EMAIL_MAX_FREQUENCY: seconds.default(60),
  AUTH_EMAILS_PER_HOUR: seconds.default(360),
  AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: seconds.default(30),
  AUTH_SIGN_IN_FAILURES_PER_ACCOUNT_PER_5MIN: seconds.default(10),
  AUTH_EMAIL_REQUESTS_PER_IP_PER_HOUR: seconds.optional(),
  // Loopback: the site itself, which forwards each browser's address to the local API.
  AUTH_TRUSTED_PROXIES: addressList.default(['127.0.0.0/8', '::1']),
  AUTH_REFRESH_TOKEN_REUSE_INTERVAL: seconds.default(10),
  // GoTrue's GOTRUE_SESSIONS_TIMEBOX: a session (and so its refresh tokens) ends this long after
  // sign-in; the session cookie lives exactly as long. 0 = no end (the cookie then keeps @supabase/ssr's 400 days).
  AUTH_SESSIONS_TIMEBOX: seconds.default(30 * 24 * 3600),
  AUTH_PASSWORD_MIN_LENGTH: seconds.min(6).default(8),
  AUTH_URI_ALLOW_LIST: z.string().default(''),
  PUBLIC_MAPBOX_TOKEN: z.string().optional(),
  // Who may show the site in a frame (CSP frame-ancestors): nobody by default.
  FRAME_ANCESTORS: z
    .string()
    .trim()
    .regex(/^('none'|'self'|https:\/\/[^\s;',]+)(\s+('self'|https:\/\/[^\s;',]+))*$/, {
      message: "must be 'none', 'self' or https:// origins separated by spaces",
    })
    .default("'none'"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  /** True when this process must start the embedded Postgres and the local Supabase API itself. */
  local: boolean;
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  databaseUrl: string;
  smtpUrl: string;
  smtpSender: string;
  siteUrl: string;
  host: string;
  port: number;
  ports: { api: number; db: number; smtp: number; mailWeb: number };
  dataDir: string;
  collab: {
    port: number;
    /** Where browsers open their WebSocket. */
    url: string;
    recheckSeconds: number;
    /** Asymmetric signing keys of the Supabase project; HS256 tokens are checked with `jwtSecret`. */
    jwksUrl: string | undefined;
  };
  auth: {
    mailerAutoconfirm: boolean;
    disableSignup: boolean;
    jwtExp: number;
    otpExp: number;
    emailMaxFrequency: number;
    emailsPerHour: number;
    /** Password sign-ins, OTP requests and verifications per client address. */
    signInAttemptsPer5Min: number;
    /** Failed passwords (and codes) per account, whatever the address. */
    signInFailuresPerAccountPer5Min: number;
    /** Requests that send an email (sign-up, OTP, recovery, resend, email change) per client address. */
    emailRequestsPerIpPerHour: number;
    /** Callers whose `X-Forwarded-For` is believed (addresses or CIDR ranges). */
    trustedProxies: string[];
    refreshTokenReuseInterval: number;
    /** Seconds from sign-in to the end of a session; 0 for none. */
    sessionsTimebox: number;
    passwordMinLength: number;
    uriAllowList: string[];
  };
  mapboxToken: string | undefined;
  frameAncestors: string;
}

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function parseConfig(source: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as it does in a .env file.
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') cleaned[k] = v;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (Boolean(e.SUPABASE_URL) !== Boolean(e.DATABASE_URL)) {
    throw new ConfigError([
      'SUPABASE_URL and DATABASE_URL: set both to use a Supabase project, or neither to run the local stack',
    ]);
  }
  const local = !e.SUPABASE_URL;
  return {
    local,
    supabaseUrl: e.SUPABASE_URL ?? `http://127.0.0.1:${e.LOCAL_API_PORT}`,
    anonKey: e.SUPABASE_ANON_KEY,
    serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY,
    jwtSecret: e.SUPABASE_JWT_SECRET,
    databaseUrl: e.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${e.LOCAL_DB_PORT}/postgres`,
    smtpUrl: e.SMTP_URL ?? `smtp://127.0.0.1:${e.MAIL_SMTP_PORT}`,
    smtpSender: e.SMTP_SENDER,
    siteUrl: e.SITE_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`,
    host: e.HOST,
    port: e.PORT,
    ports: { api: e.LOCAL_API_PORT, db: e.LOCAL_DB_PORT, smtp: e.MAIL_SMTP_PORT, mailWeb: e.MAIL_WEB_PORT },
    dataDir: e.DATA_DIR,
    collab: {
      port: e.COLLAB_PORT,
      url: e.COLLAB_URL ?? `ws://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.COLLAB_PORT}`,
      recheckSeconds: e.COLLAB_RIGHTS_RECHECK_SECONDS,
      jwksUrl: e.SUPABASE_JWKS_URL,
    },
    auth: {
      mailerAutoconfirm: e.AUTH_MAILER_AUTOCONFIRM,
      disableSignup: e.AUTH_DISABLE_SIGNUP,
      jwtExp: e.AUTH_JWT_EXP,
      otpExp: e.AUTH_OTP_EXP,
      emailMaxFrequency: e.AUTH_EMAIL_MAX_FREQUENCY,
      emailsPerHour: e.AUTH_EMAILS_PER_HOUR,
      signInAttemptsPer5Min: e.AUTH_SIGN_IN_ATTEMPTS_PER_5MIN,
      signInFailuresPerAccountPer5Min: e.AUTH_SIGN_IN_FAILURES_PER_ACCOUNT_PER_5MIN,
      // By default one address may spend a twelfth of the hourly email budget, so no single caller
      // can exhaust it for everybody (0 = no budget = no limit).
      emailRequestsPerIpPerHour: e.AUTH_EMAIL_REQUESTS_PER_IP_PER_HOUR ?? Math.ceil(e.AUTH_EMAILS_PER_HOUR / 12),
      trustedProxies: e.AUTH_TRUSTED_PROXIES,
      refreshTokenReuseInterval: e.AUTH_REFRESH_TOKEN_REUSE_INTERVAL,
      sessionsTimebox: e.AUTH_SESSIONS_TIMEBOX,
      passwordMinLength: e.AUTH_PASSWORD_MIN_LENGTH,
      uriAllowList: e.AUTH_URI_ALLOW_LIST.split(',').map((s) => s.trim()).filter(Boolean),
    },
    mapboxToken: e.PUBLIC_MAPBOX_TOKEN,
    frameAncestors: e.FRAME_ANCESTORS,
  };
}

let cached: Config | undefined;

/** The process-wide configuration, read once from `process.env`. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
