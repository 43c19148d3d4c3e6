import { describe, expect, it } from 'vitest';
import { defineManifest, manifestProblems, type AnyManifest } from '../../src/lib/components/manifest.ts';
import {
  defaultSettings,
  readSettings,
  settingsFieldIds,
  settingsFormFields,
  settingsFromForm,
  settingsSchema,
  validateSettings,
  type SettingsDefinition,
} from '../../src/lib/components/settings.ts';

/**
 * Settings declared in a manifest drive validation and the generated admin form. A definition
 * with every kind of setting, as a future feature (proposals…) would declare them.
 */

const DEF = {
  creation_enabled: { type: 'boolean', default: false, label: { fr: 'Création activée', en: 'Creation enabled' } },
  proposal_limit: {
    type: 'integer',
    default: 0,
    min: 0,
    max: 50,
    label: { fr: 'Propositions par personne', en: 'Proposals per person' },
    hint: { fr: '0 : sans limite', en: '0: no limit' },
  },
  votes: {
    type: 'enum',
    values: ['disabled', 'enabled', 'finished'],
    default: 'disabled',
    label: { fr: 'Votes', en: 'Votes' },
    options: {
      disabled: { fr: 'Désactivés', en: 'Disabled' },
      enabled: { fr: 'Ouverts', en: 'Open' },
      finished: { fr: 'Terminés', en: 'Finished' },
    },
  },
  announcement: { type: 'translated', rich: true, maxLength: 100, label: { fr: 'Annonce', en: 'Announcement' } },
} as const satisfies SettingsDefinition;

function form(entries: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.append(k, v);
  return f;
}

describe('settings schemas', () => {
  it('fill every setting with its default', () => {
    expect(defaultSettings(DEF)).toEqual({ creation_enabled: false, proposal_limit: 0, votes: 'disabled', announcement: {} });
    expect(settingsSchema(DEF).parse({})).toEqual(defaultSettings(DEF));
    // Unknown keys are dropped, known ones validated.
    expect(settingsSchema(DEF).parse({ votes: 'enabled', extra: 1 })).toEqual({ ...defaultSettings(DEF), votes: 'enabled' });
    expect(settingsSchema(DEF).safeParse({ votes: 'maybe' }).success).toBe(false);
  });

  it('read stored settings leniently: missing or no longer valid values are defaults', () => {
    expect(readSettings(DEF, { creation_enabled: true, proposal_limit: 999, votes: 'gone', announcement: 'not an object' })).toEqual({
      creation_enabled: true,
      proposal_limit: 0,
      votes: 'disabled',
      announcement: {},
    });
    expect(readSettings(DEF, null)).toEqual(defaultSettings(DEF));
    expect(readSettings(DEF, ['array'])).toEqual(defaultSettings(DEF));
  });
});

describe('settings from a posted form', () => {
  it('a checked box is true, an absent one false; numbers, choices and translations are read', () => {
    const raw = settingsFromForm(
      DEF,
      form({ 'settings.creation_enabled': 'on', 'settings.proposal_limit': ' 12 ', 'settings.votes': 'enabled', 'settings.announcement.fr': '<p>Salut</p>' }),
      'settings.',
    );
    expect(validateSettings(DEF, raw, 'settings.')).toEqual({
      ok: true,
      value: { creation_enabled: true, proposal_limit: 12, votes: 'enabled', announcement: { fr: '<p>Salut</p>' } },
    });
    const unchecked = settingsFromForm(DEF, form({ 'settings.proposal_limit': '0', 'settings.votes': 'disabled' }), 'settings.');
    expect(validateSettings(DEF, unchecked, 'settings.')).toMatchObject({ ok: true, value: { creation_enabled: false } });
  });

  it('invalid values are errors keyed by field name, with translatable messages', () => {
    const prefix = 'phase.abc.';
    const result = validateSettings(
      DEF,
      settingsFromForm(
        DEF,
        form({ [`${prefix}creation_enabled`]: 'yes please', [`${prefix}proposal_limit`]: '51', [`${prefix}votes`]: 'maybe', [`${prefix}announcement.fr`]: 'x'.repeat(101) }),
        prefix,
      ),
      prefix,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        'phase.abc.creation_enabled': { key: 'validation.invalid_choice' },
        'phase.abc.proposal_limit': { key: 'validation.too_big', params: { max: 50 } },
        'phase.abc.votes': { key: 'validation.invalid_choice' },
        'phase.abc.announcement': { key: 'validation.too_long', params: { max: 100 } },
      },
    });
  });

  it('numbers: empty is required, text is not a number, below the minimum is too small', () => {
    const check = (v: string) => {
      const r = validateSettings(DEF, settingsFromForm(DEF, form({ proposal_limit: v, votes: 'enabled' }), ''));
      return r.ok ? null : r.errors['proposal_limit'];
    };
    expect(check('')).toEqual({ key: 'validation.required' });
    expect(check('douze')).toEqual({ key: 'validation.integer' });
    expect(check('1.5')).toEqual({ key: 'validation.integer' });
    expect(check('-1')).toEqual({ key: 'validation.too_small', params: { min: 0 } });
    expect(check('7')).toBeNull();
  });

  it('rich translated text is sanitised and empty translations dropped', () => {
    const r = validateSettings(
      DEF,
      settingsFromForm(DEF, form({ proposal_limit: '1', votes: 'enabled', 'announcement.fr': '<p onclick="x()">Oui</p><script>y()</script>', 'announcement.en': '   ' }), ''),
    );
    expect(r).toMatchObject({ ok: true, value: { announcement: { fr: '<p>Oui</p>' } } });
  });

  it('a file instead of text is refused', () => {
    const f = form({ proposal_limit: '1', votes: 'enabled' });
    f.append('announcement.fr', new Blob(['x']), 'x.txt');
    const r = validateSettings(DEF, settingsFromForm(DEF, f, ''));
    expect(r.ok).toBe(false);
  });
});

