/**
 * Demo data so the console is alive on first start: one account per role, works with multilingual aliases,
 * cameos with each scope, renders in several states with their decisions and queue items.
 * Idempotent: every row has a fixed id or natural key and is inserted with ON CONFLICT DO NOTHING.
 */
import { settingsSource } from "@/env";
import { and, count, eq, isNotNull, notInArray } from "drizzle-orm";
import { hashPassword } from "../auth/password";
import { DEFAULT_CATEGORIES, slaHoursForPriority } from "../policy/defaults";
import { API_SCOPES, DEFAULT_DEV_API_KEY, displayPrefix, hashApiKey } from "../users/api-key-format";
import type { Db } from "./client";
import { demoDataPermission, demoForced, isProduction } from "./demo";
import {
  apiKeys,
  cameoApprovals,
  cameos,
  classifierCategories,
  gateDecisions,
  policyVersions,
  renderCameos,
  renders,
  reviewItems,
  users,
  works,
  type Role,
} from "./schema";

/** Every demo account signs in with this password (documented in the README). */
export const DEMO_PASSWORD = "clearance-demo";

export const DEMO_USERS: { id: string; email: string; name: string; role: Role }[] = [
  { id: "00000000-0000-4000-8000-000000000001", email: "admin@clearance.test", name: "Ada Admin", role: "admin" },
  { id: "00000000-0000-4000-8000-000000000002", email: "mod@clearance.test", name: "Mo Moderator", role: "moderator" },
  { id: "00000000-0000-4000-8000-000000000003", email: "mod2@clearance.test", name: "Mina Moderator", role: "moderator" },
  { id: "00000000-0000-4000-8000-000000000004", email: "rights@leafstudio.test", name: "Hidden Leaf Studio", role: "rights_holder" },
  { id: "00000000-0000-4000-8000-000000000005", email: "rights@pocketmonsters.test", name: "Pocket Monsters Co.", role: "rights_holder" },
  { id: "00000000-0000-4000-8000-000000000006", email: "ava@creator.test", name: "Ava Creator", role: "creator" },
  { id: "00000000-0000-4000-8000-000000000007", email: "ben@creator.test", name: "Ben Creator", role: "creator" },
];

const [admin, , , leaf, pocket, ava, ben] = DEMO_USERS as [
  (typeof DEMO_USERS)[0], (typeof DEMO_USERS)[0], (typeof DEMO_USERS)[0], (typeof DEMO_USERS)[0],
  (typeof DEMO_USERS)[0], (typeof DEMO_USERS)[0], (typeof DEMO_USERS)[0],
];

