import { defineAction } from 'astro:actions';
import { importAddresses } from '@/features/maps/import-addresses.server.ts';
import { importMapLayer } from '@/features/maps/import-map-layer.server.ts';
import { importAddressesInput, importLayerInput, removeAddressesInput, removeLayerInput } from '@/features/maps/maps.ts';
import { removeAddresses } from '@/features/maps/remove-addresses.server.ts';
import { removeMapLayer } from '@/features/maps/remove-map-layer.server.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the maps feature: the organization's map layers (GeoJSON) and addresses (BAN CSV). */
export const maps = {
  importMapLayer: defineAction({ accept: 'form', input: importLayerInput, handler: async (i, c) => unwrap(await importMapLayer(c.locals.claims, i)) }),
  removeMapLayer: defineAction({ accept: 'form', input: removeLayerInput, handler: async (i, c) => unwrap(await removeMapLayer(c.locals.claims, i)) }),
  importAddresses: defineAction({ accept: 'form', input: importAddressesInput, handler: async (i, c) => unwrap(await importAddresses(c.locals.claims, i)) }),
  removeAddresses: defineAction({ accept: 'form', input: removeAddressesInput, handler: async (i, c) => unwrap(await removeAddresses(c.locals.claims, i)) }),
};
