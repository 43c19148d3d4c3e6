import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { type ImportAddressesInput, MAX_IMPORT_BYTES, parseBanCsv } from './maps.ts';

/**
 * Imports a commune's addresses from the BAN's CSV (RLS: the organization's admins): the file's
 * communes are replaced in one transaction (an address that left the BAN leaves here too), in
 * batches of 1,000 rows.
 */
export async function importAddresses(claims: Claims | null, input: ImportAddressesInput): Promise<Result<{ count: number; communes: number }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  if (input.file.size > MAX_IMPORT_BYTES) return notOk(failure(413, 'maps.error.tooLarge', { field: 'file' }));
  const parsed = parseBanCsv(await input.file.text());
  if (!parsed.ok) return notOk(failure(422, parsed.error.key, { field: 'file', ...(parsed.error.params ? { params: parsed.error.params } : {}) }));
  const rows = parsed.value;
  const communes = [...new Set(rows.map((r) => r.insee))];
  const done = await guarded(() => asUser(claims, async (tx) => {
    const [admin] = await tx<{ ok: boolean }[]>`select private.is_org_admin() as ok`;
    if (!admin?.ok) return false;
    await tx`delete from public.addresses where insee = any(${communes})`;
    for (let i = 0; i < rows.length; i += 1000) {
      const batch = rows.slice(i, i + 1000);
      // BAN ids start with the commune's code: the delete above made room for every one of them.
      await tx`insert into public.addresses ${tx(batch, 'id', 'insee', 'number', 'rep', 'street', 'postcode', 'city', 'lat', 'lng')}`;
    }
    return true;
  }), { addresses_insee: { field: 'file', key: 'maps.error.csvEmpty' } });
  if (!done.ok) return done;
  if (!done.value) return notOk(failure(403, 'error.forbidden'));
  return ok({ count: rows.length, communes: communes.length });
}
