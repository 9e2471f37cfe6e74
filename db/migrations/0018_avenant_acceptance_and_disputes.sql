CREATE TABLE "avenant_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"avenant_id" uuid NOT NULL,
	"letter_version" integer NOT NULL,
	"kind" text NOT NULL,
	"part" text NOT NULL,
	"text" text NOT NULL,
	"rate_bp" integer,
	"author_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "avenant_messages" ADD CONSTRAINT "avenant_messages_avenant_id_avenants_id_fk" FOREIGN KEY ("avenant_id") REFERENCES "public"."avenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avenant_messages" ADD CONSTRAINT "avenant_messages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avenant_messages" ADD CONSTRAINT "avenant_messages_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "avenant_messages_avenant" ON "avenant_messages" USING btree ("avenant_id","created_at");--> statement-breakpoint
-- A tacit acceptance takes effect at the end of the deadline, not when the job noticed it (DESIGN §3 « Two months »).
UPDATE "avenants" SET "answered_at" = "deadline_ends_at", "answered_by" = NULL WHERE "status" = 'tacitly_accepted' AND "deadline_ends_at" IS NOT NULL;--> statement-breakpoint
-- Contests recorded before the thread existed: their reason becomes the thread's first message (what: unknown, so both).
INSERT INTO "avenant_messages" ("avenant_id", "letter_version", "kind", "part", "text", "author_id", "organisation_id", "created_at")
SELECT "id", "version", 'contest', 'both', "contest_reason", "answered_by", "bailleur_id", "answered_at"
FROM "avenants" WHERE "status" = 'contested' AND "contest_reason" IS NOT NULL AND "answered_by" IS NOT NULL AND "answered_at" IS NOT NULL;