describe('generated settings form', () => {
  it('booleans → checkbox, integers → number with min/max, enums → select, translated → one input per locale', () => {
    const fields = settingsFormFields(DEF, defaultSettings(DEF), 'fr', 'phase.p1.', 'phase-p1-');
    expect(fields.map((f) => f.kind)).toEqual(['checkbox', 'number', 'select', 'translated']);
    const [checkbox, number, select, translated] = fields;
    expect(checkbox).toMatchObject({ name: 'phase.p1.creation_enabled', id: 'phase-p1-creation_enabled', label: 'Création activée', checked: false });
    expect(number).toMatchObject({ name: 'phase.p1.proposal_limit', min: 0, max: 50, value: '0', hint: '0 : sans limite' });
    expect(select).toMatchObject({
      value: 'disabled',
      options: [
        { value: 'disabled', label: 'Désactivés' },
        { value: 'enabled', label: 'Ouverts' },
        { value: 'finished', label: 'Terminés' },
      ],
    });
    expect(translated).toMatchObject({
      name: 'phase.p1.announcement',
      rich: true,
      inputs: [
        { locale: 'fr', language: 'Français', name: 'phase.p1.announcement.fr', id: 'phase-p1-announcement-fr', value: '' },
        { locale: 'en', language: 'English', name: 'phase.p1.announcement.en', id: 'phase-p1-announcement-en', value: '' },
      ],
    });
    // Error summary links go to the first input of a translated field.
    expect(settingsFieldIds(fields)['phase.p1.announcement']).toEqual({ id: 'phase-p1-announcement-fr', label: 'Annonce' });
  });

  it('labels follow the page locale; values typed before a refusal come back', () => {
    const raw = settingsFromForm(DEF, form({ proposal_limit: 'douze', votes: 'finished', creation_enabled: 'on', 'announcement.en': 'Hello' }), '');
    const fields = settingsFormFields(DEF, raw, 'en', '', '');
    expect(fields.map((f) => f.label)).toEqual(['Creation enabled', 'Proposals per person', 'Votes', 'Announcement']);
    expect(fields[0]).toMatchObject({ checked: true });
    expect(fields[1]).toMatchObject({ value: 'douze' });
    expect(fields[2]).toMatchObject({ value: 'finished' });
    expect(fields[3]).toMatchObject({ inputs: [{ value: '' }, { value: 'Hello' }] });
  });
});

describe('manifests are checked when defined', () => {
  const base = {
    key: 'proposals_test',
    icon: 'M0 0',
    name: { fr: 'Propositions', en: 'Proposals' },
    description: { fr: '', en: '' },
    stats: [],
    resources: [],
    publicPage: () => Promise.resolve({ default: () => null }),
  };

  it('an action gated by boolean settings on the right side is fine', () => {
    const m = defineManifest({
      ...base,
      actions: [{ name: 'create', label: { fr: 'Proposer', en: 'Propose' }, globalEnabledSetting: 'enabled', phaseEnabledSetting: 'creation_enabled', phaseBlockedSetting: 'creation_blocked' }],
      settings: {
        global: { enabled: { type: 'boolean', default: true, label: { fr: 'a', en: 'a' } } },
        phase: {
          creation_enabled: { type: 'boolean', default: false, label: { fr: 'b', en: 'b' } },
          creation_blocked: { type: 'boolean', default: false, label: { fr: 'c', en: 'c' } },
        },
      },
    });
    expect(m.key).toBe('proposals_test');
  });

  it('gating by a missing, non-boolean or wrong-side setting, bad names and defaults are refused', () => {
    const bad = {
      ...base,
      key: 'Bad-Key',
      actions: [
        { name: 'vote', label: { fr: 'Voter', en: 'Vote' }, phaseEnabledSetting: 'votes' },
        { name: 'vote', label: { fr: 'Voter', en: 'Vote' }, globalEnabledSetting: 'creation_enabled' },
        { name: 'comment', label: { fr: 'c', en: 'c' }, phaseBlockedSetting: 'nope' },
      ],
      settings: {
        global: { 'Not-An-Id': { type: 'boolean', default: true, label: { fr: 'a', en: 'a' } } },
        phase: {
          votes: DEF.votes,
          creation_enabled: DEF.creation_enabled,
          limit: { type: 'integer', default: 99, min: 0, max: 10, label: { fr: 'l', en: 'l' } },
        },
      },
    } as unknown as AnyManifest;
    const problems = manifestProblems(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('key "Bad-Key"'),
        expect.stringContaining('"Not-An-Id" is not an identifier'),
        expect.stringContaining('setting "limit": default out of range'),
        expect.stringContaining('action "vote": phase setting "votes" is not a boolean'),
        expect.stringContaining('action "vote" is declared twice'),
        expect.stringContaining('global setting "creation_enabled" is not a boolean global setting'),
        expect.stringContaining('phase setting "nope"'),
      ]),
    );
    expect(() => defineManifest(bad)).toThrow(/Invalid manifest/);
  });
});
