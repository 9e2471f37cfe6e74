CREATE TABLE "assiette_publications" (
	"year" integer PRIMARY KEY NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" uuid
);
--> statement-breakpoint
CREATE TABLE "avenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reservataire_id" uuid NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"rate_bp" integer NOT NULL,
	"flux_h" integer NOT NULL,
	"rights" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"sent_at" timestamp with time zone,
	"sent_by" uuid,
	"deadline_ends_at" timestamp with time zone,
	"deadline_last_day" text,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	"contest_reason" text,
	"reminder15_sent_at" timestamp with time zone,
	"reminder3_sent_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forecasts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"a" integer NOT NULL,
	"b" integer NOT NULL,
	"c" integer NOT NULL,
	"d" integer NOT NULL,
	"e" integer NOT NULL,
	"f" integer NOT NULL,
	"g" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"submitted_at" timestamp with time zone,
	"validated_at" timestamp with time zone,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "negotiated_rates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reservataire_id" uuid NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"rate_bp" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assiette_publications" ADD CONSTRAINT "assiette_publications_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avenants" ADD CONSTRAINT "avenants_reservataire_id_organisations_id_fk" FOREIGN KEY ("reservataire_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avenants" ADD CONSTRAINT "avenants_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avenants" ADD CONSTRAINT "avenants_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avenants" ADD CONSTRAINT "avenants_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecasts" ADD CONSTRAINT "forecasts_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecasts" ADD CONSTRAINT "forecasts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiated_rates" ADD CONSTRAINT "negotiated_rates_reservataire_id_organisations_id_fk" FOREIGN KEY ("reservataire_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiated_rates" ADD CONSTRAINT "negotiated_rates_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiated_rates" ADD CONSTRAINT "negotiated_rates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "avenants_pair_year" ON "avenants" USING btree ("reservataire_id","bailleur_id","year");--> statement-breakpoint
CREATE INDEX "avenants_bailleur_year" ON "avenants" USING btree ("bailleur_id","year");--> statement-breakpoint
CREATE INDEX "avenants_sent_deadline" ON "avenants" USING btree ("deadline_ends_at") WHERE "avenants"."status" = 'sent';--> statement-breakpoint
CREATE UNIQUE INDEX "forecasts_bailleur_year" ON "forecasts" USING btree ("bailleur_id","year");--> statement-breakpoint
CREATE INDEX "forecasts_year" ON "forecasts" USING btree ("year");--> statement-breakpoint
CREATE UNIQUE INDEX "negotiated_rates_pair" ON "negotiated_rates" USING btree ("reservataire_id","bailleur_id");