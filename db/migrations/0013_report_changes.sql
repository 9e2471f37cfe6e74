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
CREATE TRIGGER attributions_report_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attributions
  FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed();
--> statement-breakpoint
CREATE TRIGGER avenants_report_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON avenants
  FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed();
--> statement-breakpoint
CREATE TRIGGER forecasts_report_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON forecasts
  FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed();
--> statement-breakpoint
CREATE TRIGGER assiette_publications_report_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assiette_publications
  FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed();
--> statement-breakpoint
CREATE TRIGGER negotiated_rates_report_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON negotiated_rates
  FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed();
--> statement-breakpoint
CREATE TRIGGER organisations_report_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
  FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed();
