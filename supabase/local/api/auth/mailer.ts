import nodemailer from 'nodemailer';
import type { Config } from '../../../../src/lib/config.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: OutgoingEmail): Promise<void>;
  close(): void;
}

export const PLATFORM_NAME = 'Décidons';

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
    async send(mail) {
      await transport.sendMail({ from: { name: PLATFORM_NAME, address: config.smtpSender }, ...mail });
    },
    close() {
      transport.close();
    },
  };
}
