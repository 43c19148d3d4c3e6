import nodemailer from 'nodemailer';
import type { Config } from '../../../../src/lib/config.ts';

export interface OutgoingEmail {
  to: string;
  /** The sender's display name (the organization); the address is always SMTP_SENDER. */
  fromName: string | null;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: OutgoingEmail): Promise<void>;
  close(): void;
}

/** SMTP through `config.smtpUrl` (maildev in development and tests, any relay in production). */
export function createMailer(config: Config): Mailer {
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    // A missing SMTP server should fail the request in seconds, not hang it.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send({ fromName, ...mail }) {
      await transport.sendMail({ from: fromName ? { name: fromName, address: config.smtpSender } : config.smtpSender, ...mail });
    },
    close() {
      transport.close();
    },
  };
}
