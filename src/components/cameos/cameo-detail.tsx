"use client";
/**
 * One cameo, for its owner: enroll (upload progress, then analysis), who may use it, restrictions, pause or
 * revoke (with a confirm that spells out the consequence), and every render that used it, each removable.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge, EmptyState, RelativeTime, Table, Td } from "@/components/ui";
import { Button, ErrorText, Loading, Notice, Progress, Section, Spinner, Textarea } from "@/components/forms/controls";
import { ConfirmDialog, confirmTarget } from "@/components/forms/dialog";
import { uploadFile } from "@/components/forms/hooks";
import { useTRPC } from "@/trpc/react";

type Scope = "everyone" | "approved" | "only_me";
const SCOPES: { value: Scope; label: string; help: string }[] = [
  { value: "only_me", label: "Only me", help: "Nobody else can put you in a video." },
  { value: "approved", label: "Approved people", help: "Only the people you list below." },
  { value: "everyone", label: "Everyone", help: "Anyone on the platform, within your restrictions." },
];

const ENROLL_REASON: Record<string, string> = {
  no_face: "No face was found in the video.",
  multiple_faces: "More than one face was in the video: film yourself alone.",
  too_short: "The video is too short.",
  too_few_frames: "Too few usable frames: film a little longer, facing the camera.",
  low_quality: "The face was too small, dark or blurred.",
  inconsistent: "The face was not the same person throughout.",
  model_unavailable: "Face analysis is not available right now; try again later.",
  analysis_error: "The video could not be analysed (is it a valid MP4?).",
  no_embedding: "No face signature could be made from the video.",
};

export function CameoDetail({ handle }: { handle: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const cameo = useQuery(trpc.cameos.byHandle.queryOptions({ handle }));
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: trpc.cameos.byHandle.queryKey({ handle }) }),
      qc.invalidateQueries({ queryKey: trpc.cameos.mine.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.cameos.renders.queryKey({ handle }) }),
    ]);
  if (cameo.isPending) return <Loading />;
  if (cameo.error) return <ErrorText error={cameo.error} />;
  const c = cameo.data;
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <div>
        <div className="mb-4 flex items-center gap-3 rounded-lg border border-slate-200 bg-white p-4">
          <span className="font-mono text-lg">@{c.handle}</span>
          <Badge value={c.status} />
          <span className="text-sm text-slate-600" data-testid="cameo-status-words">
            {c.status === "active" && "Active: people within your scope can use it, on your terms."}
            {c.status === "pending" && "Not enrolled yet: nobody can use it."}
            {c.status === "failed" && "Enrollment failed: try another video."}
            {c.status === "paused" && "Paused: nobody can use it until you resume."}
            {c.status === "revoked" && "Revoked for good."}
          </span>
        </div>
        {(c.status === "pending" || c.status === "failed") && <Enroll handle={c.handle} lastReasons={c.enrollment?.reasons ?? []} onDone={refresh} />}
        {c.status !== "revoked" && <Terms cameo={c} onSaved={refresh} />}
        <PauseRevoke handle={c.handle} status={c.status} revokedAt={c.revokedAt} onDone={refresh} />
      </div>
      <UsedIn handle={c.handle} onChanged={refresh} />
    </div>
  );
}

function Enroll({ handle, lastReasons, onDone }: { handle: string; lastReasons: string[]; onDone: () => Promise<unknown> }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<{ tone: "success" | "warning" | "error"; text: string; reasons?: string[] } | null>(null);
  const upload = async () => {
    if (!file) return;
    setResult(null);
    type Enrolled = { outcome: "active" | "failed" | "unverified" | "held"; reasons: string[]; analysisError: string | null };
    await uploadFile<Enrolled>("/api/console/upload/cameo", file, { handle }, setProgress, async (r) => {
      if (!r.ok || "error" in r.body) setResult({ tone: "error", text: "error" in r.body ? r.body.error : `Upload failed (${r.status})` });
      else if (r.body.outcome === "active") setResult({ tone: "success", text: "Enrolled: your cameo is active." });
      else if (r.body.outcome === "held") setResult({ tone: "warning", text: "The video passed, but the face may be under 18, so an admin will review this enrollment before the cameo can be used. Until then no one can use this likeness.", reasons: r.body.reasons });
      else if (r.body.outcome === "unverified") setResult({ tone: "warning", text: "The video was received but could not be checked right now; your cameo stays pending. Try again later.", reasons: r.body.reasons });
      else setResult({ tone: "error", text: "The video did not pass enrollment.", reasons: r.body.reasons });
      await onDone();
    }, (text) => setResult({ tone: "error", text }));
  };
  return (
    <Section title="Enroll" description="A short MP4 (5–15 s) of you alone, facing the camera, turning your head slowly. It proves the cameo is you.">
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="enroll">
        {lastReasons.length > 0 && !result && (
          <Notice tone="warning">Last attempt: {lastReasons.map((r) => ENROLL_REASON[r] ?? r).join(" ")}</Notice>
        )}
        <input type="file" accept="video/mp4" aria-label="Enrollment video" data-testid="enroll-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={progress !== null} />
        {file && <p className="text-xs text-slate-500">{file.name} · {(file.size / 1_048_576).toFixed(1)} MB</p>}
        {progress !== null && (progress < 1 ? <Progress value={progress} label="Uploading" testId="enroll-progress" /> : <Spinner label="Analysing the video (faces, liveness, consistency)…" />)}
        <Button variant="primary" disabled={!file} busy={progress !== null} onClick={() => void upload()} data-testid="enroll-upload">Upload and enroll</Button>
        {result && (
          <Notice tone={result.tone} testId="enroll-result">
            {result.text}
            {result.reasons && result.reasons.length > 0 && <ul className="mt-1 list-disc pl-5">{result.reasons.map((r) => <li key={r}>{ENROLL_REASON[r] ?? r}</li>)}</ul>}
          </Notice>
        )}
      </div>
    </Section>
  );
}

interface CameoView {
  handle: string;
  scope: Scope;
  restrictions: string[];
  approved: { email: string }[];
}

function Terms({ cameo, onSaved }: { cameo: CameoView; onSaved: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const vocabulary = useQuery(trpc.cameos.restrictions.queryOptions());
  const [scope, setScope] = useState<Scope>(cameo.scope);
  const [emails, setEmails] = useState(cameo.approved.map((a) => a.email).join("\n"));
  const [restrictions, setRestrictions] = useState<string[]>(cameo.restrictions);
  const [saved, setSaved] = useState(false);
  // A refetched cameo resets the form to what is stored (adjusting state while rendering, as React recommends).
  const [shown, setShown] = useState(cameo);
  if (shown !== cameo) {
    setShown(cameo);
    setScope(cameo.scope);
    setRestrictions(cameo.restrictions);
    setEmails(cameo.approved.map((a) => a.email).join("\n"));
  }
  const update = useMutation(trpc.cameos.update.mutationOptions({ onSuccess: async () => { setSaved(true); await onSaved(); } }));
  const known = vocabulary.data ?? [];
  const extra = restrictions.filter((r) => !known.some((k) => k.key === r));
  return (
    <Section title="Who may use it, and how">
      <form
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          update.mutate({
            handle: cameo.handle,
            scope,
            restrictions,
            approvedEmails: emails.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean),
          });
        }}
        data-testid="cameo-terms"
      >
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Scope</legend>
          {SCOPES.map((s) => (
            <label key={s.value} className="flex items-start gap-2 py-0.5">
              <input type="radio" name="scope" value={s.value} checked={scope === s.value} onChange={() => setScope(s.value)} className="mt-1" />
              <span><span className="font-medium">{s.label}</span> <span className="text-slate-500">— {s.help}</span></span>
            </label>
          ))}
        </fieldset>
        {scope === "approved" && (
          <label className="block">
            <span className="mb-1 block text-sm font-medium text-slate-700">Approved people (emails, one per line)</span>
            <Textarea name="approvedEmails" rows={3} value={emails} onChange={(e) => setEmails(e.target.value)} className="w-full font-mono text-xs" />
          </label>
        )}
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Restrictions</legend>
          <div className="grid gap-1 sm:grid-cols-2">
            {[...known, ...extra.map((key) => ({ key, label: key.replaceAll("_", " "), help: "" }))].map((r) => (
              <label key={r.key} className="flex items-start gap-2" title={r.help}>
                <input type="checkbox" value={r.key} checked={restrictions.includes(r.key)} onChange={(e) => setRestrictions((x) => (e.target.checked ? [...x, r.key] : x.filter((k) => k !== r.key)))} className="mt-1" />
                <span>{r.label}{r.help && <span className="block text-xs text-slate-500">{r.help}</span>}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <ErrorText error={update.error} />
        {saved && <Notice tone="success" testId="terms-saved">Saved. New renders follow these terms at once.</Notice>}
        <Button type="submit" variant="primary" busy={update.isPending}>Save</Button>
      </form>
    </Section>
  );
}

function PauseRevoke({ handle, status, revokedAt, onDone }: { handle: string; status: string; revokedAt: Date | null; onDone: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [confirm, setConfirm] = useState<"pause" | "revoke" | null>(null);
  const [revoked, setRevoked] = useState<number | null>(null);
  const pause = useMutation(trpc.cameos.setPaused.mutationOptions({ onSuccess: async () => { setConfirm(null); await onDone(); } }));
  const revoke = useMutation(
    trpc.cameos.revoke.mutationOptions({
      onSuccess: async (r) => {
        setConfirm(null);
        setRevoked(r.takenDown.length);
        await onDone();
      },
    }),
  );
  return (
    <Section title="Pause or revoke">
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <ErrorText error={pause.error ?? revoke.error} />
        {revoked !== null && <Notice tone="success" testId="revoked">Revoked. {revoked} released {revoked === 1 ? "render was" : "renders were"} taken down.</Notice>}
        {status === "revoked" ? (
          <p className="text-sm text-slate-600">Revoked{revokedAt && <> <RelativeTime at={revokedAt} /></>}: nobody can use @{handle} again.</p>
        ) : (
          <>
            <div className="flex gap-2">
              {status === "active" && <Button onClick={() => setConfirm("pause")} data-testid="pause-cameo">Pause</Button>}
              {status === "paused" && <Button busy={pause.isPending} onClick={() => pause.mutate({ handle, paused: false })} data-testid="resume-cameo">Resume</Button>}
              <Button variant="danger" onClick={() => setConfirm("revoke")} data-testid="revoke-cameo">Revoke…</Button>
            </div>
            <p className="text-xs text-slate-500">Pausing stops new renders until you resume. Revoking is permanent and takes down every released video that used this cameo.</p>
          </>
        )}
      </div>
      <ConfirmDialog
        open={confirm === "pause"}
        title={`Pause @${handle}?`}
        confirmLabel="Pause"
        tone="primary"
        busy={pause.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => pause.mutate({ handle, paused: true })}
      >
        New renders using @{handle} are refused until you resume. Released videos stay up.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "revoke"}
        title={`Revoke @${handle} for good?`}
        confirmLabel="Revoke and take down"
        busy={revoke.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => revoke.mutate({ handle })}
      >
        Nobody will be able to use @{handle} again, and <strong>every released video that used it is taken down now</strong>. This cannot be undone.
      </ConfirmDialog>
    </Section>
  );
}

function UsedIn({ handle, onChanged }: { handle: string; onChanged: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const renders = useQuery(trpc.cameos.renders.queryOptions({ handle }));
  const [target, setTarget] = useState<{ id: string; prompt: string } | null>(null);
  const remove = useMutation(trpc.cameos.removeRender.mutationOptions({ onSuccess: async () => { setTarget(null); await onChanged(); } }));
  return (
    <Section title="Every render that used this cameo" description="Mentioned by @handle, or your face found in the video.">
      <ErrorText error={renders.error ?? remove.error} />
      {renders.isPending ? (
        <Loading />
      ) : !renders.data?.length ? (
        <EmptyState title="Not used yet">Renders that use @{handle} appear here.</EmptyState>
      ) : (
        <Table head={["Prompt", "Status", "How", "When", ""]} testId="cameo-renders">
          {renders.data.map((r) => (
            <tr key={r.id} data-testid="cameo-render-row">
              <Td className="max-w-sm">
                {r.byMe ? <Link href={`/renders/${r.id}`} className="text-blue-800 hover:underline">{r.prompt}</Link> : r.prompt}
                {r.byMe && <span className="ml-1 text-xs text-slate-500">(yours)</span>}
              </Td>
              <Td><Badge value={r.status} /></Td>
              <Td className="text-xs">{r.how.map((h) => (h === "likeness" ? "face found" : "named")).join(", ")}</Td>
              <Td className="whitespace-nowrap text-xs"><RelativeTime at={r.releasedAt ?? r.requestedAt} /></Td>
              <Td>{r.removable && <Button variant="danger" onClick={() => setTarget({ id: r.id, prompt: r.prompt })} data-testid="remove-render">Remove</Button>}</Td>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmDialog
        {...confirmTarget(target, setTarget, remove, (t) => ({ handle, renderId: t.id }))}
        title="Take this video down?"
        confirmLabel="Take it down"
      >
        <p className="mb-2 text-slate-600">“{target?.prompt}”</p>
        It stops being available at once. The person who made it can appeal.
      </ConfirmDialog>
    </Section>
  );
}
