DROP INDEX "signalement_bailleurs_bailleur_created";--> statement-breakpoint
DROP INDEX "signalements_commune_created";--> statement-breakpoint
DROP INDEX "signalements_commune_status_created";--> statement-breakpoint
DROP INDEX "signalements_status_created";--> statement-breakpoint
DROP INDEX "signalements_created";--> statement-breakpoint
ALTER TABLE "signalement_bailleurs" ADD COLUMN "status" text DEFAULT 'sent' NOT NULL;--> statement-breakpoint
CREATE INDEX "signalement_bailleurs_bailleur_status_created" ON "signalement_bailleurs" USING btree ("bailleur_id","status","created_at","signalement_id");--> statement-breakpoint
CREATE INDEX "signalement_bailleurs_bailleur_created" ON "signalement_bailleurs" USING btree ("bailleur_id","created_at","signalement_id");--> statement-breakpoint
CREATE INDEX "signalements_commune_created" ON "signalements" USING btree ("commune_id","created_at","id");--> statement-breakpoint
CREATE INDEX "signalements_commune_status_created" ON "signalements" USING btree ("commune_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "signalements_status_created" ON "signalements" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "signalements_created" ON "signalements" USING btree ("created_at","id");