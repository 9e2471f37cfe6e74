CREATE TABLE "attribution_reads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"attribution_id" uuid NOT NULL,
	"user_id" uuid,
	"organisation_id" uuid,
	"via" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attribution_reads" ADD CONSTRAINT "attribution_reads_attribution_id_attributions_id_fk" FOREIGN KEY ("attribution_id") REFERENCES "public"."attributions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attribution_reads" ADD CONSTRAINT "attribution_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attribution_reads" ADD CONSTRAINT "attribution_reads_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attribution_reads_attribution_at" ON "attribution_reads" USING btree ("attribution_id","at");--> statement-breakpoint
CREATE INDEX "attribution_reads_user_at" ON "attribution_reads" USING btree ("user_id","at");