ALTER TABLE "report_changes" ADD COLUMN "year" integer;--> statement-breakpoint
-- A change records the years whose reports it touches (db/schema.ts reportChanges): a report of 2023 stays cached
-- while the year's attributions are recorded. TG_ARGV[0] is the table's expression of a row's year; the rows come
-- from the statement's transition tables (a trigger with those has one event, hence three per table).
CREATE FUNCTION report_years_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO report_changes (year) SELECT DISTINCT %s FROM new_rows', TG_ARGV[0]);
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('INSERT INTO report_changes (year) SELECT DISTINCT %s FROM old_rows', TG_ARGV[0]);
  ELSE
    EXECUTE format('INSERT INTO report_changes (year) SELECT %1$s FROM new_rows UNION SELECT %1$s FROM old_rows',
      TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE
  watched text[];
BEGIN
  FOREACH watched SLICE 1 IN ARRAY ARRAY[
    ['attributions', 'extract(year FROM lease_date)::int'],
    ['avenants', 'year'], ['forecasts', 'year'], ['assiette_publications', 'year'], ['negotiated_rates', 'year']]
  LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', watched[1] || '_report_change', watched[1]);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION report_years_changed(%L)', watched[1] || '_report_insert', watched[1],
      watched[2]);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION report_years_changed(%L)', watched[1] || '_report_update', watched[1],
      watched[2]);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION report_years_changed(%L)', watched[1] || '_report_delete', watched[1],
      watched[2]);
    -- A truncation has no rows to tell: every year (report_data_changed, migration 0013).
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed()',
      watched[1] || '_report_truncate', watched[1]);
  END LOOP;
END $$;
