import { createBrowserClient } from '@supabase/ssr';

/*
 * Browser side (islands): joins a private Realtime channel (authorised by RLS on
 * realtime.messages) and hands each broadcast of `event` to `onMessage`. Marks `marker` with
 * data-live="on" while joined, "off" otherwise (styles and tests read it); `onRejoin` runs when the
 * channel is joined again after a disconnection, to catch up on what was missed meanwhile.
 * Returns the function that leaves the channel.
 */

export interface LiveChannelOptions<P extends object> {
  supabaseUrl: string;
  supabaseKey: string;
  topic: string;
  event: string;
  onMessage: (payload: P) => void;
  marker: HTMLElement;
  onRejoin?: () => void;
}

export function joinLiveChannel<P extends object>(opts: LiveChannelOptions<P>): () => void {
  let left = false;
  let joinedBefore = false;
  const supabase = createBrowserClient(opts.supabaseUrl, opts.supabaseKey);
  const channel = supabase.channel(opts.topic, { config: { private: true } });
  channel.on('broadcast', { event: opts.event }, ({ payload }: { payload: P }) => opts.onMessage(payload));
  void (async () => {
    // Private channels join with the visitor's access token (anonymous: the anon key).
    await supabase.realtime.setAuth();
    if (left) return;
    channel.subscribe((status) => {
      opts.marker.dataset['live'] = status === 'SUBSCRIBED' ? 'on' : 'off';
      if (status !== 'SUBSCRIBED') return;
      if (joinedBefore) opts.onRejoin?.();
      joinedBefore = true;
    });
  })();
  return () => {
    left = true;
    void supabase.removeChannel(channel);
  };
}
