CREATE TABLE "signalement_bailleurs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"signalement_id" uuid NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signalement_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"signalement_id" uuid NOT NULL,
	"text" text,
	"by_user_id" uuid,
	"by_organisation_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signalement_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"signalement_id" uuid NOT NULL,
	"type" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"by_user_id" uuid,
	"by_organisation_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signalement_reads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"signalement_id" uuid NOT NULL,
	"user_id" uuid,
	"organisation_id" uuid,
	"via" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signalements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commune_id" uuid NOT NULL,
	"numero_unique" text,
	"adults" integer NOT NULL,
	"children" integer NOT NULL,
	"typology" text NOT NULL,
	"communes_wanted" text[] NOT NULL,
	"public_category" text NOT NULL,
	"income_quartile" integer,
	"urgency" text NOT NULL,
	"reason" text,
	"status" text DEFAULT 'sent' NOT NULL,
	"followed_elsewhere" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"anonymised_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "signalement_bailleurs" ADD CONSTRAINT "signalement_bailleurs_signalement_id_signalements_id_fk" FOREIGN KEY ("signalement_id") REFERENCES "public"."signalements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_bailleurs" ADD CONSTRAINT "signalement_bailleurs_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_comments" ADD CONSTRAINT "signalement_comments_signalement_id_signalements_id_fk" FOREIGN KEY ("signalement_id") REFERENCES "public"."signalements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_comments" ADD CONSTRAINT "signalement_comments_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_comments" ADD CONSTRAINT "signalement_comments_by_organisation_id_organisations_id_fk" FOREIGN KEY ("by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_events" ADD CONSTRAINT "signalement_events_signalement_id_signalements_id_fk" FOREIGN KEY ("signalement_id") REFERENCES "public"."signalements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_events" ADD CONSTRAINT "signalement_events_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_events" ADD CONSTRAINT "signalement_events_by_organisation_id_organisations_id_fk" FOREIGN KEY ("by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_reads" ADD CONSTRAINT "signalement_reads_signalement_id_signalements_id_fk" FOREIGN KEY ("signalement_id") REFERENCES "public"."signalements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_reads" ADD CONSTRAINT "signalement_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalement_reads" ADD CONSTRAINT "signalement_reads_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalements" ADD CONSTRAINT "signalements_commune_id_organisations_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalements" ADD CONSTRAINT "signalements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signalement_bailleurs_pair" ON "signalement_bailleurs" USING btree ("signalement_id","bailleur_id");--> statement-breakpoint
CREATE INDEX "signalement_bailleurs_bailleur_created" ON "signalement_bailleurs" USING btree ("bailleur_id","created_at" DESC NULLS LAST,"signalement_id");--> statement-breakpoint
CREATE INDEX "signalement_comments_signalement_at" ON "signalement_comments" USING btree ("signalement_id","at");--> statement-breakpoint
CREATE INDEX "signalement_events_signalement_at" ON "signalement_events" USING btree ("signalement_id","at");--> statement-breakpoint
CREATE INDEX "signalement_reads_signalement_at" ON "signalement_reads" USING btree ("signalement_id","at");--> statement-breakpoint
CREATE INDEX "signalement_reads_user_at" ON "signalement_reads" USING btree ("user_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "signalements_open_numero_per_commune" ON "signalements" USING btree ("commune_id","numero_unique") WHERE "signalements"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "signalements_commune_created" ON "signalements" USING btree ("commune_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "signalements_commune_status_created" ON "signalements" USING btree ("commune_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signalements_status_created" ON "signalements" USING btree ("status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signalements_created" ON "signalements" USING btree ("created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "signalements_numero" ON "signalements" USING btree ("numero_unique");--> statement-breakpoint
CREATE INDEX "signalements_closed_to_anonymise" ON "signalements" USING btree ("closed_at") WHERE "signalements"."anonymised_at" is null;