/**
 * Every setting Clearance reads from the environment, declared once and validated at start-up:
 * a typo should fail loudly here, not at the first render.
 */
import { z } from "zod";
import { DEFAULT_MAX_BYTES } from "./server/media/type";
import { parseDevOrigins } from "./dev-origins";
import { parseTrustedProxies } from "./server/http/trusted-proxies";
import { isPostgresUrl } from "./server/db/postgres-url";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /**
   * PostgreSQL connection string. Unset: an embedded PGlite database under CLEARANCE_DATA_DIR. A Unix socket is
   * named the libpq way, `postgres://app@/clearance?host=/var/run/postgresql` (db/postgres-url.ts).
   */
  DATABASE_URL: z.string().refine(isPostgresUrl, "must be a postgres:// URL").optional(),
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
   * Threads of the CPU pool that signs, verifies and hashes media off the event loop (server/cpu-pool).
   * Unset: cores − 1, at least 1. 0: no pool, the work runs on the calling thread.
   */
  CLEARANCE_CPU_POOL_THREADS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).max(64).optional()),
  /**
   * Nice value of the CPU pool's threads (and of the ffmpeg they start), 0–19: the event loop that answers the
   * console and the API keeps its priority while a Verify storm or a release signature runs. 0: same priority.
   */
  CLEARANCE_CPU_POOL_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * How long a worker's claim on a job holds without a heartbeat (renewed every third of it): a worker that dies
   * leaves its jobs to others after this. Shorter recovers faster but needs a steadier database; the chaos test
   * (tests/chaos/) sets a few seconds.
   */
  CLEARANCE_JOB_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /**
   * Known-content hash lists: the largest index build (entries to index) a render waits for. Larger imports are
   * indexed in the background while renders use the list's previous index (hash-lists/index-store.ts).
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
  /** Largest media accepted, bytes: the one setting every body and media limit derives from (server/http/limits.ts). */
  CLEARANCE_MAX_MEDIA_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_BYTES),
  /**
   * Reverse proxies in front of the app (addresses or CIDR ranges, comma-separated): only the X-Forwarded-For
   * hops they add identify a client (server/http/client-address.ts, which reads it at each use).
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
  /** Let webhooks and the engine reach loopback: local testing only (server/http/outbound.ts reads it at each use). */
  CLEARANCE_ALLOW_LOOPBACK_OUTBOUND: bool,
  /**
   * `npm run dev` only: more hosts the browser may open the dev console on (comma-separated names, addresses or
   * wildcards such as `*.local`). Loopback and this machine's own addresses and name are always allowed
   * (src/dev-origins.ts); a host outside the list gets a console that never hydrates.
   */
  CLEARANCE_DEV_ORIGINS: z
    .string()
    .optional()
    .refine((v) => parseDevOrigins(v).every((h) => /^[a-z0-9*.\-\[\]:]+$/i.test(h)), "host names, addresses or wildcards, comma-separated (no scheme or port)"),
  /** Development API key written by the seed (refused in production). */
  CLEARANCE_DEV_API_KEY: z.string().min(20).optional(),
  /** Demo accounts even under NODE_ENV=production (throwaway servers only; server/db/demo.ts). */
  CLEARANCE_DEMO: bool,
  /** Development signing credentials under NODE_ENV=production (throwaway servers only). */
  CLEARANCE_ALLOW_DEV_SIGNING: bool,
  /** Sessions (server/auth/auth-settings.ts): trust the Host header, the console's public URL, Secure cookies. */
  AUTH_TRUST_HOST: z.string().optional(),
  AUTH_URL: z.string().optional(),
  NEXTAUTH_URL: z.string().optional(),
  CLEARANCE_SECURE_COOKIES: z.string().optional(),
  /** CLIP model id from models/models.json. Unset: the demo model in development; production must choose. */
  CLEARANCE_CLIP_MODEL: z.string().min(1).optional(),
  /** A manifest overlay for production models (server/ml/registry/manifest.ts). */
  CLEARANCE_MODELS_MANIFEST: z.string().optional(),
  /** What a face that matches no cameo does: recorded (`allow`) or held for review (`review`). */
  CLEARANCE_UNREGISTERED_FACE_POLICY: z.enum(["allow", "review"]).default("allow"),
  /** ffmpeg and ffprobe binaries. */
  CLEARANCE_FFMPEG: z.string().min(1).default("ffmpeg"),
  CLEARANCE_FFPROBE: z.string().min(1).default("ffprobe"),
  /** Inference seam (rules and messages in server/ml/inference/config.ts and serve.ts, checked at start). */
  CLEARANCE_INFERENCE_BACKEND: z.string().optional(),
  CLEARANCE_INFERENCE_URL: z.string().optional(),
  CLEARANCE_INFERENCE_TOKEN: z.string().optional(),
  CLEARANCE_INFERENCE_TIMEOUT_MS: z.string().optional(),
  CLEARANCE_INFERENCE_THREADS: z.string().optional(),
  CLEARANCE_INFERENCE_LISTEN: z.string().optional(),
  CLEARANCE_INFERENCE_PRELOAD_DIR: z.string().optional(),
  CLEARANCE_INFERENCE_ALLOW_UPLOAD: z.string().optional(),
  CLEARANCE_INFERENCE_MAX_MODELS: z.string().optional(),
  /** Rate limits: the platform API per key, public Verify per client (server/http/rate-limit.ts, verify/admission.ts). */
  CLEARANCE_API_BURST: z.string().optional(),
  CLEARANCE_API_RATE: z.string().optional(),
  CLEARANCE_VERIFY_CONCURRENCY: z.string().optional(),
  CLEARANCE_VERIFY_QUEUE: z.string().optional(),
  CLEARANCE_VERIFY_BURST: z.string().optional(),
  CLEARANCE_VERIFY_RATE: z.string().optional(),
  /** Set by Next.js: "nodejs" or "edge" for the code running now (read as a build-time constant in instrumentation.ts). */
  NEXT_RUNTIME: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

/** The raw settings, as the process was given them: what the modules' own parsers (inference, admission, auth) read. */
export type SettingsSource = Readonly<Record<string, string | undefined>>;

const KEYS = Object.keys(schema.shape) as (keyof typeof schema.shape)[];
let cached: { fingerprint: string; value: Env } | undefined;

/** Parses any settings record (tests build one; a bad value throws with every problem listed). */
export function parseEnv(source: SettingsSource): Env {
  // An empty value means unset (shells and spawn() pass VAR= to clear one).
  const given = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  return parsed.data;
}

/**
 * The validated settings of this process. Parsed once per distinct configuration (a few string reads decide
 * whether anything changed), so tests that change a setting see it, and a bad value throws at the first call —
 * which every entry point makes at start (server/settings-check.ts).
 */
export function env(): Env {
  const fingerprint = KEYS.map((k) => process.env[k] ?? "\u0000").join("\u0001");
  if (cached?.fingerprint === fingerprint) return cached.value;
  cached = { fingerprint, value: parseEnv(process.env) };
  return cached.value;
}

/** This process's raw settings, for the parsers that own a group's rules; the one place process.env is read. */
export const settingsSource = (): SettingsSource => process.env;

/** Tests change the environment between suites. */
export function resetEnvCache(): void {
  cached = undefined;
}
