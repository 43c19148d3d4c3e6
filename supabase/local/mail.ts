import { MailDev } from 'maildev';

/** The SMTP catcher every email lands in during development and tests (maildev, with its web inbox). */
export async function startMailCatcher(opts: { smtpPort: number; webPort: number; host?: string }) {
  const host = opts.host ?? '127.0.0.1';
  const md = new MailDev({ smtp: opts.smtpPort, web: opts.webPort, ip: host, webIp: host, silent: true });
  // @maildev/api announces itself with console.info whatever `silent` says; npm start prints its own URLs.
  const info = console.info;
  console.info = () => {};
  try {
    await md.start();
  } finally {
    console.info = info;
  }
  return {
    inboxUrl: `http://${host}:${opts.webPort}`,
    apiUrl: `http://${host}:${opts.webPort}/api`,
    stop: () => md.stop(),
  };
}
