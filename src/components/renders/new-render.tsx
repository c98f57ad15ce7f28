"use client";
/** New render: prompt + cameo picker → the gate's answer at once, then live status until it settles. */
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui";
import { Button, ErrorText, Field, Notice, Spinner, Textarea } from "@/components/forms/controls";
import { useTRPC } from "@/trpc/react";
import { StageList } from "./stage-list";

export function NewRender() {
  const trpc = useTRPC();
  const usable = useQuery(trpc.cameos.usable.queryOptions());
  const [prompt, setPrompt] = useState("");
  const [picked, setPicked] = useState<string[]>([]);
  const create = useMutation(trpc.renders.create.mutationOptions());
  const renderId = create.data?.id;
  const live = useQuery({
    ...trpc.renders.byId.queryOptions({ id: renderId ?? "00000000-0000-4000-8000-000000000000" }),
    enabled: !!renderId,
    refetchInterval: (q) => (q.state.data && !q.state.data.inFlight ? false : 1500),
  });

  const toggle = (handle: string) => setPicked((p) => (p.includes(handle) ? p.filter((h) => h !== handle) : [...p, handle]));
  const submit = () => create.mutate({ prompt, cameoHandles: picked });
  const status = live.data?.status ?? create.data?.status;

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field label="Prompt" hint="Mention a cameo with @handle, or pick one below. Ctrl+Enter sends.">
          <Textarea
            name="prompt"
            required
            minLength={3}
            maxLength={2000}
            rows={4}
            autoFocus
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                submit();
              }
            }}
            className="w-full"
            data-testid="prompt"
          />
        </Field>
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Cameos</legend>
          {usable.isPending ? (
            <Spinner label="Loading cameos…" />
          ) : !usable.data?.length ? (
            <p className="text-sm text-slate-500">No cameo is open to you. People choose who may use their likeness.</p>
          ) : (
            <div className="flex flex-wrap gap-2" data-testid="cameo-picker">
              {usable.data.map((c) => (
                <label key={c.handle} className={`flex cursor-pointer items-center gap-1.5 rounded-full border px-2.5 py-1 text-sm ${picked.includes(c.handle) ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 bg-white"}`} title={c.restrictions.length ? `Restrictions: ${c.restrictions.join(", ")}` : undefined}>
                  <input type="checkbox" className="sr-only" checked={picked.includes(c.handle)} onChange={() => toggle(c.handle)} />
                  @{c.handle}{c.mine && <span className="text-xs opacity-70">(you)</span>}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <ErrorText error={create.error} />
        <Button type="submit" variant="primary" busy={create.isPending} disabled={prompt.trim().length < 3} data-testid="request-render">Request render</Button>
      </form>

      <section aria-live="polite" data-testid="render-result">
        {!create.data ? (
          <div className="rounded-lg border border-dashed border-slate-300 p-6 text-slate-500">The gate checks consent of anyone named, registered works and content policy before anything is rendered; its answer shows here.</div>
        ) : (
          <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex items-center gap-2">
              <Badge value={status ?? create.data.status} />
              <span data-testid="render-status-sentence">{live.data?.statusSentence ?? create.data.statusSentence}</span>
              {live.data?.inFlight && <Spinner />}
            </div>
            {create.data.status === "blocked" && <Notice tone="error">The gate blocked this prompt. You can appeal the decision from the render's page.</Notice>}
            {create.data.status === "held" && <Notice tone="warning">A moderator will review it; you will see the outcome on the render's page.</Notice>}
            {create.data.reasons.length > 0 && (
              <ul className="space-y-1" data-testid="render-reasons">
                {create.data.reasons.map((r, i) => (
                  <li key={i}><span className="text-xs text-slate-500">{r.label}:</span> {r.message}</li>
                ))}
              </ul>
            )}
            {live.data && <StageList stages={live.data.stages} compact />}
            <Link href={`/renders/${create.data.id}`} className="inline-block text-blue-800 underline" data-testid="render-link">Open the render</Link>
          </div>
        )}
      </section>
    </div>
  );
}
