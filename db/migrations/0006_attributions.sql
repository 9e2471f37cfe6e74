CREATE TABLE "attributions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"numero_unique" text NOT NULL,
	"lease_date" date NOT NULL,
	"commune_insee" text NOT NULL,
	"qpv" boolean NOT NULL,
	"typology" text NOT NULL,
	"financing" text NOT NULL,
	"pmr" boolean NOT NULL,
	"first_letting" boolean NOT NULL,
	"construction_period" text NOT NULL,
	"public_category" text NOT NULL,
	"transfer" text NOT NULL,
	"income_quartile" integer,
	"refusals_after_caleol" integer DEFAULT 0 NOT NULL,
	"contingent" text NOT NULL,
	"reservataire_id" uuid,
	"counts_on_rights" boolean NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_reservataire_id_organisations_id_fk" FOREIGN KEY ("reservataire_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attributions_natural_key" ON "attributions" USING btree ("bailleur_id","numero_unique","lease_date");--> statement-breakpoint
CREATE INDEX "attributions_reservataire_bailleur_date" ON "attributions" USING btree ("reservataire_id","bailleur_id","lease_date");--> statement-breakpoint
CREATE INDEX "attributions_bailleur_date" ON "attributions" USING btree ("bailleur_id","lease_date");--> statement-breakpoint
CREATE INDEX "attributions_commune_date" ON "attributions" USING btree ("commune_insee","lease_date");--> statement-breakpoint
CREATE INDEX "attributions_date" ON "attributions" USING btree ("lease_date");