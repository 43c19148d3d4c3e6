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
  /** Extra headers (a list id for a newsletter…). */
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
