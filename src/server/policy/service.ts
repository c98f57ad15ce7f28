/**
 * Classifier categories and their thresholds. Every edit records a new policy version (a snapshot of all
 * categories) in the same transaction, so each gate decision can name exactly the policy it ran under.
 */
import { asc, desc, eq } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { classifierCategories, policyVersions, users, type ClassifierCategory, type TermsByLanguage } from "../db/schema";
import { DomainError } from "../errors";

/** How a policy version id is written on renders and decisions ("p1", "p2"…). */
export const policyVersionLabel = (id: number) => `p${id}`;

export type CategoryPatch = Partial<Pick<ClassifierCategory, "label" | "threshold" | "specialCareThreshold" | "promptSimilarityThreshold" | "action" | "enabled" | "priority" | "terms" | "prompts" | "appliesTo">>;

export async function listCategories(db: DbOrTx) {
  return db.select().from(classifierCategories).orderBy(desc(classifierCategories.priority), asc(classifierCategories.key));
}

export async function currentPolicyVersion(db: DbOrTx) {
  const [row] = await db
    .select({ id: policyVersions.id, createdAt: policyVersions.createdAt, createdBy: users.email })
    .from(policyVersions)
    .leftJoin(users, eq(users.id, policyVersions.createdById))
    .orderBy(desc(policyVersions.id))
    .limit(1);
  return row ? { ...row, label: policyVersionLabel(row.id) } : null;
}

export async function listPolicyVersions(db: DbOrTx, limit = 20) {
  const rows = await db
    .select({ id: policyVersions.id, createdAt: policyVersions.createdAt, createdBy: users.email, snapshot: policyVersions.snapshot })
    .from(policyVersions)
    .leftJoin(users, eq(users.id, policyVersions.createdById))
    .orderBy(desc(policyVersions.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, label: policyVersionLabel(r.id), createdAt: r.createdAt, createdBy: r.createdBy, change: (r.snapshot as { change?: unknown }).change ?? null }));
}

/**
 * Terms in one canonical shape: languages in tag order, each list trimmed, without duplicates (up to case)
 * and without empty languages. So saving the editor's form unchanged is no change, whatever key order the
 * database hands back (jsonb does not keep it).
 */
export function canonicalTerms(terms: TermsByLanguage): TermsByLanguage {
  const out: TermsByLanguage = {};
  for (const lang of Object.keys(terms).sort()) {
    const seen = new Set<string>();
    const list = (terms[lang] ?? []).map((t) => t.trim()).filter((t) => t.length > 0 && !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
    if (list.length > 0) out[lang] = list;
  }
  return out;
}

function validate(patch: CategoryPatch): void {
  const inUnit = (v: number | null | undefined) => v === undefined || v === null || (v >= 0 && v <= 1);
  if (!inUnit(patch.threshold) || !inUnit(patch.specialCareThreshold) || !inUnit(patch.promptSimilarityThreshold)) throw new DomainError("invalid", "Thresholds are scores between 0 and 1.");
  if (patch.threshold !== undefined && patch.specialCareThreshold != null && patch.specialCareThreshold > patch.threshold) {
    throw new DomainError("invalid", "The special-care threshold must not be above the normal threshold (it is the stricter one).");
  }
}

/** Updates one category and records the new policy version; returns the category and the version. */
export async function updateCategory(db: Db, actor: Actor, key: string, input: CategoryPatch) {
  const patch: CategoryPatch = input.terms ? { ...input, terms: canonicalTerms(input.terms) } : input;
  validate(patch);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(classifierCategories).where(eq(classifierCategories.key, key)).for("update");
    if (!before) throw new DomainError("not_found", "No such category.");
    const merged = { ...before, ...patch };
    if (merged.specialCareThreshold != null && merged.specialCareThreshold > merged.threshold) {
      throw new DomainError("invalid", "The special-care threshold must not be above the normal threshold (it is the stricter one).");
    }
    const comparable = (k: keyof CategoryPatch, v: unknown) => JSON.stringify(k === "terms" ? canonicalTerms(v as TermsByLanguage) : v);
    const changed = (Object.keys(patch) as (keyof CategoryPatch)[]).filter((k) => comparable(k, before[k]) !== comparable(k, patch[k]));
    if (changed.length === 0) {
      const current = await currentPolicyVersion(tx);
      return { category: before, version: current, changed: false };
    }
    const [category] = await tx.update(classifierCategories).set({ ...patch, updatedAt: new Date() }).where(eq(classifierCategories.key, key)).returning();
    if (!category) throw new Error("category update returned nothing");
    const all = await tx.select().from(classifierCategories).orderBy(asc(classifierCategories.key));
    const change = { key, fields: changed, before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, category[k]])) };
    const [version] = await tx
      .insert(policyVersions)
      .values({ snapshot: { categories: all.map(({ updatedAt: _u, ...c }) => c), change }, createdById: actor.userId ?? null })
      .returning({ id: policyVersions.id, createdAt: policyVersions.createdAt });
    if (!version) throw new Error("policy version insert returned nothing");
    await audit(tx, actor, {
      action: "policy.category_updated",
      subjectType: "classifier_category",
      subjectId: key,
      before: change.before,
      after: { ...change.after, policyVersion: policyVersionLabel(version.id) },
    });
    return { category, version: { ...version, label: policyVersionLabel(version.id), createdBy: actor.label }, changed: true };
  });
}
