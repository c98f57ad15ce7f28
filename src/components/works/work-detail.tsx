"use client";
/** One work: edit its fields, and manage its reference images (preview before upload, progress while uploading). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { Badge } from "@/components/ui";
import { Button, ErrorText, Loading, Notice, Progress, Section } from "@/components/forms/controls";
import { uploadFile } from "@/components/forms/hooks";
import { useTRPC } from "@/trpc/react";
import { WorkForm, workToForm } from "./work-form";

export function WorkDetail({ id, justCreated }: { id: string; justCreated: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const work = useQuery(trpc.works.byId.queryOptions({ id }));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.works.update.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await qc.invalidateQueries({ queryKey: trpc.works.byId.queryKey({ id }) });
        await qc.invalidateQueries({ queryKey: trpc.works.list.queryKey() });
      },
    }),
  );
  if (work.isPending) return <Loading />;
  if (work.error) return <ErrorText error={work.error} />;
  const w = work.data;
  return (
    <div className="grid gap-8 lg:grid-cols-[minmax(0,36rem)_1fr]">
      <Section title="Details">
        {justCreated && <div className="mb-3"><Notice tone="success" testId="work-created">Registered. Add reference images so frames can be matched too.</Notice></div>}
        {saved && <div className="mb-3"><Notice tone="success" testId="work-saved">Saved. New renders are checked against these aliases and this policy.</Notice></div>}
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <WorkForm
            key={w.updatedAt.toISOString()}
            initial={workToForm(w)}
            submitLabel="Save changes"
            busy={update.isPending}
            error={update.error}
            onSubmit={(v) => {
              setSaved(false);
              update.mutate({ id, patch: { title: v.title, aliases: v.aliases, policy: v.policy, trainingPreference: v.trainingPreference } });
            }}
          />
        </div>
        <p className="mt-2 text-sm"><Link className="text-blue-800 underline" href={`/matches?workId=${id}`}>Renders that matched this work →</Link></p>
      </Section>
      <References workId={id} references={w.references} onAdded={() => qc.invalidateQueries({ queryKey: trpc.works.byId.queryKey({ id }) })} />
    </div>
  );
}

interface Ref {
  id: string;
  mimeType: string;
  size: number;
  fingerprinted: boolean;
  createdAt: Date;
}

function References({ workId, references, onAdded }: { workId: string; references: Ref[]; onAdded: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const preview = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<{ tone: "success" | "warning" | "error"; text: string } | null>(null);

  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview);
  }, [preview]);

  const upload = async () => {
    if (!file) return;
    setResult(null);
    type Added = { fingerprinted: boolean; analysisError: { message: string } | null };
    await uploadFile<Added>("/api/console/upload/reference", file, { workId }, setProgress, (r) => {
      if (!r.ok || "error" in r.body) {
        setResult({ tone: "error", text: "error" in r.body ? r.body.error : `Upload failed (${r.status})` });
      } else {
        setResult(
          r.body.analysisError
            ? { tone: "warning", text: `Stored, but not fingerprinted yet (${r.body.analysisError.message}). It will not match frames until it is analysed.` }
            : { tone: "success", text: "Reference added and fingerprinted: frames that look like it will be matched." },
        );
        setFile(null);
        onAdded();
      }
    }, (text) => setResult({ tone: "error", text }));
  };

  return (
    <Section title="Reference images" description="Key art, character sheets, frames: PNG or JPEG. Rendered frames are compared with them (CLIP + PDQ).">
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex items-start gap-4">
          <div className="flex h-32 w-32 shrink-0 items-center justify-center overflow-hidden rounded border border-dashed border-slate-300 bg-slate-50 text-xs text-slate-400">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            {preview ? <img src={preview} alt="Preview of the image to upload" className="h-full w-full object-contain" data-testid="reference-preview" /> : "Preview"}
          </div>
          <div className="flex-1 space-y-2">
            <input type="file" accept="image/png,image/jpeg" aria-label="Reference image" data-testid="reference-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            {file && <p className="text-xs text-slate-500">{file.name} · {(file.size / 1024).toFixed(0)} KB</p>}
            {progress !== null && <Progress value={progress} label={progress < 1 ? "Uploading" : "Fingerprinting"} testId="reference-progress" />}
            <Button variant="primary" disabled={!file} busy={progress !== null} onClick={upload} data-testid="upload-reference">Upload reference</Button>
            {result && <Notice tone={result.tone} testId="reference-result">{result.text}</Notice>}
          </div>
        </div>
      </div>
      {references.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No reference images yet: only prompts are matched against this work.</p>
      ) : (
        <ul className="mt-3 grid grid-cols-[repeat(auto-fill,minmax(9rem,1fr))] gap-3" data-testid="reference-list">
          {references.map((r) => (
            <li key={r.id} className="rounded border border-slate-200 bg-white p-1.5 text-xs">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={`/works/${workId}/references/${r.id}`} alt="Reference image" loading="lazy" className="h-28 w-full rounded object-contain" />
              <div className="mt-1 flex items-center justify-between">
                <span>{(r.size / 1024).toFixed(0)} KB</span>
                <Badge value={r.fingerprinted ? "fingerprinted" : "pending"} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
