import { inject } from 'vitest';

/** An email as the maildev REST API returns it (the fields the tests read). */
export interface MaildevEmail {
  to: { address: string }[];
  subject: string;
  text?: string;
  html?: string;
  time?: string;
  date?: string;
}

/** Every email the SMTP catcher holds for `address`, oldest first. */
export async function mailsTo(address: string, mailApiUrl = inject('stack').mailApiUrl): Promise<MaildevEmail[]> {
  const res = await fetch(`${mailApiUrl}/email`);
  const all = (await res.json()) as MaildevEmail[];
  return all
    .filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()))
    .sort((a, b) => Date.parse(a.time ?? a.date ?? '0') - Date.parse(b.time ?? b.date ?? '0'));
}
