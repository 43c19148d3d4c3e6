/** Texts of the proposals feature (list part), in French: the reference for list.en.ts. */
export const listFr = {
  'proposals.list.placeholder': '—',
} as const;
