CREATE TABLE "consumption_rollups" (
	"year" integer NOT NULL,
	"reservataire_id" uuid NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"counted" integer NOT NULL,
	"priority" integer NOT NULL,
	"cia_targets" integer NOT NULL,
	"mbc" integer NOT NULL,
	"state_agents" integer NOT NULL,
	CONSTRAINT "consumption_rollups_key" UNIQUE("year","reservataire_id","bailleur_id")
);
--> statement-breakpoint
CREATE TABLE "indicator_rollups" (
	"year" integer NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"reservataire_id" uuid,
	"contingent" text NOT NULL,
	"commune_insee" text NOT NULL,
	"qpv" boolean NOT NULL,
	"cia_target" boolean NOT NULL,
	"total" integer NOT NULL,
	"t4plus" integer NOT NULL,
	"plai" integer NOT NULL,
	"pmr" integer NOT NULL,
	"first_letting" integer NOT NULL,
	"refusals" integer NOT NULL,
	CONSTRAINT "indicator_rollups_key" UNIQUE NULLS NOT DISTINCT("year","bailleur_id","reservataire_id","contingent","commune_insee","qpv","cia_target")
);
--> statement-breakpoint
CREATE INDEX "consumption_rollups_bailleur" ON "consumption_rollups" USING btree ("year","bailleur_id");--> statement-breakpoint
CREATE INDEX "indicator_rollups_reservataire" ON "indicator_rollups" USING btree ("year","reservataire_id");--> statement-breakpoint
CREATE INDEX "indicator_rollups_commune" ON "indicator_rollups" USING btree ("year","commune_insee");