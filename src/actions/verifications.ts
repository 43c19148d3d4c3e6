import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { grantVerification, revokeVerification } from '@/features/verifications/grant-verification.server.ts';
import { clearCensus, uploadCensusFile } from '@/features/verifications/upload-census.server.ts';
import { censusClaimInput, clearCensusInput, grantInput, revokeInput } from '@/features/verifications/verifications.ts';
import { verifyWithCensus } from '@/features/verifications/verify-census.server.ts';
import { unwrap } from './unwrap.ts';

/** Actions of verifications: a resident's census claim; organization admins' census, grants and revocations. */
export const verifications = {
  verifyWithCensus: defineAction({ accept: 'form', input: censusClaimInput, handler: async (i, c) => unwrap(await verifyWithCensus(c.locals.claims, i)) }),
  grant: defineAction({ accept: 'form', input: grantInput, handler: async (i, c) => unwrap(await grantVerification(c.locals.claims, i)) }),
  revoke: defineAction({ accept: 'form', input: revokeInput, handler: async (i, c) => unwrap(await revokeVerification(c.locals.claims, i)) }),
  uploadCensus: defineAction({
    accept: 'form',
    input: z.object({ file: z.instanceof(File, { message: 'verifications.error.file' }) }),
    handler: async (i, c) => unwrap(await uploadCensusFile(c.locals.claims, i.file)),
  }),
  clearCensus: defineAction({ accept: 'form', input: clearCensusInput, handler: async (_i, c) => unwrap(await clearCensus(c.locals.claims)) }),
};
