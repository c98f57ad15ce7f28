"use client";
/** My cameos: each likeness I own with its state, and a form to register a new handle. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, EmptyState } from "@/components/ui";
import { Button, ErrorText, Field, Input, Loading, Section, Select } from "@/components/forms/controls";
import { useTRPC } from "@/trpc/react";

export const SCOPE_LABEL = { everyone: "Everyone", approved: "Approved people", only_me: "Only me" } as const;

export function MyCameos() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const cameos = useQuery(trpc.cameos.mine.queryOptions());
  const [handle, setHandle] = useState("");
  const [scope, setScope] = useState<"only_me" | "approved" | "everyone">("only_me");
  const register = useMutation(
    trpc.cameos.register.mutationOptions({
      onSuccess: async (c) => {
        await qc.invalidateQueries({ queryKey: trpc.cameos.mine.queryKey() });
        router.push(`/cameos/${encodeURIComponent(c.handle)}`);
      },
    }),
  );
  if (cameos.isPending) return <Loading />;
  return (
    <>
      <ErrorText error={cameos.error} />
      {!cameos.data?.length ? (
        <EmptyState title="You have no cameo">Register a handle, then enroll a short video of yourself; nobody can use your likeness until you do, and only on your terms.</EmptyState>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2" data-testid="my-cameos">
          {cameos.data.map((c) => (
            <li key={c.id}>
              <Link href={`/cameos/${encodeURIComponent(c.handle)}`} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-slate-400" data-testid="cameo-card">
                <div className="flex items-center gap-2">
                  <span className="font-mono text-base">@{c.handle}</span>
                  <Badge value={c.status} />
                </div>
                <p className="mt-1 text-sm text-slate-600">Who may use it: {SCOPE_LABEL[c.scope]}</p>
                <p className="text-sm text-slate-600">Restrictions: {c.restrictions.length ? c.restrictions.map((r) => r.replaceAll("_", " ")).join(", ") : "none"}</p>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Section title="Register a new cameo" description="Choose the @handle people will use in prompts.">
        <form
          className="mt-2 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
          onSubmit={(e) => {
            e.preventDefault();
            register.mutate({ handle, scope });
          }}
        >
          <Field label="Handle" hint="a–z, 0–9, _ and .">
            <Input name="handle" required value={handle} onChange={(e) => setHandle(e.target.value)} placeholder="yourname" className="w-56 font-mono" />
          </Field>
          <Field label="Who may use it">
            <Select value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
              <option value="only_me">Only me</option>
              <option value="approved">Approved people</option>
              <option value="everyone">Everyone</option>
            </Select>
          </Field>
          <Button type="submit" variant="primary" busy={register.isPending} disabled={!handle.trim()}>Register</Button>
        </form>
        <div className="mt-2"><ErrorText error={register.error} /></div>
      </Section>
    </>
  );
}
