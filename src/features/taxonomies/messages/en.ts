import type { SameKeys } from '@/lib/i18n/catalog.ts';
import type { fr } from './fr.ts';

/** Texts of taxonomies, in English: exactly the French keys. */
export const en = {
  'taxonomies.admin.title': 'Taxonomies',
  'taxonomies.admin.intro':
    'Categories and areas, hierarchical (for example “Neighbourhoods”, then each neighbourhood). Spaces are tagged with them and visitors filter lists with them.',
  'taxonomies.admin.empty': 'No taxonomy yet.',
  'taxonomies.admin.caption': 'Taxonomies, as a tree',
  'taxonomies.admin.col.name': 'Name',
  'taxonomies.admin.col.weight': 'Order',
  'taxonomies.admin.col.actions': 'Actions',
  'taxonomies.admin.add': 'Add a taxonomy',
  'taxonomies.admin.addSubmit': 'Add',
  'taxonomies.admin.edit': 'Edit',
  'taxonomies.admin.editLabel': 'Edit “{name}”',
  'taxonomies.admin.editTitle': 'Edit “{name}”',
  'taxonomies.admin.save': 'Save',
  'taxonomies.admin.delete': 'Delete',
  'taxonomies.admin.deleteConfirm': 'Delete “{name}” and its sub-categories?',
  'taxonomies.admin.deleteLabel': 'Delete “{name}” and its sub-taxonomies',
  'taxonomies.admin.back': 'Back to the taxonomies',
  'taxonomies.field.name': 'Name',
  'taxonomies.field.parent': 'Parent',
  'taxonomies.field.parentNone': 'None (top level)',
  'taxonomies.field.weight': 'Order',
  'taxonomies.field.weightHint': 'Smaller numbers come first.',
  'taxonomies.status.created': 'The taxonomy has been added.',
  'taxonomies.status.saved': 'The taxonomy has been saved.',
  'taxonomies.status.deleted': 'The taxonomy has been deleted.',
  'taxonomies.validation.parent_cycle': 'A taxonomy cannot be placed under itself or under one of its sub-taxonomies.',
} as const satisfies SameKeys<typeof fr>;
