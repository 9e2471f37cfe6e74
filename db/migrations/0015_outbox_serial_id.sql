-- Outbox rows numbered in order instead of random uuids: jobs queue hundreds of thousands of mails in one pass, and
-- a random key scatters the inserts over the whole index (and costs a strong random draw each), an ordered one
-- appends. Nothing refers to an outbox row's id; existing rows are numbered as the column is added.
ALTER TABLE "email_outbox" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "id" bigserial PRIMARY KEY NOT NULL;