const id = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`;

/** A demo work; aliases as [text, BCP 47 language] pairs. */
const demoWork = (n: number, holder: { id: string }, title: string, policy: "block" | "review", aliases: [string, string][]) => ({
  id: id(n),
  rightsHolderId: holder.id,
  title,
  policy,
  aliases: aliases.map(([text, lang]) => ({ text, lang })),
});

export const DEMO_WORKS = [
  demoWork(101, leaf, "Naruto", "block", [["ナルト", "ja"], ["火影忍者", "zh-Hans"], ["Naruto Uzumaki", "en"], ["うずまきナルト", "ja"]]),
  demoWork(102, leaf, "Demon Slayer", "review", [["鬼灭之刃", "zh-Hans"], ["鬼滅の刃", "ja"], ["Kimetsu no Yaiba", "ja-Latn"]]),
  demoWork(103, pocket, "Pokémon", "block", [["ポケモン", "ja"], ["精灵宝可梦", "zh-Hans"], ["Pikachu", "en"]]),
  demoWork(104, pocket, "Up", "review", []),
];

export const DEMO_CAMEOS = [
  { id: id(201), handle: "ava", ownerId: ava.id, status: "active" as const, scope: "everyone" as const, restrictions: ["no_political"] },
  { id: id(202), handle: "ben", ownerId: ben.id, status: "active" as const, scope: "approved" as const, restrictions: ["no_violence"] },
  { id: id(203), handle: "ben.private", ownerId: ben.id, status: "active" as const, scope: "only_me" as const, restrictions: [] },
  { id: id(204), handle: "newbie", ownerId: ava.id, status: "pending" as const, scope: "everyone" as const, restrictions: [] },
];

/**
 * A category the demo CLIP model (colour axes only) can actually see, so the local demo flow shows a
 * flagged render: prompt "a red …" and the demo engine renders a red video, which is held.
 */
export const DEMO_CATEGORY = {
  key: "demo_red_screen",
  label: "Demo: all-red video (demo CLIP model)",
  appliesTo: "frame" as const,
  prompts: ["a red image"],
  terms: {},
  threshold: 0.8,
  specialCareThreshold: null,
  promptSimilarityThreshold: null,
  action: "review" as const,
  priority: 10,
  enabled: true,
};

interface DemoRender {
  id: string;
  requesterId: string;
  prompt: string;
  status: "released" | "held" | "blocked" | "approved" | "taken_down";
  hoursAgo: number;
  decisions: { stage: string; phase: "pre" | "post"; verdict: "allow" | "review" | "block"; code?: string; category?: string; score?: number; message?: string }[];
  hold?: { reason: string; category?: string; stage: string; priority: number };
}

const DEMO_RENDERS: DemoRender[] = [
  {
    id: id(301), requesterId: ava.id, prompt: "@ava surfing a giant wave at sunset", status: "released", hoursAgo: 30,
    decisions: [{ stage: "cameo_consent", phase: "pre", verdict: "allow" }, { stage: "ip_text", phase: "pre", verdict: "allow" }],
  },
  {
    id: id(302), requesterId: ben.id, prompt: "a ninja like Naruto running across rooftops", status: "blocked", hoursAgo: 20,
    decisions: [{ stage: "ip_text", phase: "pre", verdict: "block", code: "ip_work_match", message: "Prompt names “Naruto”, whose rights holder blocks it", score: 1 }],
  },
  {
    id: id(303), requesterId: ava.id, prompt: "a samurai duel in the style of Demon Slayer", status: "held", hoursAgo: 6,
    decisions: [{ stage: "ip_text", phase: "pre", verdict: "review", code: "ip_work_match", message: "Prompt names “Demon Slayer” (policy: review)", score: 1 }],
    hold: { reason: "ip_work_match", stage: "ip_text", priority: 40 },
  },
  {
    id: id(304), requesterId: ben.id, prompt: "a dramatic fake news broadcast about election fraud", status: "held", hoursAgo: 3,
    decisions: [{ stage: "prompt_policy", phase: "pre", verdict: "review", code: "prompt_policy", category: "real_person_deception", score: 1, message: "Prompt matches policy “Deceptive depiction of a real person”" }],
    hold: { reason: "prompt_policy", category: "real_person_deception", stage: "prompt_policy", priority: 80 },
  },
  {
    id: id(305), requesterId: ben.id, prompt: "@ben dancing in the rain", status: "held", hoursAgo: 1,
    decisions: [{ stage: "frame_classifiers", phase: "post", verdict: "review", code: "stage_error", message: "Stage failed: model clip-vit-b32 unavailable" }],
    hold: { reason: "stage_error", stage: "frame_classifiers", priority: 30 },
  },
  {
    id: id(306), requesterId: ava.id, prompt: "@ben.private giving a speech", status: "blocked", hoursAgo: 12,
    decisions: [{ stage: "cameo_consent", phase: "pre", verdict: "block", code: "cameo_scope_only_me", message: "@ben.private can only be used by its owner" }],
  },
  {
    id: id(307), requesterId: ava.id, prompt: "a lighthouse in a storm, cinematic", status: "approved", hoursAgo: 0.2,
    decisions: [{ stage: "ip_text", phase: "pre", verdict: "allow" }, { stage: "prompt_policy", phase: "pre", verdict: "allow" }],
  },
];

export interface SeedOptions {
  /** Print the development API key (the CLI does; tests don't). */
  log?: (line: string) => void;
  /** The environment deciding whether a development key may be written (default: this process's settings). */
  env?: Readonly<Record<string, string | undefined>>;
}

export async function seed(db: Db, options: SeedOptions = {}): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.insert(users).values(DEMO_USERS.map((u) => ({ ...u, passwordHash }))).onConflictDoNothing();

  await db.insert(classifierCategories).values([...DEFAULT_CATEGORIES, DEMO_CATEGORY]).onConflictDoNothing();
  const [versions] = await db.select({ n: count() }).from(policyVersions);
  if ((versions?.n ?? 0) === 0) {
    await db.insert(policyVersions).values({ snapshot: { categories: [...DEFAULT_CATEGORIES, DEMO_CATEGORY] }, createdById: admin.id });
  }

  await db.insert(works).values(DEMO_WORKS).onConflictDoNothing();
  await db.insert(cameos).values(DEMO_CAMEOS.map((c) => ({ ...c, enrolledAt: c.status === "active" ? new Date() : null }))).onConflictDoNothing();
  // Ben approves Ava for @ben.
  await db.insert(cameoApprovals).values({ cameoId: id(202), userId: ava.id }).onConflictDoNothing();

  const now = Date.now();
  for (const r of DEMO_RENDERS) {
    const at = new Date(now - r.hoursAgo * 3_600_000);
    const inserted = await db
      .insert(renders)
      .values({
        id: r.id,
        requesterId: r.requesterId,
        prompt: r.prompt,
        status: r.status,
        engine: "demo",
        verdict: r.status === "blocked" ? "block" : r.status === "held" ? "review" : "allow",
        policyVersion: "p1",
        requestedAt: at,
        decidedAt: at,
        releasedAt: r.status === "released" ? at : null,
        releasedVia: r.status === "released" ? "gate" : null,
      })
      .onConflictDoNothing()
      .returning({ id: renders.id });
    if (inserted.length === 0) continue; // already seeded
    for (const mention of r.prompt.matchAll(/@([a-z0-9_.]+)/g)) {
      const cameo = DEMO_CAMEOS.find((c) => c.handle === mention[1]);
      if (cameo) await db.insert(renderCameos).values({ renderId: r.id, cameoId: cameo.id, source: "mention" }).onConflictDoNothing();
    }
    for (const d of r.decisions) {
      await db.insert(gateDecisions).values({
        renderId: r.id,
        stage: d.stage,
        phase: d.phase,
        verdict: d.verdict,
        score: d.score ?? 0,
        reasons: d.code ? [{ code: d.code, message: d.message ?? d.code, category: d.category, score: d.score }] : [],
        evidence: { seeded: true },
        version: "seed",
        createdAt: at,
      });
    }
    if (r.hold) {
      await db.insert(reviewItems).values({
        renderId: r.id,
        reason: r.hold.reason,
        category: r.hold.category,
        stage: r.hold.stage,
        priority: r.hold.priority,
        slaDueAt: new Date(at.getTime() + slaHoursForPriority(r.hold.priority) * 3_600_000),
        createdAt: at,
      });
    }
  }

  await seedDevApiKey(db, options);
}

async function seedDevApiKey(db: Db, options: SeedOptions): Promise<void> {
  const env = options.env ?? settingsSource();
  // Even with CLEARANCE_DEMO=1: the API refuses this key in production anyway (rest/api-key-auth.ts).
  if (isProduction(env)) {
    options.log?.("Not creating a development API key: NODE_ENV=production.");
    return;
  }
  const key = env.CLEARANCE_DEV_API_KEY ?? DEFAULT_DEV_API_KEY;
  const existing = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(key)));
  if (existing.length === 0) {
    await db.insert(apiKeys).values({
      name: "development (seeded)",
      prefix: displayPrefix(key),
      keyHash: hashApiKey(key),
      scopes: [...API_SCOPES],
      createdById: admin.id,
    });
  }
  options.log?.(`Development API key (every scope, local use only): ${key}`);
}

export async function seedIfEmpty(db: Db, options: SeedOptions = {}): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  if ((row?.n ?? 0) > 0) return false;
  await seed(db, { log: options.log ?? ((line) => console.log(`[seed] ${line}`)), env: options.env });
  return true;
}

/**
 * `npm run db:seed`: refuses demo data in production (see demo.ts), and refuses a database that already holds
 * console accounts other than the demo ones: that is somebody's real deployment, whatever NODE_ENV this shell has.
 */
export async function seedCommand(
  db: Db,
  options: { env?: Readonly<Record<string, string | undefined>>; log: (line: string) => void },
): Promise<{ ok: boolean; message: string }> {
  const env = options.env ?? settingsSource();
  const permission = demoDataPermission(env);
  if (!permission.allowed) return { ok: false, message: permission.message ?? "demo data refused" };
  const demoEmails = DEMO_USERS.map((u) => u.email);
  const [real] = await db
    .select({ n: count() })
    .from(users)
    .where(and(isNotNull(users.passwordHash), isNotNull(users.email), notInArray(users.email, demoEmails)));
  if ((real?.n ?? 0) > 0 && !demoForced(env)) {
    return {
      ok: false,
      message:
        `Refusing demo data: this database already has ${real?.n} console account(s) that are not demo accounts, so it looks like a real ` +
        "deployment. Demo accounts with the README's password (and a development API key) do not belong there. " +
        "Set CLEARANCE_DEMO=1 to force it on a throwaway database.",
    };
  }
  if (permission.message) options.log(permission.message);
  await seed(db, { log: options.log, env });
  return { ok: true, message: "Seed complete." };
}

export { leaf as DEMO_RIGHTS_HOLDER };
