"use client";
/** Create or edit a work: title, aliases with language tags, policy, training preference. */
import { useState, type FormEvent } from "react";
import { Button, ErrorText, Field, Input, Select } from "@/components/forms/controls";
import type { Work, WorkAlias } from "@/server/db/schema";

export const LANG_SUGGESTIONS = ["en", "ja", "ja-Latn", "zh-Hans", "zh-Hant", "ko", "fr", "de", "es", "pt", "it", "ru", "ar", "hi", "th", "vi", "id"];

const POLICY_HELP = {
  block: "Block: renders that match are refused.",
  review: "Review: renders that match are held for a moderator.",
  allow: "Allow: matches are recorded (you see them under Matches) but nothing is stopped.",
} as const;

export interface WorkFormValue {
  title: string;
  aliases: WorkAlias[];
  policy: Work["policy"];
  trainingPreference: "allowed" | "notAllowed" | "constrained" | null;
}

export const emptyWork: WorkFormValue = { title: "", aliases: [], policy: "block", trainingPreference: null };

export function workToForm(w: Pick<Work, "title" | "aliases" | "policy" | "trainingPreference">): WorkFormValue {
  const tp = w.trainingPreference;
  return { title: w.title, aliases: w.aliases, policy: w.policy, trainingPreference: tp === "allowed" || tp === "notAllowed" || tp === "constrained" ? tp : null };
}

export function WorkForm({
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  initial: WorkFormValue;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (value: WorkFormValue) => void;
  onCancel?: () => void;
}) {
  const [value, setValue] = useState<WorkFormValue>(initial);
  const setAlias = (i: number, patch: Partial<WorkAlias>) =>
    setValue((v) => ({ ...v, aliases: v.aliases.map((a, j) => (j === i ? { ...a, ...patch } : a)) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      ...value,
      title: value.title.trim(),
      aliases: value.aliases
        .map((a) => ({ text: a.text.trim(), ...(a.lang?.trim() ? { lang: a.lang.trim() } : {}) }))
        .filter((a) => a.text !== ""),
    });
  };
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="work-form">
      <Field label="Title">
        <Input name="title" required maxLength={300} autoFocus value={value.title} onChange={(e) => setValue({ ...value, title: e.target.value })} className="w-full" />
      </Field>
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Aliases</legend>
        <p className="mb-2 text-xs text-slate-500">Every name the work is known by, in every language and script, with its language tag (BCP-47, e.g. ja, zh-Hans).</p>
        <datalist id="lang-tags">{LANG_SUGGESTIONS.map((l) => <option key={l} value={l} />)}</datalist>
        <ul className="space-y-1.5" data-testid="alias-list">
          {value.aliases.map((a, i) => (
            <li key={i} className="flex gap-2">
              <Input aria-label={`Alias ${i + 1}`} name="aliasText" value={a.text} maxLength={200} onChange={(e) => setAlias(i, { text: e.target.value })} className="flex-1" lang={a.lang} />
              <Input aria-label={`Language of alias ${i + 1}`} name="aliasLang" list="lang-tags" placeholder="lang" value={a.lang ?? ""} onChange={(e) => setAlias(i, { lang: e.target.value })} className="w-28 font-mono" />
              <Button variant="ghost" aria-label={`Remove alias ${i + 1}`} onClick={() => setValue((v) => ({ ...v, aliases: v.aliases.filter((_, j) => j !== i) }))}>✕</Button>
            </li>
          ))}
        </ul>
        <Button className="mt-2" onClick={() => setValue((v) => ({ ...v, aliases: [...v.aliases, { text: "", lang: "" }] }))} data-testid="add-alias">+ Add alias</Button>
      </fieldset>
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Policy</legend>
        <div className="space-y-1">
          {(Object.keys(POLICY_HELP) as Work["policy"][]).map((p) => (
            <label key={p} className="flex items-start gap-2">
              <input type="radio" name="policy" value={p} checked={value.policy === p} onChange={() => setValue({ ...value, policy: p })} className="mt-1" />
              <span>{POLICY_HELP[p]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Field label="AI training preference" hint="Written into released files' Content Credentials (cawg.training-mining) when a render matches this work.">
        <Select value={value.trainingPreference ?? ""} onChange={(e) => setValue({ ...value, trainingPreference: (e.target.value || null) as WorkFormValue["trainingPreference"] })}>
          <option value="">Not stated</option>
          <option value="notAllowed">Not allowed</option>
          <option value="constrained">Constrained</option>
          <option value="allowed">Allowed</option>
        </Select>
      </Field>
      <ErrorText error={error} />
      <div className="flex justify-end gap-2">
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
        <Button type="submit" variant="primary" busy={busy} data-testid="save-work">{submitLabel}</Button>
      </div>
    </form>
  );
}
