import type { RealtimeChannel } from '@supabase/supabase-js';

/**
 * Shared by the realtime tests: subscribing and waiting the way an app does, with the real
 * supabase-js channel API, and bounded waits.
 */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscribes and resolves with the final status (SUBSCRIBED, CHANNEL_ERROR, TIMED_OUT, CLOSED) and error. */
export function subscribe(channel: RealtimeChannel, timeoutMs = 10_000): Promise<{ status: string; error: Error | undefined }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ status: 'TEST_TIMEOUT', error: undefined }), timeoutMs);
    channel.subscribe((status, error) => {
      clearTimeout(timer);
      resolve({ status, error });
    });
  });
}

/** Waits until `check()` is truthy, polling every 20 ms; throws after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const unique = (tag: string) => `${tag}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
