import mjml2html from 'mjml';
import { escapeHtml } from '../html/sanitize.ts';

/*
 * The frame of every email, in MJML (a language made for email: it compiles to the nested tables
 * and inline styles mail clients need, tested against them, instead of hand-built tables): the
 * organization's name as the header and the signature, the content, the reason the person gets
 * it and the unsubscribe link in the footer. MJML compiles once per language, organization name
 * and colour (tens of milliseconds); each email then fills the slots of the compiled HTML, so a
 * 50,000-recipient send does not run the compiler 50,000 times.
 */

export interface EmailFrame {
  lang: string;
  orgName: string;
  /** #RRGGBB */
  color?: string | undefined;
}

export interface EmailSlots {
  /** The inbox preview line (text). */
  preheader: string;
  /** The content: trusted HTML built by the caller from escaped parts (see `emailHtml`). */
  content: string;
  /** Why the person receives this (text). */
  reason: string;
  /** The signature under the content (text), e.g. "L’équipe de Ville de Lyon". */
  signature: string;
  unsubscribe?: { url: string; label: string } | undefined;
}

const SLOT = (name: string) => `%%DECIDONS_${name}%%`;
type SlotName = 'PREHEADER' | 'CONTENT' | 'REASON' | 'SIGNATURE' | 'UNSUBSCRIBE';

const compiled = new Map<string, Promise<string>>();

function frameSource(f: EmailFrame): string {
  const color = f.color && /^#[0-9a-fA-F]{6}$/.test(f.color) ? f.color : '#000091';
  return `<mjml lang="${escapeHtml(f.lang)}">
  <mj-head>
    <mj-title>${escapeHtml(f.orgName)}</mj-title>
    <mj-preview>${SLOT('PREHEADER')}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Marianne, Arial, Helvetica, sans-serif" />
      <mj-text font-size="16px" line-height="1.5" color="#161616" />
    </mj-attributes>
    <mj-style>
      a { color: ${color}; }
      h1 { font-size: 22px; line-height: 1.3; margin: 0 0 12px; }
      h2 { font-size: 18px; line-height: 1.3; margin: 20px 0 8px; }
      h3 { font-size: 16px; line-height: 1.3; margin: 16px 0 6px; }
      ul { padding-left: 20px; margin: 0 0 12px; }
      li { margin: 0 0 8px; }
      .muted { color: #666666; font-size: 14px; }
    </mj-style>
  </mj-head>
  <mj-body background-color="#f6f6f6">
    <mj-section background-color="${color}" padding="16px 24px">
      <mj-column><mj-text color="#ffffff" font-size="18px" font-weight="700">${escapeHtml(f.orgName)}</mj-text></mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text>${SLOT('CONTENT')}</mj-text>
        <mj-text>${SLOT('SIGNATURE')}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="16px 24px">
      <mj-column>
        <mj-text font-size="13px" color="#666666">${SLOT('REASON')}</mj-text>
        <mj-text font-size="13px" color="#666666">${SLOT('UNSUBSCRIBE')}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

async function compiledFrame(f: EmailFrame): Promise<string> {
  const key = JSON.stringify([f.lang, f.orgName, f.color ?? '']);
  let html = compiled.get(key);
  if (!html) {
    html = mjml2html(frameSource(f), { validationLevel: 'strict', minify: false, keepComments: false }).then((r) => {
      if (r.errors.length > 0) throw new Error(`email frame: ${r.errors.map((e) => e.formattedMessage).join('; ')}`);
      return r.html;
    });
    compiled.set(key, html);
    html.catch(() => compiled.delete(key));
  }
  return html;
}

/** The whole HTML of an email: the compiled frame with its slots filled. */
export async function renderEmailHtml(frame: EmailFrame, slots: EmailSlots): Promise<string> {
  const html = await compiledFrame(frame);
  const values: Record<SlotName, string> = {
    PREHEADER: escapeHtml(slots.preheader),
    CONTENT: slots.content,
    REASON: escapeHtml(slots.reason),
    SIGNATURE: escapeHtml(slots.signature),
    UNSUBSCRIBE: slots.unsubscribe ? `<a href="${escapeHtml(slots.unsubscribe.url)}">${escapeHtml(slots.unsubscribe.label)}</a>` : '',
  };
  // One pass over the markers, so a value that happens to contain a marker is never read as one.
  return html.replace(/%%DECIDONS_([A-Z]+)%%/g, (m, name: string) => (name in values ? values[name as SlotName] : m));
}

/** Escaping for the parts callers put in `content`. */
export { escapeHtml };
