ALTER TABLE "classifier_categories" ALTER COLUMN "terms" SET DEFAULT '{}'::jsonb;--> statement-breakpoint
-- Terms were one list in no stated language; keep every one, under "und" (undetermined), for an admin to sort.
UPDATE "classifier_categories" SET "terms" = jsonb_build_object('und', "terms") WHERE jsonb_typeof("terms") = 'array';
