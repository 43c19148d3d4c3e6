import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/** A message ready to go: its envelope and its whole MIME source. */
export interface OutgoingMessage {
  from: string;
  to: string;
  raw: Buffer;
}

export type DeliveryOutcome =
  | { status: 'sent' }
  /** The server refused it (envelope or data): never retried as is. */
  | { status: 'refused'; error: string };

/** What the caller records before the messages are let go: indexes into the batch. */
export interface BatchVerdict {
  accepted: number[];
  refused: { index: number; error: string }[];
}

interface Slot {
  conn: SMTPConnection;
  ready: Promise<void>;
  broken: boolean;
}

function parseSmtpUrl(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 25,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Sends batches of messages over parallel SMTP connections so that a worker killed at any moment
 * sends no message twice and loses none (RFC 5321 §4.1.1.4: a server keeps a message only once
 * the line holding a single dot ends its data). For each message of a batch the envelope is
 * accepted and the whole message streamed, but not its final dot; then `commit` runs, in which
 * the caller marks those messages sent in its own database transaction; only once it has
 * committed do the dots go. Killed before the commit, the connections drop, the servers discard
 * the unfinished messages and the rows are still pending: they go again. Killed after it, the
 * rows say sent and the dots were already on their way (the only window is between the commit's
 * reply and writing five bytes). A server that refuses a message after its dot (rare: the data
 * was accepted line by line) is reported as refused, and the caller corrects its record.
 */
export class SmtpBatchSender {
  readonly capacity: number;
  private readonly options: ReturnType<typeof parseSmtpUrl>;
  private readonly name: string;
  private slots: (Slot | undefined)[];

  constructor(url: string, opts: { connections?: number; name?: string } = {}) {
    this.options = parseSmtpUrl(url);
    this.capacity = Math.max(1, opts.connections ?? 8);
    this.name = opts.name ?? 'decidons.localhost';
    this.slots = Array.from({ length: this.capacity }, () => undefined);
  }

  private open(i: number): Slot {
    const existing = this.slots[i];
    if (existing && !existing.broken) return existing;
    const conn = new SMTPConnection({
      host: this.options.host,
      port: this.options.port,
      secure: this.options.secure,
      name: this.name,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
    const slot: Slot = { conn, broken: false, ready: Promise.resolve() };
    conn.on('error', () => {
      slot.broken = true;
    });
    conn.once('end', () => {
      slot.broken = true;
    });
    slot.ready = new Promise<void>((resolve, reject) => {
      conn.connect((err) => {
        if (err) return reject(err);
        if (!this.options.auth) return resolve();
        conn.login(this.options.auth, (loginErr) => (loginErr ? reject(loginErr) : resolve()));
      });
    }).catch((err: unknown) => {
      slot.broken = true;
      throw err;
    });
    this.slots[i] = slot;
    return slot;
  }

  private drop(i: number) {
    const slot = this.slots[i];
    if (!slot) return;
    slot.broken = true;
    try {
      slot.conn.close();
    } catch {
      /* already closed */
    }
    this.slots[i] = undefined;
  }

  /**
   * Sends up to `capacity` messages: streams them all but their final dot, calls `commit` with
   * those the servers took so far (and those they refused), then ends them. If `commit` throws,
   * the connections are dropped with the messages unfinished and the error is rethrown.
   */
  async send(messages: readonly OutgoingMessage[], commit: (verdict: BatchVerdict) => Promise<void>): Promise<DeliveryOutcome[]> {
    if (messages.length > this.capacity) throw new RangeError(`at most ${this.capacity} messages per batch`);
    const bodies: (Readable | undefined)[] = [];
    const finished: Promise<DeliveryOutcome>[] = [];
    const streaming: Promise<'streaming' | DeliveryOutcome>[] = [];
    messages.forEach((m, i) => {
      let started = false;
      let markStreaming: () => void = () => {};
      const isStreaming = new Promise<'streaming'>((resolve) => {
        markStreaming = () => resolve('streaming');
      });
      // The message, whole, once the server has said "go ahead" (354): nothing ends it but us.
      const body = new Readable({
        read() {
          if (started) return;
          started = true;
          this.push(m.raw);
          markStreaming();
        },
      });
      bodies[i] = body;
      const done = (async (): Promise<DeliveryOutcome> => {
        let slot: Slot;
        try {
          slot = this.open(i);
          await slot.ready;
        } catch (err) {
          this.drop(i);
          return { status: 'refused', error: `connection: ${errorText(err)}` };
        }
        return new Promise<DeliveryOutcome>((resolve) => {
          slot.conn.send({ from: m.from, to: [m.to] }, body, (err, info) => {
            if (err) {
              // A failed transaction leaves the session in a state not worth repairing.
              this.drop(i);
              return resolve({ status: 'refused', error: errorText(err) });
            }
            if (info.rejected.length > 0) return resolve({ status: 'refused', error: `rejected: ${info.rejected.join(', ')}` });
            resolve({ status: 'sent' });
          });
        });
      })();
      finished[i] = done;
      streaming[i] = Promise.race([isStreaming, done]);
    });

    const states = await Promise.all(streaming);
    const verdict: BatchVerdict = { accepted: [], refused: [] };
    states.forEach((s, i) => {
      if (s === 'streaming') verdict.accepted.push(i);
      else verdict.refused.push({ index: i, error: s.status === 'refused' ? s.error : 'unknown' });
    });
    try {
      await commit(verdict);
    } catch (err) {
      // Unfinished messages are dropped by the servers with the connections.
      for (const i of verdict.accepted) this.drop(i);
      await Promise.allSettled(finished);
      throw err;
    }
    for (const i of verdict.accepted) bodies[i]?.push(null);
    return Promise.all(finished);
  }

  async close(): Promise<void> {
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (!slot) continue;
      try {
        slot.conn.quit();
      } catch {
        /* already closed */
      }
      this.slots[i] = undefined;
    }
  }
}
