CREATE TABLE "crib_reads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid,
	"organisation_id" uuid,
	"via" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crib_cases" ALTER COLUMN "numero_unique" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "crib_cases" ADD COLUMN "anonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "crib_reads" ADD CONSTRAINT "crib_reads_session_id_crib_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."crib_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_reads" ADD CONSTRAINT "crib_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crib_reads" ADD CONSTRAINT "crib_reads_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crib_reads_session_at" ON "crib_reads" USING btree ("session_id","at");--> statement-breakpoint
CREATE INDEX "crib_cases_closed_to_anonymise" ON "crib_cases" USING btree ("closed_at") WHERE "crib_cases"."anonymised_at" is null;