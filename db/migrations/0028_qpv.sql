CREATE TABLE "qpv" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"commune_insee" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attributions" ADD COLUMN "qpv_code" text;--> statement-breakpoint
CREATE INDEX "qpv_commune" ON "qpv" USING btree ("commune_insee","name");--> statement-breakpoint
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_qpv_code_qpv_code_fk" FOREIGN KEY ("qpv_code") REFERENCES "public"."qpv"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_qpv_code_in_qpv" CHECK ("attributions"."qpv_code" is null or "attributions"."qpv");