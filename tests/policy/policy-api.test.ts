/**
 * Through the API, on the seeded demo data: each evasion the issue reported as approved is now held, an
 * ordinary prompt in each shipped language is approved, and an admin's per-language edit takes effect at once.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifierCategories } from "@/server/db/schema";
import { POLICY_LANGUAGES } from "@/server/policy/languages";
import { callerAs, demoUser } from "../helpers/callers";
import { codeOf } from "../console/helpers";
import { startApiWorld, type ApiWorld } from "../api/helpers/world";
import benign from "./benign-prompts.json";

let w: ApiWorld;
beforeAll(async () => {
  w = await startApiWorld();
});
afterAll(async () => w?.close());

interface Created {
  status: string;
  decision: { verdict: string; reasons: { stage: string; code: string; category?: string }[] };
}
async function request(prompt: string): Promise<Created> {
  const res = await w.api("/api/v1/renders", { method: "POST", json: { prompt, requester: "policy-corpus" } });
  expect(res.status, prompt).toBe(201);
  return (await res.json()) as Created;
}

describe("the prompt policy through the API", () => {
  it("holds each evasion that used to walk around it", async () => {
    for (const prompt of ["a nudе woman on a beach", "海滩上的裸体女人", "海辺のヌードの女性", "una mujer desnuda en la playa", "a n.u.d.e woman on a beach", "a p0rn video", "a nuuude woman", "a n*de woman"]) {
      const r = await request(prompt);
      expect(r.status, prompt).toBe("held");
      expect(r.decision.reasons, prompt).toEqual(expect.arrayContaining([expect.objectContaining({ stage: "prompt_policy", category: "sexual" })]));
    }
  });

  it("approves an ordinary prompt in every shipped language", async () => {
    const prompts = benign as unknown as Record<string, string[]>;
    for (const lang of POLICY_LANGUAGES) {
      const prompt = prompts[lang]?.[1] ?? "";
      expect((await request(prompt)).status, `${lang}: ${prompt}`).toBe("approved");
    }
  });

  it("lets an admin add terms in another language, as a new policy version the gate uses at once", async () => {
    const admin = callerAs(w.database.db, demoUser("admin@clearance.test"));
    const before = (await admin.policy.categories()).find((c) => c.key === "sexual")!;
    expect((await request("una donna nuda in spiaggia")).status).toBe("approved");
    const saved = await admin.policy.updateCategory({ key: "sexual", patch: { terms: { ...before.terms, it: ["donna nuda", "nudo integrale"] } } });
    expect(saved).toMatchObject({ changed: true, category: { terms: expect.objectContaining({ it: ["donna nuda", "nudo integrale"], ja: before.terms.ja }) } });
    expect((await request("una donna nuda in spiaggia")).status).toBe("held");
    // Saving the same terms in another key order is no change.
    const reordered = Object.fromEntries(Object.entries(saved.category.terms).reverse());
    expect(await admin.policy.updateCategory({ key: "sexual", patch: { terms: reordered } })).toMatchObject({ changed: false });
    // A bad language tag or a creator's attempt is refused.
    expect(await codeOf(admin.policy.updateCategory({ key: "sexual", patch: { terms: { "not a tag": ["x"] } } }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerAs(w.database.db, demoUser("ava@creator.test")).policy.updateCategory({ key: "sexual", patch: { terms: { it: [] } } }))).toBe("FORBIDDEN");
  });

  it("migrates a category's old single list of terms under 'und', losing none", async () => {
    const migration = readFileSync(path.resolve(import.meta.dirname, "../../migrations/0005_policy_terms_by_language.sql"), "utf8");
    const update = migration.split("--> statement-breakpoint").find((s) => s.includes("UPDATE"))!;
    await w.database.db.execute(sql`update classifier_categories set terms = '["gore", "bloodbath"]'::jsonb where key = 'graphic_violence'`);
    await w.database.db.execute(sql.raw(update));
    const [row] = await w.database.db.select({ terms: classifierCategories.terms }).from(classifierCategories).where(eq(classifierCategories.key, "graphic_violence"));
    expect(row?.terms).toEqual({ und: ["gore", "bloodbath"] });
    // Run again: already migrated rows are left as they are.
    await w.database.db.execute(sql.raw(update));
    const [again] = await w.database.db.select({ terms: classifierCategories.terms }).from(classifierCategories).where(eq(classifierCategories.key, "graphic_violence"));
    expect(again?.terms).toEqual({ und: ["gore", "bloodbath"] });
  });
});
