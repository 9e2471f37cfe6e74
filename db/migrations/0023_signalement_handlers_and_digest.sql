CREATE TABLE "mail_digest_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"line" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"digested_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "signalement_bailleurs" ADD COLUMN "handler_user_id" uuid;--> statement-breakpoint
ALTER TABLE "signalements" ADD COLUMN "handler_user_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "signalement_mails" text DEFAULT 'immediate' NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_digest_items" ADD CONSTRAINT "mail_digest_items_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_digest_items_pending" ON "mail_digest_items" USING btree ("user_id","id") WHERE "mail_digest_items"."digested_at" is null;--> statement-breakpoint
ALTER TABLE "signalement_bailleurs" ADD CONSTRAINT "signalement_bailleurs_handler_user_id_users_id_fk" FOREIGN KEY ("handler_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signalements" ADD CONSTRAINT "signalements_handler_user_id_users_id_fk" FOREIGN KEY ("handler_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;