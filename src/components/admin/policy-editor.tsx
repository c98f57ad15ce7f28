"use client";
/**
 * Classifier categories and thresholds. Each saved edit records a new policy version; its id is shown so the
 * change can be traced to the decisions made under it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, RelativeTime, Table, Td } from "@/components/ui";
import { Button, ErrorText, Field, Input, Loading, Notice, Section, Select, Textarea } from "@/components/forms/controls";
import { Dialog } from "@/components/forms/dialog";
import type { ClassifierCategory, TermsByLanguage } from "@/server/db/schema";
import { isRightToLeft, languageName, POLICY_LANGUAGES } from "@/server/policy/languages";
import { useTRPC } from "@/trpc/react";

type Draft = {
  label: string;
  threshold: string;
  specialCareThreshold: string;
  promptSimilarityThreshold: string;
  action: "block" | "review";
  enabled: boolean;
  priority: string;
  appliesTo: "prompt" | "frame" | "both";
  /** Language tag → its terms, one per line. */
  terms: Record<string, string>;
  prompts: string;
};

/** The shipped languages first, then any other language the category has terms in. */
const languagesOf = (terms: Record<string, unknown>): string[] => [...POLICY_LANGUAGES, ...Object.keys(terms).filter((l) => !(POLICY_LANGUAGES as readonly string[]).includes(l)).sort()];

const draftOf = (c: ClassifierCategory): Draft => ({
  label: c.label,
  threshold: String(c.threshold),
  specialCareThreshold: c.specialCareThreshold == null ? "" : String(c.specialCareThreshold),
  promptSimilarityThreshold: c.promptSimilarityThreshold == null ? "" : String(c.promptSimilarityThreshold),
  action: c.action,
  enabled: c.enabled,
  priority: String(c.priority),
  appliesTo: c.appliesTo,
  terms: Object.fromEntries(languagesOf(c.terms).map((l) => [l, (c.terms[l] ?? []).join("\n")])),
  prompts: c.prompts.join("\n"),
});

const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);
const termsOf = (draft: Record<string, string>): TermsByLanguage =>
  Object.fromEntries(Object.entries(draft).map(([l, text]): [string, string[]] => [l, lines(text)]).filter(([, list]) => list.length > 0));
const termCount = (terms: TermsByLanguage) => Object.values(terms).reduce((n, list) => n + list.length, 0);
const optionalScore = (s: string) => (s.trim() === "" ? null : Number(s));

