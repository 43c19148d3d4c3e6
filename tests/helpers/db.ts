import postgres from 'postgres';
import { inject } from 'vitest';

/** A connection to the test stack's database as its superuser; tests switch roles with asUser. */
export function connectTestDb(database?: string): postgres.Sql {
  const url = new URL(inject('stack').databaseUrl);
  if (database) url.pathname = `/${database}`;
  return postgres(url.toString(), { max: 4, onnotice: () => {} });
}

/** A fresh, empty database in the test cluster, for tests that must not share state. */
export async function createScratchDatabase(admin: postgres.Sql, prefix: string): Promise<string> {
  const name = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
  await admin.unsafe(`create database ${name}`);
  return name;
}

export async function dropScratchDatabase(admin: postgres.Sql, name: string): Promise<void> {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
}

export function databaseUrlFor(name: string): string {
  const url = new URL(inject('stack').databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
