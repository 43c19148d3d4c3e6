import { z } from 'zod';
import { translatedInput, uuidInput } from '../../../lib/forms/fields.ts';
import { proposalBodyHtml } from '../inputs.ts';

/*
 * Inputs of the proposals admin forms (posted without JavaScript; Astro's form parsing gives
 * `name.fr`, repeated checkboxes as arrays, empty inputs as undefined). Messages are dictionary
 * keys; what the database decides (states of the component, costs allowed, roles) it decides.
 */

/** The proposals ticked in the admin list (at most one page of them). */
const proposalIds = z.array(uuidInput).min(1, { message: 'proposals.admin.error.noneSelected' }).max(500);

const requiredText = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { message: 'validation.required' })
    .max(max);

/**
 * The body of a proposal written by an admin (official, merged, split): the same Markdown subset
 * as participants' bodies, stored as its sanitised rendering, so every proposal body is one format.
 */
const richBody = z
  .string()
  .max(60_000, { message: 'proposals.error.bodyLength' })
  .nullish()
  .transform((v) => proposalBodyHtml(v ?? ''));

/** A cost typed by a person: "1200", "1 200,50", "1200.5"; empty is none. */
const costInput = z
  .string()
  .trim()
  .max(30)
  .nullish()
  .transform((v) => (v ?? '').replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'))
  .refine((v) => v === '' || (/^\d{1,12}(\.\d{1,2})?$/.test(v)), { message: 'proposals.admin.error.cost' })
  .transform((v) => (v === '' ? null : v));

export const answerProposalInput = z.object({
  proposal_id: uuidInput,
  state_id: z
    .string()
    .trim()
    .nullish()
    .refine((v) => !v || z.uuid().safeParse(v).success, { message: 'proposals.error.state' })
    .transform((v) => (v ? v : null)),
  answer: translatedInput({ rich: true, max: 20_000 }),
  cost: costInput,
  cost_report: translatedInput({ rich: true, max: 20_000 }),
  execution_period: translatedInput({ rich: true, max: 20_000 }),
});
export type AnswerProposalInput = z.infer<typeof answerProposalInput>;

export const publishAnswersInput = z.object({ component_id: uuidInput, ids: proposalIds });
export type PublishAnswersInput = z.infer<typeof publishAnswersInput>;

export const evaluatorInput = z.object({
  component_id: uuidInput,
  ids: proposalIds,
  evaluator_id: z.uuid({ message: 'proposals.admin.error.evaluator' }),
});
export type EvaluatorInput = z.infer<typeof evaluatorInput>;

export const addNoteInput = z.object({
  proposal_id: uuidInput,
  parent_id: uuidInput.nullish().transform((v) => v ?? null),
  body: requiredText(5000),
});
export type AddNoteInput = z.infer<typeof addNoteInput>;

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export const saveStateInput = z.object({
  component_id: uuidInput,
  state_id: uuidInput.nullish().transform((v) => v ?? null),
  token: z
    .string({ error: 'validation.required' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_]{1,39}$/, { message: 'proposals.admin.error.token' }),
  name: translatedInput({ required: true, max: 200 }),
  color: z.string({ error: 'validation.required' }).trim().regex(HEX_COLOR, { message: 'validation.color' }),
  announcement: translatedInput({ rich: true, max: 5000 }),
});
export type SaveStateInput = z.infer<typeof saveStateInput>;

export const deleteStateInput = z.object({ component_id: uuidInput, state_id: uuidInput });
export type DeleteStateInput = z.infer<typeof deleteStateInput>;

export const mergeProposalsInput = z.object({
  component_id: uuidInput,
  ids: proposalIds.min(2, { message: 'proposals.admin.error.mergeCount' }),
  title: requiredText(150),
  body: richBody,
});
export type MergeProposalsInput = z.infer<typeof mergeProposalsInput>;

export const SPLIT_MAX = 10;

export const splitProposalInput = z
  .object({
    proposal_id: uuidInput,
    title: z.array(z.string().trim().max(150)).max(SPLIT_MAX).default([]),
    body: z.array(z.string().max(60_000, { message: 'proposals.error.bodyLength' })).max(SPLIT_MAX).default([]),
  })
  .transform((v) => ({
    proposal_id: v.proposal_id,
    parts: v.title
      .map((title, i) => ({ title, body: proposalBodyHtml(v.body[i] ?? '') }))
      .filter((p) => p.title !== '' || p.body !== ''),
  }))
  .refine((v) => v.parts.length >= 2, { message: 'proposals.admin.error.splitCount', path: ['title'] })
  .refine((v) => v.parts.every((p) => p.title.length >= 5), { message: 'proposals.error.titleLength', path: ['title'] });
export type SplitProposalInput = z.infer<typeof splitProposalInput>;

export const importProposalsInput = z.object({
  component_id: uuidInput,
  source_id: z.uuid({ message: 'proposals.admin.error.source' }),
  states: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, { message: 'validation.invalid' }))
    .max(50)
    .default([]),
});
export type ImportProposalsInput = z.infer<typeof importProposalsInput>;

export const officialProposalInput = z.object({
  component_id: uuidInput,
  title: requiredText(150),
  body: richBody,
  address: z
    .string()
    .trim()
    .max(300)
    .nullish()
    .transform((v) => (v ? v : null)),
});
export type OfficialProposalInput = z.infer<typeof officialProposalInput>;

/**
 * The moderation queue's hide / make-visible forms: a proposal's, or a collaborative draft's
 * (`draft_id`), through the one action the registry names for the proposals section.
 */
export const hideProposalInput = z.object({ proposal_id: uuidInput.optional(), draft_id: uuidInput.optional(), hidden: z.boolean() });
export type HideProposalInput = z.infer<typeof hideProposalInput>;

/** The admin list's filters (a GET form: bad values are ignored, not errors). */
export const ADMIN_STATE_FILTERS = ['not_answered', 'not_published', 'withdrawn', 'hidden'] as const;
export const adminFiltersInput = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  /** A state token of the component or one of ADMIN_STATE_FILTERS. */
  state: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional()
    .catch(undefined),
  taxonomy: z.uuid().optional().catch(undefined),
  /** `any`, `none` or an evaluator's id. */
  evaluator: z
    .string()
    .regex(/^(any|none|[0-9a-f-]{36})$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type AdminFilters = z.infer<typeof adminFiltersInput>;

export const ADMIN_PAGE_SIZE = 100;
