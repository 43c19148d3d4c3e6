import { Editor, generateJSON, type Extensions } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Fragment, h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { activeMarks, baseExtensions, editorAttributes, toolbar, translator, type ButtonName } from './editor-core.ts';
import type { EditorText, EditorTexts } from './messages.ts';

/*
 * The collaborative rich-text editor (TipTap 3, editor-core.ts): a Y.Doc synced through the
 * co-editing service (the unchanged y-websocket provider, the visitor's access token from the
 * site), with everybody's caret and name, a "here now" list (idle after a minute), a live region
 * announcing who joins and leaves, and the connection's state said in words. Undo is the Y.Doc's:
 * each person undoes their own changes. (PlainRichTextEditor.tsx is the same editor on a form's
 * textarea, without collaboration.)
 */

export interface CollaborativeEditorProps {
  /** The texts in the page's language (messages.ts, editorTexts). */
  texts: EditorTexts;
  /** The id of the element that labels the text (its visible label). */
  labelId: string;
  collabUrl: string;
  /** `<feature>/<resource id>/<field>` */
  document: string;
  /** The last published or saved HTML: the starting text of a document nobody has edited yet. */
  initialHtml: string;
  canWrite: boolean;
  user: { id: string; name: string; color: string };
  /** The server-rendered text (for visitors without JavaScript) the editor takes the place of. */
  replaceId?: string;
}

const TOKEN_PATH = '/api/realtime/token';
const ACCESS_PATH = '/api/realtime/access';
/** The service's message carrying a refreshed token (realtime/server.ts). */
const MESSAGE_REFRESH_TOKEN = 4;
/** The service's message saying a connection's rights changed: `[5, 'read' | 'write']` (realtime/server.ts). */
const MESSAGE_ACCESS = 5;
const IDLE_MS = 60_000;
/** Seeding a new document with its saved text: every client writes it as this client, so concurrent seeds are one. */
const SEED_CLIENT_ID = 1;

interface Peer {
  clientId: number;
  id: string;
  name: string;
  color: string;
  idle: boolean;
  self: boolean;
}


