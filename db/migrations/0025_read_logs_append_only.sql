-- Who read which household's data is evidence, like the audit log: append-only. On PostgreSQL the server's role has
-- no UPDATE or DELETE right on these tables (decision 0014); the triggers guard the owner, and the embedded database.
-- Statement-level, so a statement is refused whether or not it would touch a row.
CREATE FUNCTION read_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER signalement_reads_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON signalement_reads
  FOR EACH STATEMENT EXECUTE FUNCTION read_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER crib_reads_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON crib_reads
  FOR EACH STATEMENT EXECUTE FUNCTION read_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER attribution_reads_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON attribution_reads
  FOR EACH STATEMENT EXECUTE FUNCTION read_log_refuse_change();
