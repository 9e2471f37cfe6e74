-- Rates become per year (DESIGN §3, issue 13): each rate entered before the bilateral conventions carried them is
-- bound to the years that used it. A published year keeps the rate in force when it was published (read back from
-- the audit log of its changes), so that no published figure moves; a year with forecasts not yet published keeps
-- today's rate. From now on rows come from conventions signed by both parties (convention_id).
ALTER TABLE "negotiated_rates" ADD COLUMN "year" integer;--> statement-breakpoint
ALTER TABLE "negotiated_rates" ADD COLUMN "convention_id" uuid;--> statement-breakpoint
ALTER TABLE "negotiated_rates" ADD CONSTRAINT "negotiated_rates_convention_id_conventions_id_fk" FOREIGN KEY ("convention_id") REFERENCES "public"."conventions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
INSERT INTO "negotiated_rates" ("reservataire_id", "bailleur_id", "year", "rate_bp", "updated_by", "updated_at")
SELECT r."reservataire_id", r."bailleur_id", y."year", y."rate_bp", r."updated_by", r."updated_at"
FROM "negotiated_rates" r
CROSS JOIN LATERAL (
  SELECT p."year",
    coalesce(
      -- the last change before publication…
      (SELECT (a."after" ->> 'rateBp')::integer FROM "audit_log" a
        WHERE a."subject_type" = 'NegotiatedRate' AND a."subject_id" = r."id"::text AND a."at" <= p."published_at"
        ORDER BY a."at" DESC, a."id" DESC LIMIT 1),
      CASE WHEN EXISTS (SELECT 1 FROM "audit_log" a
                         WHERE a."subject_type" = 'NegotiatedRate' AND a."subject_id" = r."id"::text)
        -- …else the value the first later change replaced (none: the rate did not exist then)…
        THEN (SELECT (a."before" ->> 'rateBp')::integer FROM "audit_log" a
               WHERE a."subject_type" = 'NegotiatedRate' AND a."subject_id" = r."id"::text AND a."at" > p."published_at"
               ORDER BY a."at", a."id" LIMIT 1)
        -- …else (never changed through the portal) the rate as it is.
        ELSE r."rate_bp" END
    ) AS "rate_bp"
  FROM "assiette_publications" p
  UNION ALL
  SELECT DISTINCT f."year", r."rate_bp" FROM "forecasts" f
  WHERE NOT EXISTS (SELECT 1 FROM "assiette_publications" p WHERE p."year" = f."year")
) y
WHERE r."year" IS NULL AND y."rate_bp" IS NOT NULL;--> statement-breakpoint
DELETE FROM "negotiated_rates" WHERE "year" IS NULL;--> statement-breakpoint
ALTER TABLE "negotiated_rates" ALTER COLUMN "year" SET NOT NULL;--> statement-breakpoint
DROP INDEX "negotiated_rates_pair";--> statement-breakpoint
CREATE UNIQUE INDEX "negotiated_rates_pair_year" ON "negotiated_rates" USING btree ("reservataire_id","bailleur_id","year");--> statement-breakpoint
CREATE INDEX "negotiated_rates_year_bailleur" ON "negotiated_rates" USING btree ("year","bailleur_id");
