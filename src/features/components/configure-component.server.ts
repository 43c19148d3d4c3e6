import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, fieldFailures, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { issueMessage, type Message } from '../../lib/i18n/issues.ts';
import { LOCALES } from '../../lib/i18n/locales.ts';
import { getManifest } from '../registry.ts';
import { COMPONENT_CONSTRAINTS, configureHeadInput, DEFAULT_PHASE_KEY, GLOBAL_PREFIX, phasePrefix } from './components.ts';
import { settingsFromForm, validateSettings } from '../../lib/components/settings.ts';
import { permissionsFromForm } from '../verifications/verifications.ts';

/**
 * Saves a component's name, global settings and per-phase settings from its generated form
 * (RLS: the space's admins). Every setting is validated against the feature's manifest; any
 * invalid value is a field error under that field and nothing is saved. Per-phase settings are
 * rebuilt for the process's current phases plus "default" (settings of deleted phases go).
 */
export async function configureComponent(claims: Claims | null, form: FormData): Promise<Result<{ id: string; spaceId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const head = configureHeadInput.safeParse({
    component_id: form.get('component_id') ?? undefined,
    name: Object.fromEntries(LOCALES.map((l) => [l, form.get(`name.${l}`) ?? undefined])),
  });
  if (!head.success) {
    const fields: Record<string, Message> = {};
    for (const issue of head.error.issues) fields[String(issue.path[0] ?? 'form')] ??= issueMessage(issue);
    return notOk(fieldFailures(400, fields));
  }
  const { component_id: id, name } = head.data;

  const r = await guarded(
    () =>
      asUser(claims, async (tx) => {
        const [component] = await tx<{ feature: string; space_id: string }[]>`
          select feature, space_id from public.components where id = ${id}`;
        if (!component) throw new Refusal(failure(404, 'error.not_found'));
        const manifest = getManifest(component.feature);
        if (!manifest) throw new Refusal(failure(422, 'components.validation.unknown_feature'));
        const phases = await tx<{ id: string }[]>`select id from public.phases where space_id = ${component.space_id} order by position`;

        const errors: Record<string, Message> = {};
        const global = validateSettings(manifest.settings.global, settingsFromForm(manifest.settings.global, form, GLOBAL_PREFIX), GLOBAL_PREFIX);
        if (!global.ok) Object.assign(errors, global.errors);
        const phaseSettings: Record<string, unknown> = {};
        for (const key of [DEFAULT_PHASE_KEY, ...phases.map((p) => p.id)]) {
          const prefix = phasePrefix(key);
          const parsed = validateSettings(manifest.settings.phase, settingsFromForm(manifest.settings.phase, form, prefix), prefix);
          if (parsed.ok) phaseSettings[key] = parsed.value;
          else Object.assign(errors, parsed.errors);
        }
        if (!global.ok || Object.keys(errors).length > 0) throw new Refusal(fieldFailures(400, errors));

        // The verifications its verifiable actions require (`permissions.<action>` checkboxes).
        const permissions = permissionsFromForm(form, manifest.actions.filter((a) => a.verifiable).map((a) => a.name));
        const rows = await tx`
          update public.components
          set name = ${jsonb(tx, name)}, settings = ${jsonb(tx, global.value)},
              phase_settings = ${jsonb(tx, phaseSettings)}, permissions = ${jsonb(tx, permissions)}
          where id = ${id}
          returning id`;
        if (rows.length === 0) throw new Refusal(failure(403, 'error.forbidden'));
        return { id, spaceId: component.space_id };
      }),
    COMPONENT_CONSTRAINTS,
  );
  return r.ok ? ok(r.value) : notOk(r.failure);
}
