/** Texts of the proposals feature (detail part), in French: the reference for detail.en.ts. */
export const detailFr = {
  'proposals.detail.placeholder': '—',
} as const;
