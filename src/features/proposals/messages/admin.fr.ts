/** Texts of the proposals feature (admin part), in French: the reference for admin.en.ts. */
export const adminFr = {
  'proposals.admin.placeholder': '—',
} as const;