/** A same-origin JSON answer of the site, or null when it cannot be had. */
async function getJson(path: string): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store' });
    return res.ok ? ((await res.json()) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function fetchToken(): Promise<{ token: string | null; expiresAt: number | null }> {
  const body = await getJson(TOKEN_PATH);
  return { token: typeof body?.['token'] === 'string' ? body['token'] : null, expiresAt: typeof body?.['expiresAt'] === 'number' ? body['expiresAt'] : null };
}

export default function CollaborativeEditor(props: CollaborativeEditorProps) {
  const t = translator(props.texts);
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const [active, setActive] = useState<Partial<Record<ButtonName, boolean>>>({});
  const [status, setStatus] = useState<EditorText>('connecting');
  const [peers, setPeers] = useState<Peer[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [writable, setWritable] = useState(props.canWrite);
  // The status handler and the rights poll run outside renders: they read the current value here.
  const writableRef = useRef(props.canWrite);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const cleanups: (() => void)[] = [];
    const refreshActive = (editor: Editor) => setActive(activeMarks(editor));
    const attributes = editorAttributes(props.labelId);

    const ydoc = new Y.Doc();
    let provider: WebsocketProvider | undefined;
    let editor: Editor | undefined;
    let refreshTimer: number | undefined;
    /** Unmounted, or the service closed the connection for good: nothing left to follow. */
    let stopped = false;

    /*
     * The service drops a read-only connection's updates, so a person whose rights were lowered
     * (removed from the collaborators while the draft stays readable, a draft closed) would type into
     * a text nobody receives. The service says so over the socket (MESSAGE_ACCESS, when it finds the
     * change: at once when a feature signals it, else at its periodic check; and on connecting
     * read-only); the island says the change in words (status and live region) while the surface
     * stops being editable; rights given back are said too. (The page's own canWrite is fresh when it
     * loads; a read-only island that reconnects asks the site, which asks Postgres the service's
     * question, in case its rights came back meanwhile.)
     */
    const applyAccess = (canWrite: boolean) => {
      if (stopped || canWrite === writableRef.current) return;
      writableRef.current = canWrite;
      setWritable(canWrite);
      editor?.setEditable(canWrite);
      setAnnouncement(t(canWrite ? 'upgraded' : 'downgraded'));
      setStatus((s) => (s === 'connected' || s === 'readOnly' ? (canWrite ? 'connected' : 'readOnly') : s));
    };
    const checkAccess = async () => {
      const body = await getJson(`${ACCESS_PATH}?document=${encodeURIComponent(props.document)}`);
      if (body) applyAccess(body['access'] === 'write');
    };

    const scheduleRefresh = (expiresAt: number | null) => {
      window.clearTimeout(refreshTimer);
      if (!expiresAt) return;
      // A minute before it expires, the site gives a fresh token (it refreshes the session from its cookies).
      refreshTimer = window.setTimeout(async () => {
        const next = await fetchToken();
        if (!provider || !next.token) return;
        provider.params = { token: next.token };
        const ws = provider.ws;
        if (ws && ws.readyState === ws.OPEN) {
          ws.send(encoding.encode((e) => {
            encoding.writeVarUint(e, MESSAGE_REFRESH_TOKEN);
            encoding.writeVarString(e, next.token!);
          }));
        }
        scheduleRefresh(next.expiresAt);
      }, Math.max(5_000, expiresAt * 1000 - Date.now() - 60_000));
    };

    void (async () => {
      const { token, expiresAt } = await fetchToken();
      if (stopped) return;
      if (!token) {
        setStatus('token-missing');
        return;
      }
      provider = new WebsocketProvider(props.collabUrl, props.document, ydoc, { params: { token } });
      scheduleRefresh(expiresAt);
      // The provider's own extension point for a message type it does not know.
      provider.messageHandlers[MESSAGE_ACCESS] = (_reply, decoder) => applyAccess(decoding.readVarString(decoder) === 'write');
      provider.on('status', ({ status: s }) => {
        setStatus(s === 'connected' ? (writableRef.current ? 'connected' : 'readOnly') : s === 'disconnected' ? 'offline' : 'connecting');
        if (s === 'connected' && !writableRef.current) void checkAccess();
      });
      provider.on('closed', ({ reason }) => {
        if (reason === 'token-expired') {
          setStatus('token-expired');
          void fetchToken().then((next) => {
            if (!next.token || !provider) return setStatus('token-invalid');
            provider.params = { token: next.token };
            scheduleRefresh(next.expiresAt);
            provider.connect();
          });
          return;
        }
        stopped = true;
        if (reason === 'access-revoked') {
          writableRef.current = false;
          setWritable(false);
          editor?.setEditable(false);
        }
        setStatus(reason in props.texts ? (reason as EditorText) : 'error');
      });
      const extensions: Extensions = [
        ...baseExtensions(),
        Collaboration.configure({ document: ydoc }),
        CollaborationCaret.configure({ provider, user: { name: props.user.name, color: props.user.color } }),
      ];
      editor = new Editor({
        element,
        extensions,
        editable: writableRef.current,
        editorProps: { attributes },
        onTransaction: ({ editor: e }) => refreshActive(e),
        onSelectionUpdate: () => touch(),
        onUpdate: () => touch(),
      });
      editorRef.current = editor;
      const replaced = props.replaceId ? document.getElementById(props.replaceId) : null;
      if (replaced) replaced.hidden = true;
      cleanups.push(() => {
        if (replaced) replaced.hidden = false;
      });

      // Activity, for the "idle after a minute" of the here-now list (at most every 10 s on the wire).
      let lastSent = 0;
      const touch = () => {
        const now = Date.now();
        if (now - lastSent < 10_000) return;
        lastSent = now;
        provider?.awareness.setLocalStateField('active', now);
      };
      provider.awareness.setLocalStateField('active', Date.now());

      // A document nobody has written yet starts from the saved text, written as one fixed client
      // so that two people opening it at the same moment produce the same update, not two copies.
      provider.once('sync', () => {
        if (!editor || !writableRef.current || !props.initialHtml || ydoc.getXmlFragment('default').length > 0) return;
        const seed = new Y.Doc();
        seed.clientID = SEED_CLIENT_ID;
        prosemirrorJSONToYXmlFragment(editor.schema, generateJSON(props.initialHtml, extensions), seed.getXmlFragment('default'));
        Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(seed));
        seed.destroy();
      });

      const known = new Map<string, string>();
      const readPeers = () => {
        const now = Date.now();
        const list: Peer[] = [];
        for (const [clientId, state] of provider!.awareness.getStates()) {
          const user = (state as { user?: { id?: string; name?: string; color?: string }; active?: number }).user;
          if (!user?.name) continue;
          const activeAt = (state as { active?: number }).active ?? now;
          list.push({
            clientId,
            id: user.id ?? String(clientId),
            name: user.name,
            color: typeof user.color === 'string' && /^#[0-9a-f]{3,8}$/i.test(user.color) ? user.color : '#555',
            idle: now - activeAt > IDLE_MS,
            self: clientId === ydoc.clientID,
          });
        }
        // One line per person, however many tabs they have open.
        const people = new Map<string, Peer>();
        for (const p of list) {
          const seen = people.get(p.id);
          if (!seen || (seen.idle && !p.idle) || p.self) people.set(p.id, { ...p, self: p.self || (seen?.self ?? false) });
        }
        const current = new Map([...people.values()].filter((p) => !p.self).map((p) => [p.id, p.name]));
        const messages: string[] = [];
        for (const [id, name] of current) if (!known.has(id)) messages.push(t('joined', { name }));
        for (const [id, name] of known) if (!current.has(id)) messages.push(t('left', { name }));
        known.clear();
        for (const [id, name] of current) known.set(id, name);
        if (messages.length) setAnnouncement(messages.join(' '));
        setPeers([...people.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name)));
      };
      provider.awareness.on('change', readPeers);
      const idleTimer = window.setInterval(readPeers, 15_000);
      cleanups.push(() => window.clearInterval(idleTimer));
    })();

    return () => {
      stopped = true;
      window.clearTimeout(refreshTimer);
      cleanups.forEach((c) => c());
      editor?.destroy();
      provider?.destroy();
      ydoc.destroy();
    };
    // The island mounts once per page; its props do not change.
  }, []);

  const [bar, help] = toolbar(() => editorRef.current, active, t);
  const collab = h(
          Fragment,
          null,
          h('p', { class: 'rich-text-editor__status', role: 'status', 'data-collab-status': status }, t(status)),
          h(
            'section',
            { class: 'rich-text-editor__peers', 'aria-label': t('here') },
            h('h3', { class: 'rich-text-editor__peers-title' }, t('here')),
            h(
              'ul',
              { 'data-peers': true },
              peers.map((p) =>
                h(
                  'li',
                  { key: p.id, 'data-peer': p.id, 'data-idle': p.idle ? 'true' : 'false' },
                  h('span', { class: 'rich-text-editor__swatch', style: { backgroundColor: p.color }, 'aria-hidden': 'true' }),
                  ` ${p.name}${p.self ? ` ${t('you')}` : ''}${p.idle ? ` (${t('idle')})` : ''}`,
                ),
              ),
            ),
          ),
          h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'data-announcements': true }, announcement),
        );
  return h(
    'div',
    { class: 'rich-text-editor', 'data-editor-mode': 'collab', 'data-status': status },
    // Null, not nothing, when read-only: the surface keeps its place (and its DOM) among the children.
    writable ? bar : null,
    h('div', { ref: host, class: 'rich-text-editor__surface' }),
    writable ? help : null,
    collab,
  );
}
