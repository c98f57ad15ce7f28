CREATE TYPE "public"."appeal_outcome" AS ENUM('upheld', 'reversed');--> statement-breakpoint
CREATE TYPE "public"."appeal_state" AS ENUM('open', 'claimed', 'decided');--> statement-breakpoint
CREATE TYPE "public"."cameo_scope" AS ENUM('everyone', 'approved', 'only_me');--> statement-breakpoint
CREATE TYPE "public"."cameo_status" AS ENUM('pending', 'active', 'paused', 'revoked', 'failed');--> statement-breakpoint
CREATE TYPE "public"."delivery_state" AS ENUM('pending', 'delivered', 'failed');--> statement-breakpoint
CREATE TYPE "public"."gate_phase" AS ENUM('pre', 'post', 'release');--> statement-breakpoint
CREATE TYPE "public"."job_state" AS ENUM('queued', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."moderation_action" AS ENUM('approve', 'remove', 'escalate');--> statement-breakpoint
CREATE TYPE "public"."notice_kind" AS ENUM('takedown', 'counter');--> statement-breakpoint
CREATE TYPE "public"."notice_status" AS ENUM('received', 'actioned', 'rejected', 'countered', 'restored', 'court_action');--> statement-breakpoint
CREATE TYPE "public"."render_status" AS ENUM('requested', 'blocked', 'approved', 'generating', 'post_gate', 'held', 'released', 'taken_down');--> statement-breakpoint
CREATE TYPE "public"."review_kind" AS ENUM('gate_hold', 'takedown_notice', 'counter_notice');--> statement-breakpoint
CREATE TYPE "public"."review_queue" AS ENUM('standard', 'senior');--> statement-breakpoint
CREATE TYPE "public"."review_state" AS ENUM('open', 'claimed', 'decided');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('admin', 'moderator', 'rights_holder', 'creator');--> statement-breakpoint
CREATE TYPE "public"."verdict" AS ENUM('allow', 'review', 'block');--> statement-breakpoint
CREATE TYPE "public"."work_policy" AS ENUM('block', 'review', 'allow');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"created_by_id" uuid,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"render_id" uuid NOT NULL,
	"decision_id" uuid,
	"appellant_id" uuid NOT NULL,
	"statement" text NOT NULL,
	"state" "appeal_state" DEFAULT 'open' NOT NULL,
	"reviewer_id" uuid,
	"lease_expires_at" timestamp with time zone,
	"excluded_reviewer_id" uuid,
	"outcome" "appeal_outcome",
	"outcome_reasons" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cameo_approvals" (
	"cameo_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cameo_approvals_cameo_id_user_id_pk" PRIMARY KEY("cameo_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "cameos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"handle" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"status" "cameo_status" DEFAULT 'pending' NOT NULL,
	"scope" "cameo_scope" DEFAULT 'only_me' NOT NULL,
	"restrictions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"face_embedding" "bytea",
	"face_model" text,
	"enrollment_report" jsonb,
	"enrolled_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cameos_handle_unique" UNIQUE("handle")
);
--> statement-breakpoint
CREATE TABLE "classifier_categories" (
	"key" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"applies_to" text DEFAULT 'both' NOT NULL,
	"prompts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"terms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"threshold" real NOT NULL,
	"special_care_threshold" real,
	"action" text DEFAULT 'review' NOT NULL,
	"priority" integer DEFAULT 50 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gate_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"render_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"phase" "gate_phase" NOT NULL,
	"verdict" "verdict" NOT NULL,
	"score" real,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" text NOT NULL,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"payload" jsonb NOT NULL,
	"unique_key" text,
	"state" "job_state" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"lease_expires_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_objects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" text NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "moderation_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"render_id" uuid NOT NULL,
	"review_item_id" uuid,
	"actor_id" uuid,
	"action" "moderation_action" NOT NULL,
	"reason_code" text NOT NULL,
	"statement" text NOT NULL,
	"statement_of_reasons" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "render_cameos" (
	"render_id" uuid NOT NULL,
	"cameo_id" uuid NOT NULL,
	"source" text NOT NULL,
	"score" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "render_cameos_render_id_cameo_id_source_pk" PRIMARY KEY("render_id","cameo_id","source")
);
--> statement-breakpoint
CREATE TABLE "render_fingerprints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"render_id" uuid NOT NULL,
	"frame_index" integer NOT NULL,
	"timestamp_sec" double precision NOT NULL,
	"pdq_hash" text NOT NULL,
	"pdq_quality" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "renders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requester_id" uuid NOT NULL,
	"prompt" text NOT NULL,
	"cameo_handles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" "render_status" DEFAULT 'requested' NOT NULL,
	"api_key_id" uuid,
	"idempotency_key" text,
	"engine" text,
	"verdict" "verdict",
	"policy_version" text,
	"output_media_id" uuid,
	"signed_media_id" uuid,
	"signed_sha256" text,
	"released_via" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"output_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"taken_down_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"render_id" uuid NOT NULL,
	"kind" "review_kind" DEFAULT 'gate_hold' NOT NULL,
	"reason" text NOT NULL,
	"category" text,
	"stage" text,
	"priority" integer DEFAULT 0 NOT NULL,
	"queue" "review_queue" DEFAULT 'standard' NOT NULL,
	"state" "review_state" DEFAULT 'open' NOT NULL,
	"assignee_id" uuid,
	"lease_expires_at" timestamp with time zone,
	"sla_due_at" timestamp with time zone NOT NULL,
	"notice_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "takedown_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "notice_kind" DEFAULT 'takedown' NOT NULL,
	"render_id" uuid NOT NULL,
	"work_id" uuid,
	"filer_id" uuid NOT NULL,
	"counter_to_id" uuid,
	"contact" text NOT NULL,
	"sworn_statement" text NOT NULL,
	"status" "notice_status" DEFAULT 'received' NOT NULL,
	"due_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"email" text,
	"name" text NOT NULL,
	"role" "role" DEFAULT 'creator' NOT NULL,
	"password_hash" text,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" "delivery_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"api_key_id" uuid NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_references" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"work_id" uuid NOT NULL,
	"media_id" uuid NOT NULL,
	"pdq_hash" text,
	"pdq_quality" integer,
	"clip_embedding" "bytea",
	"embedding_model" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "works" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rights_holder_id" uuid NOT NULL,
	"title" text NOT NULL,
	"aliases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"policy" "work_policy" DEFAULT 'block' NOT NULL,
	"training_preference" text,
	"clip_threshold" real,
	"pdq_max_distance" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_decision_id_moderation_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."moderation_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_appellant_id_users_id_fk" FOREIGN KEY ("appellant_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_excluded_reviewer_id_users_id_fk" FOREIGN KEY ("excluded_reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cameo_approvals" ADD CONSTRAINT "cameo_approvals_cameo_id_cameos_id_fk" FOREIGN KEY ("cameo_id") REFERENCES "public"."cameos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cameo_approvals" ADD CONSTRAINT "cameo_approvals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cameos" ADD CONSTRAINT "cameos_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_decisions" ADD CONSTRAINT "gate_decisions_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_decisions" ADD CONSTRAINT "moderation_decisions_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_decisions" ADD CONSTRAINT "moderation_decisions_review_item_id_review_items_id_fk" FOREIGN KEY ("review_item_id") REFERENCES "public"."review_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_decisions" ADD CONSTRAINT "moderation_decisions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "render_cameos" ADD CONSTRAINT "render_cameos_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "render_cameos" ADD CONSTRAINT "render_cameos_cameo_id_cameos_id_fk" FOREIGN KEY ("cameo_id") REFERENCES "public"."cameos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "render_fingerprints" ADD CONSTRAINT "render_fingerprints_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renders" ADD CONSTRAINT "renders_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renders" ADD CONSTRAINT "renders_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renders" ADD CONSTRAINT "renders_output_media_id_media_objects_id_fk" FOREIGN KEY ("output_media_id") REFERENCES "public"."media_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renders" ADD CONSTRAINT "renders_signed_media_id_media_objects_id_fk" FOREIGN KEY ("signed_media_id") REFERENCES "public"."media_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "takedown_notices" ADD CONSTRAINT "takedown_notices_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "takedown_notices" ADD CONSTRAINT "takedown_notices_work_id_works_id_fk" FOREIGN KEY ("work_id") REFERENCES "public"."works"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "takedown_notices" ADD CONSTRAINT "takedown_notices_filer_id_users_id_fk" FOREIGN KEY ("filer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_references" ADD CONSTRAINT "work_references_work_id_works_id_fk" FOREIGN KEY ("work_id") REFERENCES "public"."works"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_references" ADD CONSTRAINT "work_references_media_id_media_objects_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "works" ADD CONSTRAINT "works_rights_holder_id_users_id_fk" FOREIGN KEY ("rights_holder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_once_idx" ON "appeals" USING btree ("render_id","appellant_id",coalesce("decision_id"::text, 'gate'));--> statement-breakpoint
CREATE INDEX "appeals_state_idx" ON "appeals" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "audit_subject_idx" ON "audit_log" USING btree ("subject_type","subject_id","id");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "audit_log" USING btree ("actor_id","id");--> statement-breakpoint
CREATE INDEX "audit_action_idx" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
CREATE INDEX "cameos_owner_idx" ON "cameos" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "cameos_status_idx" ON "cameos" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "gate_decisions_render_stage_idx" ON "gate_decisions" USING btree ("render_id","stage");--> statement-breakpoint
CREATE INDEX "jobs_ready_idx" ON "jobs" USING btree ("queue","state","run_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_unique_key_idx" ON "jobs" USING btree ("unique_key");--> statement-breakpoint
CREATE INDEX "media_objects_sha_idx" ON "media_objects" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "moderation_decisions_render_idx" ON "moderation_decisions" USING btree ("render_id","created_at");--> statement-breakpoint
CREATE INDEX "render_cameos_cameo_idx" ON "render_cameos" USING btree ("cameo_id");--> statement-breakpoint
CREATE INDEX "render_fingerprints_render_idx" ON "render_fingerprints" USING btree ("render_id");--> statement-breakpoint
CREATE UNIQUE INDEX "renders_idempotency_idx" ON "renders" USING btree ("api_key_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "renders_requester_idx" ON "renders" USING btree ("requester_id","created_at");--> statement-breakpoint
CREATE INDEX "renders_status_idx" ON "renders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "review_items_queue_idx" ON "review_items" USING btree ("queue","state","priority" DESC NULLS LAST,"created_at","id");--> statement-breakpoint
CREATE INDEX "review_items_sla_idx" ON "review_items" USING btree ("state","sla_due_at");--> statement-breakpoint
CREATE INDEX "review_items_render_idx" ON "review_items" USING btree ("render_id");--> statement-breakpoint
CREATE INDEX "review_items_assignee_idx" ON "review_items" USING btree ("assignee_id","state");--> statement-breakpoint
CREATE INDEX "takedown_notices_filer_idx" ON "takedown_notices" USING btree ("filer_id","created_at");--> statement-breakpoint
CREATE INDEX "takedown_notices_due_idx" ON "takedown_notices" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "users_role_idx" ON "users" USING btree ("role");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook_idx" ON "webhook_deliveries" USING btree ("webhook_id","created_at");--> statement-breakpoint
CREATE INDEX "work_references_work_idx" ON "work_references" USING btree ("work_id");--> statement-breakpoint
CREATE INDEX "works_rights_holder_idx" ON "works" USING btree ("rights_holder_id","created_at","id");--> statement-breakpoint
CREATE INDEX "works_created_idx" ON "works" USING btree ("created_at","id");