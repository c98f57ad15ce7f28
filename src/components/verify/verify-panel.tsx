"use client";
/**
 * Verify a file: upload (with progress), then what its Content Credentials say, in four clearly different
 * states: Trusted, Valid but untrusted, Invalid, No credentials. Clearance's own gate assertion links to the
 * render record for people allowed to see it; a stripped file may still be recognised by its pixels.
 */
import Link from "next/link";
import { useState, type DragEvent } from "react";
import { Notice, Progress } from "@/components/forms/controls";
import { uploadFile } from "@/components/forms/hooks";
import type { VerifyResult } from "@/server/verify/report";

/** JSON turns Dates into strings. */
type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
type Result = Json<VerifyResult>;

const STATE = {
  trusted: { label: "Trusted", style: "border-emerald-300 bg-emerald-50 text-emerald-900", dot: "bg-emerald-600", help: "The credentials are intact and signed by an organisation on the trust list." },
  valid_untrusted: { label: "Valid but untrusted", style: "border-amber-300 bg-amber-50 text-amber-900", dot: "bg-amber-500", help: "The credentials are intact, but the signer is not on the trust list: check who it is before relying on it." },
  invalid: { label: "Invalid", style: "border-red-300 bg-red-50 text-red-900", dot: "bg-red-600", help: "The credentials are broken: the file or its credentials were changed after signing, or could not be read." },
  none: { label: "No Content Credentials", style: "border-slate-300 bg-slate-100 text-slate-800", dot: "bg-slate-500", help: "The file carries no credentials. That proves nothing either way: they are easy to strip." },
} as const;

const KIND_STYLE = { failure: "text-red-800", informational: "text-slate-600", success: "text-emerald-800" } as const;

