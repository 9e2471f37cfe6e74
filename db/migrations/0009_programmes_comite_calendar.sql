CREATE TABLE "calendar_feeds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_feeds_user_id_unique" UNIQUE("user_id"),
	CONSTRAINT "calendar_feeds_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "comite_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"comite_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "comite_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"comite_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "comites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"held_on" date NOT NULL,
	"place" text NOT NULL,
	"agenda" text NOT NULL,
	"convened_at" timestamp with time zone,
	"minutes" text,
	"decisions" text,
	"minutes_recorded_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_update_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign" text NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"requested_by" uuid,
	"answered_at" timestamp with time zone,
	"answered_by" uuid
);
--> statement-breakpoint
CREATE TABLE "obligation_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"obligation_key" text NOT NULL,
	"user_id" uuid NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"reservataire_id" uuid,
	"typology" text NOT NULL,
	"financing" text NOT NULL,
	"pmr" boolean NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_flats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"typology" text NOT NULL,
	"financing" text NOT NULL,
	"pmr" boolean NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_recommendations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"reservataire_id" uuid NOT NULL,
	"text" text NOT NULL,
	"by_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"commune_insee" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"first_letting_date" date NOT NULL,
	"status" text DEFAULT 'declared' NOT NULL,
	"declared_at" timestamp with time zone,
	"late_declaration" boolean DEFAULT false NOT NULL,
	"proposed_split" jsonb,
	"split_recorded_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comite_documents" ADD CONSTRAINT "comite_documents_comite_id_comites_id_fk" FOREIGN KEY ("comite_id") REFERENCES "public"."comites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comite_documents" ADD CONSTRAINT "comite_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comite_invitations" ADD CONSTRAINT "comite_invitations_comite_id_comites_id_fk" FOREIGN KEY ("comite_id") REFERENCES "public"."comites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comite_invitations" ADD CONSTRAINT "comite_invitations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comites" ADD CONSTRAINT "comites_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_update_requests" ADD CONSTRAINT "delivery_update_requests_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_update_requests" ADD CONSTRAINT "delivery_update_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_update_requests" ADD CONSTRAINT "delivery_update_requests_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "obligation_reminders" ADD CONSTRAINT "obligation_reminders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_allocations" ADD CONSTRAINT "programme_allocations_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_allocations" ADD CONSTRAINT "programme_allocations_reservataire_id_organisations_id_fk" FOREIGN KEY ("reservataire_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_flats" ADD CONSTRAINT "programme_flats_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_recommendations" ADD CONSTRAINT "programme_recommendations_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_recommendations" ADD CONSTRAINT "programme_recommendations_reservataire_id_organisations_id_fk" FOREIGN KEY ("reservataire_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_recommendations" ADD CONSTRAINT "programme_recommendations_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comite_documents_comite" ON "comite_documents" USING btree ("comite_id");--> statement-breakpoint
CREATE UNIQUE INDEX "comite_invitations_pair" ON "comite_invitations" USING btree ("comite_id","organisation_id");--> statement-breakpoint
CREATE INDEX "comite_invitations_organisation" ON "comite_invitations" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "comites_held_on" ON "comites" USING btree ("held_on");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_update_requests_campaign_bailleur" ON "delivery_update_requests" USING btree ("campaign","bailleur_id");--> statement-breakpoint
CREATE UNIQUE INDEX "obligation_reminders_key_user" ON "obligation_reminders" USING btree ("obligation_key","user_id");--> statement-breakpoint
CREATE INDEX "programme_allocations_programme" ON "programme_allocations" USING btree ("programme_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_flats_kind" ON "programme_flats" USING btree ("programme_id","typology","financing","pmr");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_recommendations_pair" ON "programme_recommendations" USING btree ("programme_id","reservataire_id");--> statement-breakpoint
CREATE INDEX "programmes_bailleur_date" ON "programmes" USING btree ("bailleur_id","first_letting_date");--> statement-breakpoint
CREATE INDEX "programmes_commune_date" ON "programmes" USING btree ("commune_insee","first_letting_date");--> statement-breakpoint
CREATE INDEX "programmes_date" ON "programmes" USING btree ("first_letting_date");