/** The demo accounts `supabase/seed.sql` creates; printed by `npm start` and listed in the README. */
export const DEMO_PASSWORD = 'decidons-demo-2026';

export const DEMO_ACCOUNTS = [
  { email: 'admin@demo.decidons.fr', name: 'Claire Admin', role: 'platform administrator' },
  { email: 'camille.martin@demo.decidons.fr', name: 'Camille Martin', role: 'moderator of the participatory budget' },
  { email: 'karim.benali@demo.decidons.fr', name: 'Karim Benali', role: 'collaborator on the participatory budget' },
  { email: 'lea.dupont@demo.decidons.fr', name: 'Léa Dupont', role: 'private committee member, prefers English' },
] as const;
