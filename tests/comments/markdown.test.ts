import { describe, expect, it } from 'vitest';
import { addCommentInput, renderCommentMarkdown } from '../../src/features/comments/comments.ts';

/** The Markdown subset of comments: formatting kept, HTML never, links made safe. */
describe('comment Markdown', () => {
  it('formats bold, italics, code, links, mentions, paragraphs and line breaks', () => {
    const html = renderCommentMarkdown('**gras** et *italique*\nligne\n\n`<b>code</b>`');
    expect(html).toContain('<p><strong>gras</strong> et <em>italique</em><br />ligne</p>');
    expect(html).toContain('<p><code>&lt;b&gt;code&lt;/b&gt;</code></p>');
    expect(renderCommentMarkdown('voir [le site](https://example.org/a?b=1&c=2) ou https://x.org/p.')).toBe(
      '<p>voir <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener" target="_blank">le site</a> ou ' +
        '<a href="https://x.org/p" rel="nofollow ugc noopener" target="_blank">https://x.org/p</a>.</p>',
    );
    // A mention is a word that starts with @; an email address stays text.
    expect(renderCommentMarkdown('merci @Camille_M, écrire à a@b.fr')).toBe('<p>merci <span class="mention">@camille_m</span>, écrire à a@b.fr</p>');
    expect(renderCommentMarkdown('- un\n- deux\n\n> cité')).toBe('<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n<blockquote>\n<p>cité</p>\n</blockquote>');
  });

  it('never lets HTML or unsafe links through', () => {
    const html = renderCommentMarkdown('<script>alert(1)</script> [x](javascript:alert(1)) [y](data:text/html,hi) "><img src=x onerror=1> \uE0000\uE000');
    expect(html).not.toMatch(/<script|<img|href="javascript|href="data/i);
    expect(html).toContain('&lt;script&gt;');
    for (const href of ['javascript:alert(1)', 'data:text/html,hi', '/\\evil.example', '//evil.example', 'vbscript:x']) {
      expect(renderCommentMarkdown(`[x](${href})`), href).not.toContain('<a');
    }
    // Headings and images are not part of the subset: their text remains.
    expect(renderCommentMarkdown('# Titre ![photo](https://x.org/a.png)')).toBe('<p>Titre photo</p>');
  });

  it('refuses NUL characters and invalid UTF-8 (U+FFFD), trims, and caps the size', () => {
    const base = { resource_type: 'page', resource_id: '3f1e6d4c-9f0a-4b7e-8c2d-1a2b3c4d5e6f' };
    expect(addCommentInput.safeParse({ ...base, body: 'a\u0000b' }).success).toBe(false);
    expect(addCommentInput.safeParse({ ...base, body: 'a\uFFFDb' }).success).toBe(false);
    expect(addCommentInput.safeParse({ ...base, body: '   ' }).success).toBe(false);
    expect(addCommentInput.safeParse({ ...base, body: 'x'.repeat(10_001) }).success).toBe(false);
    const ok = addCommentInput.safeParse({ ...base, body: '  Bonjour\r\n ', parent_id: null, alignment: null });
    expect(ok.success && ok.data).toEqual({ ...base, body: 'Bonjour', alignment: 0 });
  });
});