export function PolicyEditor() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const categories = useQuery(trpc.policy.categories.queryOptions());
  const current = useQuery(trpc.policy.current.queryOptions());
  const versions = useQuery(trpc.policy.versions.queryOptions({ limit: 10 }));
  const clip = useQuery(trpc.system.clipThresholds.queryOptions());
  const frameRange = clip.data?.uses.find((u) => u.use === "imageToText")?.calibrated ?? null;
  const promptRange = clip.data?.uses.find((u) => u.use === "textToText")?.calibrated ?? null;
  const [editing, setEditing] = useState<ClassifierCategory | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState<{ key: string; version: string | null; changed: boolean } | null>(null);
  const [newLanguage, setNewLanguage] = useState("");
  const [languageError, setLanguageError] = useState<string | null>(null);
  const update = useMutation(
    trpc.policy.updateCategory.mutationOptions({
      onSuccess: async (r) => {
        setSaved({ key: r.category.key, version: r.version?.label ?? null, changed: r.changed });
        setEditing(null);
        await Promise.all([
          qc.invalidateQueries({ queryKey: trpc.policy.categories.queryKey() }),
          qc.invalidateQueries({ queryKey: trpc.policy.current.queryKey() }),
          qc.invalidateQueries({ queryKey: trpc.policy.versions.queryKey() }),
        ]);
      },
    }),
  );

  const open = (c: ClassifierCategory) => {
    update.reset();
    setEditing(c);
    setDraft(draftOf(c));
  };

  const save = () => {
    if (!editing || !draft) return;
    update.mutate({
      key: editing.key,
      patch: {
        label: draft.label,
        threshold: Number(draft.threshold),
        specialCareThreshold: optionalScore(draft.specialCareThreshold),
        promptSimilarityThreshold: optionalScore(draft.promptSimilarityThreshold),
        action: draft.action,
        enabled: draft.enabled,
        priority: Number(draft.priority),
        appliesTo: draft.appliesTo,
        terms: termsOf(draft.terms),
        prompts: lines(draft.prompts),
      },
    });
  };

  if (categories.isPending) return <Loading />;
  return (
    <>
      <p className="mb-3 text-slate-600">
        Current policy version: <strong data-testid="policy-version">{current.data?.label ?? "—"}</strong>
        {current.data && <span className="text-slate-500"> · {current.data.createdBy ?? "system"} · <RelativeTime at={current.data.createdAt} /></span>}
      </p>
      {saved && (
        <div className="mb-3">
          <Notice tone="success" testId="policy-saved">
            {saved.changed ? <>Saved “{saved.key}”. New policy version <strong>{saved.version}</strong>: renders gated from now on record it.</> : <>Nothing changed in “{saved.key}”; the policy version stays {saved.version}.</>}
          </Notice>
        </div>
      )}
      <ErrorText error={categories.error} />
      <Table head={["Category", "Applies to", "Threshold", "Special care", "Prompt similarity", "Terms", "Action", "Priority", "Enabled", ""]} testId="categories-table">
        {(categories.data ?? []).map((c) => (
          <tr key={c.key} data-testid="category-row" className={c.enabled ? "" : "text-slate-400"}>
            <Td><div className="font-medium">{c.label}</div><code className="text-xs text-slate-500">{c.key}</code></Td>
            <Td>{c.appliesTo}</Td>
            <Td className="font-mono">{c.threshold.toFixed(2)}{c.appliesTo !== "prompt" && <AppliedOnFrames value={c.threshold} range={frameRange} model={clip.data?.model} />}</Td>
            <Td className="font-mono">{c.specialCareThreshold?.toFixed(2) ?? "—"}{c.specialCareThreshold != null && c.appliesTo !== "prompt" && <AppliedOnFrames value={c.specialCareThreshold} range={frameRange} model={clip.data?.model} />}</Td>
            <Td className="font-mono">{c.promptSimilarityThreshold?.toFixed(2) ?? <span className="font-sans text-slate-400">terms only</span>}{c.promptSimilarityThreshold != null && <AppliedOnFrames value={c.promptSimilarityThreshold} range={promptRange} model={clip.data?.model} label="applied" />}</Td>
            <Td className="text-xs text-slate-600" data-testid="category-terms">{termCount(c.terms)} in {Object.keys(c.terms).length} languages</Td>
            <Td><Badge value={c.action} /></Td>
            <Td className="font-mono">{c.priority}</Td>
            <Td>{c.enabled ? "yes" : "no"}</Td>
            <Td><Button onClick={() => open(c)} aria-label={`Edit ${c.label}`}>Edit</Button></Td>
          </tr>
        ))}
      </Table>

      <Section title="Recent policy versions" description="Every edit is a version; each gate decision records the version it ran under.">
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm" data-testid="policy-versions">
          {(versions.data ?? []).map((v) => (
            <li key={v.id} className="flex gap-3 px-3 py-2">
              <strong className="w-12 font-mono">{v.label}</strong>
              <span className="w-44 text-slate-500"><RelativeTime at={v.createdAt} /> · {v.createdBy ?? "system"}</span>
              <span className="font-mono text-xs text-slate-600">{v.change ? JSON.stringify(v.change) : "initial policy"}</span>
            </li>
          ))}
        </ul>
      </Section>

      <Dialog open={!!editing && !!draft} onClose={() => setEditing(null)} title={`Edit “${editing?.label ?? ""}”`} testId="category-dialog">
        {draft && (
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            <Field label="Label"><Input value={draft.label} onChange={(e) => setDraft({ ...draft, label: e.target.value })} className="w-full" /></Field>
            <div className="grid grid-cols-3 gap-3">
              <Field label="Threshold" hint="score ≥ this flags">
                <Input name="threshold" type="number" step="0.01" min="0" max="1" required value={draft.threshold} onChange={(e) => setDraft({ ...draft, threshold: e.target.value })} className="w-full" />
              </Field>
              <Field label="Special care" hint="stricter, with a real person">
                <Input name="specialCareThreshold" type="number" step="0.01" min="0" max="1" value={draft.specialCareThreshold} onChange={(e) => setDraft({ ...draft, specialCareThreshold: e.target.value })} className="w-full" />
              </Field>
              <Field label="Queue priority" hint="0–100">
                <Input type="number" min="0" max="100" required value={draft.priority} onChange={(e) => setDraft({ ...draft, priority: e.target.value })} className="w-full" />
              </Field>
            </div>
            <div className="grid grid-cols-3 gap-3">
              <Field label="Action">
                <Select value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value as Draft["action"] })} className="w-full">
                  <option value="review">Hold for review</option>
                  <option value="block">Block</option>
                </Select>
              </Field>
              <Field label="Applies to">
                <Select value={draft.appliesTo} onChange={(e) => setDraft({ ...draft, appliesTo: e.target.value as Draft["appliesTo"] })} className="w-full">
                  <option value="both">Prompts and frames</option>
                  <option value="prompt">Prompts</option>
                  <option value="frame">Frames</option>
                </Select>
              </Field>
              <label className="mt-6 flex items-center gap-2"><input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} /> Enabled</label>
            </div>
            <Field label="Prompt similarity (CLIP text tower)" hint="cosine ≥ this between the prompt and a concept prompt flags it; empty: terms only. Calibrate for the CLIP model in use.">
              <Input name="promptSimilarityThreshold" type="number" step="0.01" min="0" max="1" value={draft.promptSimilarityThreshold} onChange={(e) => setDraft({ ...draft, promptSimilarityThreshold: e.target.value })} className="w-40" />
            </Field>
            <fieldset className="rounded border border-slate-200 p-2" data-testid="terms-by-language">
              <legend className="px-1 text-sm font-medium">Prompt terms by language</legend>
              <p className="mb-2 text-xs text-slate-500">One per line. Chinese, Japanese and Korean terms match inside words; others at word boundaries. Homoglyphs, leetspeak, spacing, repeated and masked letters are undone before matching.</p>
              <div className="grid max-h-80 grid-cols-2 gap-2 overflow-y-auto">
                {Object.keys(draft.terms).map((lang) => (
                  <Field key={lang} label={`${languageName(lang)} (${lang})`}>
                    <Textarea
                      rows={3}
                      name={`terms-${lang}`}
                      lang={lang}
                      dir={isRightToLeft(lang) ? "rtl" : "ltr"}
                      value={draft.terms[lang] ?? ""}
                      onChange={(e) => setDraft({ ...draft, terms: { ...draft.terms, [lang]: e.target.value } })}
                      className="w-full font-mono text-xs"
                    />
                  </Field>
                ))}
              </div>
              <div className="mt-2 flex items-end gap-2">
                <Field label="Add a language" hint="BCP-47 tag, e.g. it, pt-BR, vi">
                  <Input name="newLanguage" value={newLanguage} onChange={(e) => setNewLanguage(e.target.value.trim())} className="w-32" />
                </Field>
                <Button
                  onClick={() => {
                    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(newLanguage)) return setLanguageError("Use a language tag such as it, pt-BR or vi.");
                    if (newLanguage in draft.terms) return setLanguageError(`${languageName(newLanguage)} is already listed.`);
                    setLanguageError(null);
                    setDraft({ ...draft, terms: { ...draft.terms, [newLanguage]: "" } });
                    setNewLanguage("");
                  }}
                >
                  Add
                </Button>
              </div>
              {languageError && <p className="mt-1 text-xs text-red-700" role="alert" data-testid="language-error">{languageError}</p>}
            </fieldset>
            <Field label="Classifier concept prompts" hint="one per line"><Textarea rows={3} value={draft.prompts} onChange={(e) => setDraft({ ...draft, prompts: e.target.value })} className="w-full font-mono text-xs" /></Field>
            <ErrorText error={update.error} />
            <div className="flex justify-end gap-2">
              <Button onClick={() => setEditing(null)}>Cancel</Button>
              <Button type="submit" variant="primary" busy={update.isPending} data-testid="save-category">Save as new version</Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}

/**
 * The CLIP model holds a cosine threshold inside the range calibrated for it (its manifest entry): say so when
 * the policy's number is outside, so an admin sees the threshold the gate actually applies.
 */
function AppliedOnFrames({ value, range, model, label = "on frames" }: { value: number; range: { min: number; max: number } | null; model: string | undefined; label?: string }) {
  if (!range || (value >= range.min && value <= range.max)) return null;
  const applied = Math.min(range.max, Math.max(range.min, value));
  return (
    <div className="font-sans text-xs text-amber-800" data-testid="threshold-applied" title={`${model ?? "The CLIP model"} is calibrated for ${range.min.toFixed(2)}–${range.max.toFixed(2)}`}>
      → {applied.toFixed(2)} {label} ({model})
    </div>
  );
}
