CREATE TABLE "convention_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"convention_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"signer_name" text
);
--> statement-breakpoint
CREATE TABLE "conventions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"drafter_id" uuid NOT NULL,
	"bailleur_id" uuid,
	"title" text NOT NULL,
	"start_year" integer NOT NULL,
	"end_year" integer NOT NULL,
	"rate_bp" integer,
	"management" text,
	"publics" jsonb,
	"financial_annex" jsonb,
	"status" text DEFAULT 'draft' NOT NULL,
	"signed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "convention_signatures" ADD CONSTRAINT "convention_signatures_convention_id_conventions_id_fk" FOREIGN KEY ("convention_id") REFERENCES "public"."conventions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_signatures" ADD CONSTRAINT "convention_signatures_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_signatures" ADD CONSTRAINT "convention_signatures_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conventions" ADD CONSTRAINT "conventions_drafter_id_organisations_id_fk" FOREIGN KEY ("drafter_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conventions" ADD CONSTRAINT "conventions_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conventions" ADD CONSTRAINT "conventions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "convention_signatures_party" ON "convention_signatures" USING btree ("convention_id","organisation_id");--> statement-breakpoint
CREATE INDEX "convention_signatures_organisation" ON "convention_signatures" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "conventions_drafter" ON "conventions" USING btree ("drafter_id");--> statement-breakpoint
CREATE INDEX "conventions_bailleur" ON "conventions" USING btree ("bailleur_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conventions_pair_period" ON "conventions" USING btree ("drafter_id","bailleur_id","start_year") WHERE "conventions"."kind" = 'bilaterale';--> statement-breakpoint
CREATE UNIQUE INDEX "conventions_cadre_period" ON "conventions" USING btree ("start_year") WHERE "conventions"."kind" = 'cadre';