const fmtDate = (s?: string | null) => (s ? new Date(s).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—");

export function VerifyPanel({ signedIn }: { signedIn: boolean }) {
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const check = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setResult(null);
    await uploadFile<Result>("/api/verify", file, {}, setProgress, (r) => {
      if (!r.ok || "error" in r.body) setError("error" in r.body ? r.body.error : `The check failed (${r.status}).`);
      else setResult(r.body);
    }, setError);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void check(e.dataTransfer.files[0]);
  };

  return (
    <div className="space-y-6">
      <label
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed p-8 text-center ${dragging ? "border-slate-700 bg-slate-100" : "border-slate-300 bg-white"}`}
      >
        <span className="font-medium">Drop a video or image here, or choose one</span>
        <span className="mt-1 text-sm text-slate-500">MP4, PNG or JPEG · checked on the server, not kept</span>
        <input type="file" accept="video/mp4,image/png,image/jpeg" className="sr-only" data-testid="verify-file" onChange={(e) => void check(e.target.files?.[0])} disabled={progress !== null} />
      </label>
      {progress !== null && <Progress value={progress} label={progress < 1 ? "Uploading" : "Checking the credentials"} testId="verify-progress" />}
      {error && <Notice tone="error" testId="verify-error">{error}</Notice>}
      {result && <Report result={result} signedIn={signedIn} />}
    </div>
  );
}

function Report({ result, signedIn }: { result: Result; signedIn: boolean }) {
  const r = result.report;
  const state = STATE[r.state];
  return (
    <div className="space-y-4" data-testid="verify-report">
      <div className={`rounded-lg border p-4 ${state.style}`} data-testid="verify-state" data-state={r.state}>
        <div className="flex items-center gap-2">
          <span aria-hidden className={`inline-block h-3 w-3 rounded-full ${state.dot}`} />
          <span className="text-base font-semibold">{state.label}</span>
          {r.aiGenerated && <span className="ml-2 rounded bg-violet-600 px-2 py-0.5 text-xs font-semibold text-white" data-testid="ai-generated">{r.digitalSourceLabel ?? "AI-generated"}</span>}
          <span className="ml-auto text-xs opacity-70">{result.fileName} · {(result.size / 1024).toFixed(0)} KB{r.mediaType && ` · ${r.mediaType}`}</span>
        </div>
        <p className="mt-1">{r.summary}</p>
        <p className="mt-1 text-sm opacity-80">{state.help}</p>
        {r.problem && <p className="mt-1 text-sm">{r.problem.message}</p>}
        {r.declaredMimeType && <p className="mt-1 text-sm">The upload said {r.declaredMimeType}, but the bytes are {r.mediaType}.</p>}
      </div>

      {r.gate && (
        <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid="gate-assertion">
          <h2 className="mb-2 font-semibold">Released through Clearance's gate</h2>
          <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-500">Render</dt>
            <dd className="font-mono text-xs">
              {result.render?.visible ? <Link className="text-blue-800 underline" href={`/renders/${r.gate.renderId}`}>{r.gate.renderId}</Link> : r.gate.renderId}
            </dd>
            <dt className="text-slate-500">Gate verdict</dt><dd>{r.gate.verdict}</dd>
            <dt className="text-slate-500">Policy version</dt><dd className="font-mono">{r.gate.policyVersion}</dd>
            <dt className="text-slate-500">Decided</dt><dd>{fmtDate(r.gate.decidedAt)}</dd>
            <dt className="text-slate-500">Released via</dt><dd>{r.gate.releasedVia.replaceAll("_", " ")}</dd>
            {r.gate.prompt && <><dt className="text-slate-500">Prompt</dt><dd>{r.gate.prompt}</dd></>}
          </dl>
          {result.render ? (
            result.render.status === "taken_down" ? (
              <div className="mt-2"><Notice tone="warning">This render has since been taken down ({fmtDate(result.render.takenDownAt)}).</Notice></div>
            ) : result.render.status !== "released" ? (
              <p className="mt-2 text-sm text-slate-600">Its current status at Clearance: {result.render.status.replaceAll("_", " ")}.</p>
            ) : null
          ) : (
            <p className="mt-2 text-sm text-slate-600">This installation has no record of that render.</p>
          )}
          {!result.render?.visible && result.render && <p className="mt-2 text-xs text-slate-500">{signedIn ? "Only its creator and moderators can open the render's record." : "Sign in to open the render's record, if it is yours."}</p>}
        </section>
      )}

      {result.softBinding && (
        <section className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sky-900" data-testid="soft-binding">
          <p>
            This looks like Clearance render{" "}
            {result.softBinding.render.visible ? <Link className="font-mono underline" href={`/renders/${result.softBinding.renderId}`}>{result.softBinding.renderId.slice(0, 8)}</Link> : <span className="font-mono">{result.softBinding.renderId.slice(0, 8)}</span>}
            {result.softBinding.render.releasedAt && <>, released on {fmtDate(result.softBinding.render.releasedAt)}</>}
            {result.softBinding.render.status === "taken_down" && <> (since taken down)</>}.
          </p>
          <p className="text-sm opacity-80">Recognised by its frames ({result.softBinding.technique}{result.softBinding.detail ? `, ${result.softBinding.detail}` : ""}, similarity {(result.softBinding.similarity * 100).toFixed(0)}%), not by credentials: they were removed or never there.</p>
        </section>
      )}

      {r.hasCredentials && (
        <section className="grid gap-4 md:grid-cols-2">
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="mb-2 font-semibold">Signer</h2>
            <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
              <dt className="text-slate-500">Signed by</dt><dd data-testid="signer">{r.signer?.commonName ?? "—"}</dd>
              <dt className="text-slate-500">Issuer</dt><dd>{r.signer?.issuer ?? "—"}</dd>
              <dt className="text-slate-500">Algorithm</dt><dd>{r.signer?.alg ?? "—"}</dd>
              <dt className="text-slate-500">Signing time</dt><dd>{r.signingTime ? fmtDate(r.signingTime) : "not time-stamped"}</dd>
              <dt className="text-slate-500">Made with</dt><dd>{r.claimGenerator ?? "—"}</dd>
              {r.title && <><dt className="text-slate-500">Title</dt><dd>{r.title}</dd></>}
            </dl>
          </div>
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="mb-2 font-semibold">What was done</h2>
            {r.actions.length === 0 ? <p className="text-sm text-slate-500">No actions recorded.</p> : (
              <ul className="space-y-1 text-sm" data-testid="actions">
                {r.actions.map((a, i) => (
                  <li key={i}>
                    <code className="text-xs">{a.action}</code>
                    {a.sourceLabel && <span className="ml-2 rounded bg-violet-100 px-1.5 text-xs text-violet-800">{a.sourceLabel}</span>}
                    {a.softwareAgent && <span className="text-slate-500"> · {a.softwareAgent}</span>}
                    {a.when && <span className="text-slate-500"> · {fmtDate(a.when)}</span>}
                  </li>
                ))}
              </ul>
            )}
            <h3 className="mb-1 mt-3 text-sm font-semibold">Ingredients</h3>
            {r.ingredients.length === 0 ? <p className="text-sm text-slate-500">None: nothing else went into this file.</p> : (
              <ul className="text-sm">{r.ingredients.map((g, i) => <li key={i}>{g.title ?? "untitled"} <span className="text-slate-500">{[g.format, g.relationship, g.validationState].filter(Boolean).join(" · ")}</span></li>)}</ul>
            )}
            {r.trainingMining && (
              <>
                <h3 className="mb-1 mt-3 text-sm font-semibold">AI training and data mining</h3>
                <ul className="text-sm">{Object.entries(r.trainingMining).map(([k, v]) => <li key={k}><code className="text-xs">{k}</code>: {v.use}{v.constraint_info ? ` (${v.constraint_info})` : ""}</li>)}</ul>
              </>
            )}
          </div>
        </section>
      )}

      {r.statuses.length > 0 && (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-semibold">Checks, explained</h2>
          <ul className="space-y-1.5 text-sm" data-testid="status-codes">
            {r.statuses.map((s, i) => (
              <li key={i} className="grid grid-cols-[16rem_1fr] gap-2">
                <code className={`text-xs ${KIND_STYLE[s.kind]}`}>{s.kind === "failure" ? "✕" : s.kind === "success" ? "✓" : "i"} {s.code}</code>
                <span>
                  {s.explanation}
                  {s.ingredient && <span className="text-slate-500"> (ingredient {s.ingredient})</span>}
                  {s.detail && <span className="block text-xs text-slate-500">{s.detail}</span>}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
