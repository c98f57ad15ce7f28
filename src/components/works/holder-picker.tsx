"use client";
/** Admins act for a rights holder: which one. Rights holders never see this (they act for themselves). */
import { useQuery } from "@tanstack/react-query";
import { Field, Select } from "@/components/forms/controls";
import { useTRPC } from "@/trpc/react";

export function HolderPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const trpc = useTRPC();
  const holders = useQuery(trpc.admin.users.queryOptions({ role: "rights_holder" }));
  return (
    <Field label="Rights holder" hint="As an admin you act on behalf of a rights holder.">
      <Select value={value} onChange={(e) => onChange(e.target.value)} required data-testid="holder-picker">
        <option value="">Choose…</option>
        {(holders.data ?? []).map((h) => <option key={h.id} value={h.id}>{h.name} ({h.email})</option>)}
      </Select>
    </Field>
  );
}
