/**
 * Every setting Clearance reads from the environment, declared once and validated at start-up:
 * a typo should fail loudly here, not at the first render.
 */
import { z } from "zod";
import { DEFAULT_MAX_BYTES } from "./server/media/type";
import { parseTrustedProxies } from "./server/platform/client-address";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** PostgreSQL connection string. Unset: an embedded PGlite database under CLEARANCE_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * Do not migrate at start-up: in production migrations run as the tables' owner (`npm run db:migrate`), and
   * the app connects as a role that cannot alter them (`npm run db:grant-app-role`).
   */
  CLEARANCE_SKIP_MIGRATIONS: bool,
  /** Where the embedded database, development signing keys and other local state live. */
  CLEARANCE_DATA_DIR: z.string().default(".data"),
  AUTH_SECRET: z.string().min(16).optional(),
  /** Run a gate worker inside the web process (always on with PGlite, which one process must own). */
  CLEARANCE_INPROCESS_WORKER: bool,
  CLEARANCE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * How long a worker's claim on a job holds without a heartbeat (renewed every third of it): a worker that dies
   * leaves its jobs to others after this. Shorter recovers faster but needs a steadier database; the chaos test
   * (tests/chaos/) sets a few seconds.
   */
  CLEARANCE_JOB_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /**
   * Known-content hash lists: the largest index build (entries to index) a render waits for. Larger imports are
   * indexed in the background while renders use the list's previous index (gate/stages/known-hash-store.ts).
   */
  CLEARANCE_HASH_INDEX_INLINE_MAX: z.coerce.number().int().min(0).max(10_000_000).default(20_000),
  /** Wait between a worker's polls of the job table when nothing is due. */
  CLEARANCE_JOB_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** Models: folder holding the ONNX files named in models/models.json, and the execution provider. */
  CLEARANCE_MODELS_DIR: z.string().default("models"),
  CLEARANCE_EXECUTION_PROVIDER: z.enum(["cpu", "cuda"]).default("cpu"),
  /** Render engine: the built-in demo engine or a real engine's HTTP endpoint. */
  CLEARANCE_ENGINE: z.enum(["demo", "http"]).default("demo"),
  CLEARANCE_ENGINE_URL: z.string().url().optional(),
  /** Signing credentials (PEM text or file paths). Unset in development: a local dev CA is created. */
  CLEARANCE_SIGNING_CERT_PEM: z.string().optional(),
  CLEARANCE_SIGNING_KEY_PEM: z.string().optional(),
  CLEARANCE_SIGNING_CERT_PATH: z.string().optional(),
  CLEARANCE_SIGNING_KEY_PATH: z.string().optional(),
  /** Extra trust anchors for verification (comma-separated PEM file paths), e.g. the C2PA trust list. */
  CLEARANCE_TRUST_LIST_PATHS: z.string().optional(),
  /** Include the prompt in released files' Content Credentials. */
  CLEARANCE_MANIFEST_INCLUDE_PROMPT: bool,
  /** Largest media accepted, bytes: the one setting every body and media limit derives from (server/limits.ts). */
  CLEARANCE_MAX_MEDIA_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_BYTES),
  /**
   * Reverse proxies in front of the app (addresses or CIDR ranges, comma-separated): only the X-Forwarded-For
   * hops they add identify a client (server/platform/client-address.ts, which reads it at each use).
   */
  CLEARANCE_TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
      }
    }),
  /** Let webhooks and the engine reach loopback: local testing only (server/platform/outbound.ts reads it at each use). */
  CLEARANCE_ALLOW_LOOPBACK_OUTBOUND: bool,
  /** Development API key written by the seed (refused in production). */
  CLEARANCE_DEV_API_KEY: z.string().min(20).optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change the environment between suites. */
export function resetEnvCache(): void {
  cached = undefined;
}
