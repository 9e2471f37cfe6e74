CREATE TABLE "crib_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"has_solution" boolean NOT NULL,
	"flat_commune" text,
	"flat_typology" text,
	"by_user_id" uuid,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crib_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"numero_unique" text NOT NULL,
	"origin_bailleur_id" uuid NOT NULL,
	"typology" text NOT NULL,
	"communes_wanted" text[] NOT NULL,
	"pilot_bailleur_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crib_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"held_on" text NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crib_sessions_held_on_unique" UNIQUE("held_on")
);
--> statement-breakpoint
ALTER TABLE "crib_answers" ADD CONSTRAINT "crib_answers_case_id_crib_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."crib_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_answers" ADD CONSTRAINT "crib_answers_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_answers" ADD CONSTRAINT "crib_answers_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_cases" ADD CONSTRAINT "crib_cases_session_id_crib_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."crib_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_cases" ADD CONSTRAINT "crib_cases_origin_bailleur_id_organisations_id_fk" FOREIGN KEY ("origin_bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_cases" ADD CONSTRAINT "crib_cases_pilot_bailleur_id_organisations_id_fk" FOREIGN KEY ("pilot_bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_sessions" ADD CONSTRAINT "crib_sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crib_answers_case_bailleur" ON "crib_answers" USING btree ("case_id","bailleur_id");--> statement-breakpoint
CREATE UNIQUE INDEX "crib_cases_session_numero" ON "crib_cases" USING btree ("session_id","numero_unique");