CREATE TABLE "report_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
-- Every statement that changes what the reports read records itself (db/schema.ts reportChanges): the reports'
-- cache (app/models/report-cache.server.ts) keys its entries on the sum of weights its snapshot sees. Statement-level,
-- so an import of 100 000 attributions adds one row; an insert never waits on another writer.
CREATE FUNCTION report_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_changes DEFAULT VALUES;
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE
  watched text;
BEGIN
  FOREACH watched IN ARRAY ARRAY['attributions', 'avenants', 'forecasts', 'assiette_publications', 'negotiated_rates',
    'organisations']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed()', watched || '_report_change', watched);
  END LOOP;
END $$;
