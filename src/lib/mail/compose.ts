import MailComposer from 'nodemailer/lib/mail-composer';

export interface ComposedEmail {
  /** The sender's display name (the organization's, in the recipient's language). */
  fromName: string;
  fromAddress: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** RFC 8058: the one-click address (https, POST) and the page a person opens. */
  unsubscribe?: { oneClickUrl: string } | undefined;
  /** Stable per recipient and message, so that a resend is recognisable as the same message. */
  messageId?: string | undefined;
  language: string;
  /** Extra headers (a mailing list's List-Id…). */
  headers?: Record<string, string> | undefined;
}

/**
 * The MIME source of an email (nodemailer's composer): HTML and text parts, the organization's
 * name as the sender's, and the one-click unsubscribe headers of RFC 8058 (`List-Unsubscribe`
 * with an https address answered by POST, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`),
 * which mail clients offer as an "unsubscribe" button.
 */
export async function composeEmail(e: ComposedEmail): Promise<Buffer> {
  const headers: Record<string, string> = { 'Content-Language': e.language, ...(e.headers ?? {}) };
  if (e.unsubscribe) {
    headers['List-Unsubscribe'] = `<${e.unsubscribe.oneClickUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const composer = new MailComposer({
    from: { name: e.fromName, address: e.fromAddress },
    to: e.to,
    subject: e.subject,
    text: e.text,
    html: e.html,
    headers,
    ...(e.messageId ? { messageId: e.messageId } : {}),
    xMailer: false,
  });
  return composer.compile().build();
}

/** Where a template's per-recipient values go (text no email can contain by chance). */
const T_TO = 'recipient.decidons@template.invalid';
const T_MID = '<message.decidons@template.invalid>';
const T_ONE_CLICK = 'https://template.invalid/decidons-one-click';
/** In the HTML and text parts: the recipient's own unsubscribe address. */
export const RECIPIENT_LINK = 'https://template.invalid/decidons-recipient';

export interface Addressed {
  to: string;
  messageId: string;
  oneClickUrl: string;
  /** The recipient's unsubscribe page (replaces RECIPIENT_LINK in the parts). */
  link: string;
}

export interface EmailTemplate {
  address: (a: Addressed) => Buffer;
}

const QP_LINE = 76;

/** Quoted-printable of an address made of URL characters: only `=` needs escaping. */
function qpUrl(url: string): string[] {
  // Tokens that a soft line break may not cut.
  return [...url].map((c) => (c === '=' ? '=3D' : c));
}

/**
 * Puts `url` where the template's RECIPIENT_LINK is in a quoted-printable part, keeping every line
 * within 76 characters: the placeholder may have been cut by soft line breaks, and the address
 * is cut the same way (never inside an `=XX`).
 */
function replaceInQuotedPrintable(source: string, url: string): string {
  // Each character as itself or escaped (`=2E` for a dot an encoder chose to escape), a soft line
  // break possibly between any two.
  const char = (c: string) => `(?:${c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}|=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')})`;
  const pattern = new RegExp([...RECIPIENT_LINK].map(char).join('(?:=\\r\\n)?'), 'g');
  return source.replace(pattern, (_m, offset: number, whole: string) => {
    // (The parts' own line breaks may be bare LFs: the SMTP client sends them as CRLF.)
    const lineStart = whole.lastIndexOf('\n', offset) + 1;
    let column = offset - lineStart;
    let out = '';
    for (const token of qpUrl(url)) {
      if (column + token.length > QP_LINE - 1) {
        out += '=\r\n';
        column = 0;
      }
      out += token;
      column += token.length;
    }
    // What followed the placeholder on its line now starts further right: break before it.
    return `${out}=\r\n`;
  });
}

/**
 * An email written once for many recipients (a mailing in one language): composed by
 * nodemailer with placeholders, then addressed to each person by replacing the To, Message-ID and
 * List-Unsubscribe headers and their unsubscribe address in the parts (quoted-printable, so the
 * replacement keeps the encoding valid). Addressing costs a few string replacements instead of
 * composing and encoding the whole message again; tests compare both.
 */
export async function composeTemplate(e: Omit<ComposedEmail, 'to' | 'messageId' | 'unsubscribe'>): Promise<EmailTemplate> {
  const headers: Record<string, string> = {
    'Content-Language': e.language,
    ...(e.headers ?? {}),
    'List-Unsubscribe': `<${T_ONE_CLICK}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
  const composer = new MailComposer({
    from: { name: e.fromName, address: e.fromAddress },
    to: T_TO,
    subject: e.subject,
    text: { content: e.text, contentTransferEncoding: 'quoted-printable' },
    html: { content: e.html, contentTransferEncoding: 'quoted-printable' },
    headers,
    messageId: T_MID,
    xMailer: false,
  });
  const raw = (await composer.compile().build()).toString('latin1');
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split);
  if (!head.includes(T_TO) || !head.includes(T_MID) || !head.includes(T_ONE_CLICK)) throw new Error('email template: a placeholder header was rewritten');
  return {
    address(a) {
      if (!/^[\x21-\x7e]+$/.test(a.to) || !/^<[\x21-\x7e]+>$/.test(a.messageId) || !/^https?:\/\/[\x21-\x7e]+$/.test(a.oneClickUrl + a.link)) {
        throw new RangeError('email template: addresses must be plain ASCII');
      }
      const h = head.replace(T_TO, a.to).replace(T_MID, a.messageId).replace(T_ONE_CLICK, a.oneClickUrl);
      const b = replaceInQuotedPrintable(body, a.link);
      if (b.includes('template.invalid')) throw new Error('email template: a placeholder was left in the parts');
      return Buffer.from(h + b, 'latin1');
    },
  };
}
