CREATE TABLE "sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"blocked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_external_id_unique";--> statement-breakpoint
ALTER TABLE "cameos" ADD COLUMN "approved_emails" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "tenant_key_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "works" ADD COLUMN "awaiting_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_external_idx" ON "users" USING btree ("tenant_key_id","external_id");--> statement-breakpoint
-- Platform users seen before tenants existed: give each the key it last rendered through, where there is one.
UPDATE "users" SET "tenant_key_id" = (
  SELECT "api_key_id" FROM "renders" WHERE "renders"."requester_id" = "users"."id" AND "renders"."api_key_id" IS NOT NULL
  ORDER BY "renders"."created_at" DESC LIMIT 1
) WHERE "external_id" IS NOT NULL;
