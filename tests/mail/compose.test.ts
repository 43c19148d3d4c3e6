import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeEmail, composeTemplate, RECIPIENT_LINK } from '../../src/lib/mail/compose.ts';
import { renderEmailHtml } from '../../src/lib/mail/layout.ts';

/*
 * A newsletter is composed once per language and addressed to each person by replacing
 * placeholders in the encoded message: what each person receives must read exactly as if it
 * had been composed for them alone (nodemailer), whatever the lengths and the characters.
 */

async function parts(raw: Buffer) {
  const m = await simpleParser(raw);
  return { to: (m.to as { text: string }).text, messageId: m.messageId, html: String(m.html), text: m.text ?? '', unsubscribe: m.headers.get('list-unsubscribe'), post: m.headers.get('list-unsubscribe-post') };
}

describe('an email written once, addressed to each person', () => {
  it('reads as if composed for them: headers, HTML and text, long addresses cut within the lines', async () => {
    const long = `https://participer.example.org/fr/unsubscribe?token=${'AbC-_9'.repeat(40)}.${'z'.repeat(43)}`;
    for (const filler of ['', 'é', 'é'.repeat(37), 'x'.repeat(60), 'Bonjour à toutes et à tous. '.repeat(30)]) {
      const html = await renderEmailHtml(
        { lang: 'fr', orgName: 'Ville d’Été' },
        { preheader: 'Été', content: `<p>${filler}<a href="${RECIPIENT_LINK}">${filler}lien</a>${filler}</p>`, reason: 'r', signature: 's', unsubscribe: { url: RECIPIENT_LINK, label: 'Se désabonner' } },
      );
      const text = `${filler}\nSe désabonner : ${RECIPIENT_LINK}\n${filler}${RECIPIENT_LINK}${filler}`;
      const common = { fromName: 'Ville d’Été', fromAddress: 'noreply@example.org', subject: 'Lettre de l’été', language: 'fr' };
      const template = await composeTemplate({ ...common, html, text });
      for (const [to, link] of [['a@example.org', long], ['quelqu.un+x@example.org', 'https://x.example.org/u?token=a=b=c']] as const) {
        const raw = template.address({ to, messageId: `<m-${to}@example.org>`, oneClickUrl: link.replace('/fr/unsubscribe', '/api/unsubscribe'), link });
        for (const line of raw.toString('latin1').split(/\r?\n/)) expect(line.length).toBeLessThanOrEqual(998);
        const body = raw.toString('latin1').split('\r\n\r\n').slice(1).join('\r\n\r\n');
        for (const line of body.split(/\r?\n/)) expect(line.length, line).toBeLessThanOrEqual(76);
        const alone = await composeEmail({ ...common, to, html: html.replaceAll(RECIPIENT_LINK, link), text: text.replaceAll(RECIPIENT_LINK, link), messageId: `<m-${to}@example.org>`, unsubscribe: { oneClickUrl: link.replace('/fr/unsubscribe', '/api/unsubscribe') } });
        expect(await parts(raw)).toEqual(await parts(alone));
      }
    }
  });

  it('refuses what it cannot put in a header as is', async () => {
    const template = await composeTemplate({ fromName: 'V', fromAddress: 'n@example.org', subject: 's', language: 'fr', html: `<a href="${RECIPIENT_LINK}">x</a>`, text: RECIPIENT_LINK });
    expect(() => template.address({ to: 'ç@example.org', messageId: '<m@x>', oneClickUrl: 'https://x/y', link: 'https://x/z' })).toThrow(RangeError);
  });
});
