ALTER TABLE "login_attempts" ALTER COLUMN "succeeded" DROP NOT NULL;--> statement-breakpoint
-- Tokens made before scopes existed keep the rights they had (read and write) and get the default expiry.
ALTER TABLE "api_tokens" ADD COLUMN "scope" text NOT NULL DEFAULT 'write';--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "scope" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone NOT NULL DEFAULT (now() + interval '90 days');--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "password_resets" ADD COLUMN "ip" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "ip" text;--> statement-breakpoint
-- One pending invitation per address and organisation: older duplicates are revoked, the newest stays.
UPDATE "invitations" SET "revoked_at" = now()
WHERE "accepted_at" IS NULL AND "revoked_at" IS NULL
  AND EXISTS (
    SELECT 1 FROM "invitations" newer
    WHERE newer."organisation_id" = "invitations"."organisation_id" AND newer."email" = "invitations"."email"
      AND newer."accepted_at" IS NULL AND newer."revoked_at" IS NULL
      AND (newer."created_at", newer."id") > ("invitations"."created_at", "invitations"."id")
  );--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_pending_email" ON "invitations" USING btree ("organisation_id","email") WHERE accepted_at is null and revoked_at is null;
