-- The API roles (`anon`, `authenticated`) reach tables through row-level security. Supabase's
-- default privileges give them ALL on new tables in `public`, which includes TRUNCATE (ignores
-- row-level security: it would empty a table in one statement), TRIGGER (lets the role attach a
-- trigger to a table it does not own) and REFERENCES. None is ever needed by the app; take them
-- away from every table, now and for the tables later migrations create.
revoke truncate, references, trigger on all tables in schema public from anon, authenticated;
alter default privileges in schema public revoke truncate, references, trigger on tables from anon, authenticated;
