CREATE TABLE "crib_reminders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"sent_on" text NOT NULL,
	"by_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crib_answers" ADD COLUMN "note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "crib_cases" ADD COLUMN "notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "crib_reminders" ADD CONSTRAINT "crib_reminders_session_id_crib_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."crib_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_reminders" ADD CONSTRAINT "crib_reminders_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_reminders" ADD CONSTRAINT "crib_reminders_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crib_reminders_daily" ON "crib_reminders" USING btree ("session_id","bailleur_id","sent_on");