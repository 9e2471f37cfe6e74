CREATE TABLE "assiette_version_rows" (
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"forecast_id" uuid,
	"status" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"a" integer NOT NULL,
	"b" integer NOT NULL,
	"c" integer NOT NULL,
	"d" integer NOT NULL,
	"e" integer NOT NULL,
	"f" integer NOT NULL,
	"g" integer NOT NULL,
	"rates" jsonb NOT NULL,
	CONSTRAINT "assiette_version_rows_year_version_bailleur_id_pk" PRIMARY KEY("year","version","bailleur_id")
);
--> statement-breakpoint
CREATE TABLE "assiette_versions" (
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" uuid,
	"reason" text,
	CONSTRAINT "assiette_versions_year_version_pk" PRIMARY KEY("year","version")
);
--> statement-breakpoint
DROP INDEX "avenants_pair_year";--> statement-breakpoint
ALTER TABLE "avenants" ADD COLUMN "assiette_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "avenants" ADD COLUMN "replaced_by" uuid;--> statement-breakpoint
ALTER TABLE "assiette_version_rows" ADD CONSTRAINT "assiette_version_rows_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assiette_version_rows" ADD CONSTRAINT "assiette_version_rows_forecast_id_forecasts_id_fk" FOREIGN KEY ("forecast_id") REFERENCES "public"."forecasts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assiette_version_rows" ADD CONSTRAINT "assiette_version_rows_year_version_assiette_versions_year_version_fk" FOREIGN KEY ("year","version") REFERENCES "public"."assiette_versions"("year","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assiette_versions" ADD CONSTRAINT "assiette_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avenants" ADD CONSTRAINT "avenants_replaced_by_avenants_id_fk" FOREIGN KEY ("replaced_by") REFERENCES "public"."avenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "avenants_pair_year" ON "avenants" USING btree ("reservataire_id","bailleur_id","year") WHERE "avenants"."status" <> 'replaced';--> statement-breakpoint
-- A published version never changes (DESIGN §3): a late forecast, a correction or a rate signed later makes the next
-- version (rectificatif).
CREATE FUNCTION assiette_version_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is frozen once published (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER assiette_versions_frozen BEFORE UPDATE OR DELETE ON assiette_versions
  FOR EACH ROW EXECUTE FUNCTION assiette_version_refuse_change();
--> statement-breakpoint
CREATE TRIGGER assiette_version_rows_frozen BEFORE UPDATE OR DELETE ON assiette_version_rows
  FOR EACH ROW EXECUTE FUNCTION assiette_version_refuse_change();
--> statement-breakpoint
CREATE TRIGGER assiette_versions_report_change AFTER INSERT ON assiette_versions
  FOR EACH STATEMENT EXECUTE FUNCTION report_data_changed();
--> statement-breakpoint
-- Years already published become their version 1, frozen as they read today: the submitted forecasts and the rates
-- annexRows applied (convention cadre: État 28,7 %, rétrocession 1,3 %, MEL 20 % but on Partenord Habitat, 004
-- l.158–176; ALS and SICF from the year's negotiated_rates (bound to years by migration 0017), SICF on ICF Habitat Nord-Est only, l.196–204).
INSERT INTO assiette_versions (year, version, published_at, published_by, reason)
  SELECT year, 1, published_at, published_by, NULL FROM assiette_publications;
--> statement-breakpoint
INSERT INTO assiette_version_rows (year, version, bailleur_id, forecast_id, status, submitted_at, a, b, c, d, e, f, g, rates)
  SELECT f.year, 1, f.bailleur_id, f.id, f.status, f.submitted_at, f.a, f.b, f.c, f.d, f.e, f.f, f.g,
    jsonb_build_object(
      'etat', 2870,
      'action_logement_retrocession', 130,
      'action_logement', coalesce((SELECT n.rate_bp FROM negotiated_rates n JOIN organisations r ON r.id = n.reservataire_id
        WHERE r.kind = 'action_logement' AND n.bailleur_id = f.bailleur_id AND n.year = f.year LIMIT 1), 0),
      'sicf', CASE WHEN b.slug = 'icf-habitat-nord-est' THEN coalesce((SELECT n.rate_bp FROM negotiated_rates n
        JOIN organisations r ON r.id = n.reservataire_id WHERE r.kind = 'sicf' AND n.bailleur_id = f.bailleur_id AND n.year = f.year LIMIT 1), 0)
        ELSE 0 END,
      'mel', CASE WHEN b.slug = 'partenord-habitat' THEN 0 ELSE 2000 END,
      'departement', 0)
  FROM forecasts f
  JOIN assiette_publications p ON p.year = f.year
  JOIN organisations b ON b.id = f.bailleur_id
  WHERE f.status <> 'draft';
