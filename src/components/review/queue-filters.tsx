"use client";
/** Queue filters as URL parameters, so a filtered view can be bookmarked and the server renders it. */
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { Select } from "@/components/forms/controls";

export interface Facets {
  reasons: string[];
  categories: string[];
  stages: string[];
  assignees: { id: string; name: string }[];
}

/** The filters chosen from what the queue holds now: URL key, label, and the facet that lists the values. */
const FACET_SELECTS: [string, string, "reasons" | "categories" | "stages"][] = [
  ["reason", "Reason", "reasons"],
  ["category", "Category", "categories"],
  ["stage", "Stage", "stages"],
];

const AGES: [string, string][] = [["", "Any age"], ["1", "Older than 1 h"], ["4", "Older than 4 h"], ["24", "Older than 1 day"]];

export function QueueFilters({ facets, isAdmin, meId }: { facets: Facets; isAdmin: boolean; meId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("cursor"); // a new filter starts from the first page
    startTransition(() => router.push(`${pathname}?${next.toString()}`));
  };
  const value = (key: string) => params.get(key) ?? "";
  const option = (v: string) => <option key={v} value={v}>{v.replaceAll("_", " ")}</option>;

  return (
    <form className="mb-3 flex flex-wrap items-end gap-2" aria-label="Queue filters" aria-busy={pending} onSubmit={(e) => e.preventDefault()}>
      {isAdmin && (
        <Select aria-label="Queue" value={value("queue") || "standard"} onChange={(e) => set("queue", e.target.value === "standard" ? "" : e.target.value)}>
          <option value="standard">Standard queue</option>
          <option value="senior">Senior queue (escalations)</option>
        </Select>
      )}
      {FACET_SELECTS.map(([key, label, facet]) => (
        <Select key={key} aria-label={label} name={key} value={value(key)} onChange={(e) => set(key, e.target.value)}>
          <option value="">Any {label.toLowerCase()}</option>
          {facets[facet].map(option)}
        </Select>
      ))}
      <Select aria-label="Kind" name="kind" value={value("kind")} onChange={(e) => set("kind", e.target.value)}>
        <option value="">Holds and notices</option>
        <option value="gate_hold">Gate holds</option>
        <option value="takedown_notice">Takedown notices</option>
      </Select>
      <Select aria-label="Age" name="age" value={value("age")} onChange={(e) => set("age", e.target.value)}>
        {AGES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </Select>
      <Select aria-label="Assignee" name="assignee" value={value("assignee")} onChange={(e) => set("assignee", e.target.value)}>
        <option value="">Anyone</option>
        <option value="mine">Claimed by me</option>
        {facets.assignees.filter((a) => a.id !== meId).map((a) => <option key={a.id} value={a.id}>Claimed by {a.name}</option>)}
      </Select>
      {params.toString() && (
        <Link href={pathname} className="px-2 py-1.5 text-blue-800 underline">Clear</Link>
      )}
    </form>
  );
}
