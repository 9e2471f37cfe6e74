DROP INDEX "email_outbox_pending";--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "email_outbox_pending" ON "email_outbox" USING btree ("next_attempt_at") WHERE "email_outbox"."sent_at" is null and "email_outbox"."failed_at" is null;--> statement-breakpoint
-- Mails the old sender had given up on (8 attempts) are recorded as given up.
UPDATE "email_outbox" SET "failed_at" = "next_attempt_at" WHERE "sent_at" IS NULL AND "attempts" >= 8;
