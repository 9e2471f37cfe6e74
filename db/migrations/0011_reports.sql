CREATE TABLE "bilan_reminders" (
	"bailleur_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bilans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"reservataire_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"figures" jsonb NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"sent_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
ALTER TABLE "bilan_reminders" ADD CONSTRAINT "bilan_reminders_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bilans" ADD CONSTRAINT "bilans_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bilans" ADD CONSTRAINT "bilans_reservataire_id_organisations_id_fk" FOREIGN KEY ("reservataire_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bilans" ADD CONSTRAINT "bilans_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bilans" ADD CONSTRAINT "bilans_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bilan_reminders_once" ON "bilan_reminders" USING btree ("bailleur_id","year","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "bilans_pair_year" ON "bilans" USING btree ("bailleur_id","reservataire_id","year");--> statement-breakpoint
CREATE INDEX "bilans_reservataire_year" ON "bilans" USING btree ("reservataire_id","year");--> statement-breakpoint
CREATE INDEX "consumption_rollups_bailleur" ON "consumption_rollups" USING btree ("year","bailleur_id");--> statement-breakpoint
CREATE INDEX "indicator_rollups_reservataire" ON "indicator_rollups" USING btree ("year","reservataire_id");--> statement-breakpoint
CREATE INDEX "indicator_rollups_commune" ON "indicator_rollups" USING btree ("year","commune_insee");