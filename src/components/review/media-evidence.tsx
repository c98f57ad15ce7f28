"use client";
/**
 * The render as a moderator sees it: the player (served by the authenticated media route) and the strip of
 * frames the gate sampled, each with its classifier scores; flagged frames are marked. Clicking a frame
 * seeks the player; "o" opens the frames large, ←/→ step through them.
 * A withheld render (known-content match, most distressing categories) arrives without pictures, and the media
 * route refuses its file, until the moderator reveals it with a reason (audited on the server).
 */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Button, ErrorText, Textarea } from "@/components/forms/controls";
import { useTRPC } from "@/trpc/react";
import { useWorkspace } from "./workspace-context";
import type { ReviewDetailView } from "./types";

type Frame = ReviewDetailView["evidence"]["frames"][number];

const pct = (n: number) => `${Math.round(n * 100)}%`;
const ts = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;

function topScores(frame: Frame, n = 3): [string, number][] {
  return Object.entries(frame.scores).sort((a, b) => b[1] - a[1]).slice(0, n);
}

interface MediaEvidenceProps {
  output: ReviewDetailView["output"];
  frames: Frame[];
  thresholds: Record<string, number>;
  itemId: string;
  withheld: ReviewDetailView["withheld"];
  revealedUntil: ReviewDetailView["revealedUntil"];
}

export function MediaEvidence({ output, frames, thresholds, itemId, withheld, revealedUntil }: MediaEvidenceProps) {
  const video = useRef<HTMLVideoElement>(null);
  const { viewerFrame, openViewer, blurred, toggleBlur } = useWorkspace();
  if (withheld && !revealedUntil && output) return <RevealPanel itemId={itemId} withheld={withheld} />;
  const veil = blurred ? "blur-xl grayscale" : "";
  const seek = (frame: Frame) => {
    if (video.current) {
      video.current.currentTime = frame.timestampSec;
      video.current.pause();
    }
  };
  const src = output ? `/api/console/media/${output.id}` : null;

  return (
    <section aria-label="Media" data-testid="media-evidence" className="mb-4 rounded-lg border border-slate-200 bg-white p-3">
      {!output ? (
        <div className="flex h-40 items-center justify-center rounded bg-slate-100 text-slate-500" data-testid="no-output">
          Held before rendering: there is no video yet, only the prompt.
        </div>
      ) : output.mimeType.startsWith("video/") ? (
        <video ref={video} src={src!} controls preload="metadata" className={`max-h-[420px] w-full rounded bg-black ${veil}`} data-testid="review-video" data-blurred={blurred || undefined} />
      ) : (
        // eslint-disable-next-line @next/next/no-img-element
        <img src={src!} alt="Render output" className={`max-h-[420px] rounded bg-slate-100 ${veil}`} data-testid="review-image" data-blurred={blurred || undefined} />
      )}
      {frames.length > 0 && (
        <div className="mt-3">
          <div className="mb-1 flex items-baseline justify-between">
            <h3 className="text-sm font-semibold">Sampled frames</h3>
            <span className="flex gap-3">
              <button type="button" className="text-xs text-blue-800 underline" onClick={toggleBlur} data-testid="toggle-blur">{blurred ? "Unblur" : "Blur"} <kbd>b</kbd></button>
              <button type="button" className="text-xs text-blue-800 underline" onClick={() => openViewer()}>Open large <kbd>o</kbd></button>
            </span>
          </div>
          <ol className="flex gap-2 overflow-x-auto pb-1" data-testid="frame-strip">
            {frames.map((f) => {
              const flagged = f.flagged.length > 0;
              return (
                <li key={f.index} className="shrink-0">
                  <button
                    type="button"
                    onClick={() => seek(f)}
                    onDoubleClick={() => openViewer(f.index)}
                    data-testid="frame"
                    data-flagged={flagged || undefined}
                    title={`Frame ${f.index} at ${ts(f.timestampSec)}${flagged ? ` — flagged: ${f.flagged.join(", ")}` : ""}`}
                    className={`block w-28 rounded border-2 p-0.5 text-left ${flagged ? "border-red-600" : "border-transparent hover:border-slate-300"}`}
                  >
                    {f.thumbnail ? (
                      // eslint-disable-next-line @next/next/no-img-element
                      <img src={f.thumbnail} alt={`Frame ${f.index}`} className={`h-16 w-full rounded object-cover ${blurred ? "blur-sm grayscale" : ""}`} />
                    ) : (
                      <div className="h-16 w-full rounded bg-slate-200" />
                    )}
                    <div className="mt-0.5 flex justify-between text-[10px] text-slate-600">
                      <span className="font-mono">{ts(f.timestampSec)}</span>
                      {flagged && <span className="font-semibold text-red-700">⚑ flagged</span>}
                    </div>
                    {topScores(f).map(([k, v]) => (
                      <div key={k} className={`truncate text-[10px] ${v >= (thresholds[k] ?? Infinity) ? "font-semibold text-red-700" : "text-slate-500"}`}>
                        {k.replaceAll("_", " ")} {pct(v)}
                      </div>
                    ))}
                  </button>
                </li>
              );
            })}
          </ol>
        </div>
      )}
      {viewerFrame !== null && <FrameViewer frames={frames} thresholds={thresholds} />}
    </section>
  );
}

/** Nothing of the media is in the page until the moderator gives a reason; the server logs it with the reveal. */
function RevealPanel({ itemId, withheld }: { itemId: string; withheld: NonNullable<ReviewDetailView["withheld"]> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [reason, setReason] = useState("");
  const reveal = useMutation(trpc.review.reveal.mutationOptions({ onSuccess: () => router.refresh() }));
  const what = withheld.why === "known_hash_match" ? "a frame matches a known-content hash list" : `it was flagged as ${withheld.categories.map((c) => c.replaceAll("_", " ")).join(", ")}`;
  return (
    <section aria-label="Media" data-testid="media-evidence" className="mb-4 rounded-lg border border-red-200 bg-red-50 p-4 text-red-900">
      <p className="font-semibold" data-testid="media-withheld">Media withheld: {what}.</p>
      <p className="mt-1 text-sm">
        The evidence without pictures (scores, matches, frame times) is below and is usually enough to decide. To open the media, say why: your reason and
        every view are kept in the audit log.
      </p>
      <form
        className="mt-2 flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          reveal.mutate({ id: itemId, reason });
        }}
      >
        <Textarea name="revealReason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why you need to see it (e.g. the match may be a false positive)" data-testid="reveal-reason" required minLength={5} maxLength={1000} />
        <ErrorText error={reveal.error} />
        <Button type="submit" busy={reveal.isPending} disabled={reason.trim().length < 5} data-testid="reveal-media">Reveal the media (audited)</Button>
      </form>
    </section>
  );
}

function FrameViewer({ frames, thresholds }: { frames: Frame[]; thresholds: Record<string, number> }) {
  const { viewerFrame, openViewer, closeViewer, blurred } = useWorkspace();
  const at = Math.max(0, frames.findIndex((f) => f.index === viewerFrame));
  const frame = frames[at];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" || e.key === "o") closeViewer();
      else if (e.key === "ArrowRight" && frames[at + 1]) openViewer(frames[at + 1]!.index);
      else if (e.key === "ArrowLeft" && frames[at - 1]) openViewer(frames[at - 1]!.index);
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [at, frames, openViewer, closeViewer]);
  if (!frame) return null;
  return (
    <div role="dialog" aria-modal="true" aria-label="Frame evidence" data-testid="frame-viewer" className="fixed inset-0 z-40 flex items-center justify-center bg-slate-900/80" onClick={closeViewer}>
      <div className="max-w-3xl rounded-lg bg-white p-4" onClick={(e) => e.stopPropagation()}>
        <div className="mb-2 flex justify-between text-sm">
          <span>Frame {frame.index} · {ts(frame.timestampSec)} · {at + 1} of {frames.length}</span>
          <span className="text-slate-500"><kbd>←</kbd> <kbd>→</kbd> step · <kbd>Esc</kbd> close</span>
        </div>
        {frame.thumbnail ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={frame.thumbnail} alt={`Frame ${frame.index}`} className={`mx-auto max-h-[60vh] min-w-[480px] rounded object-contain [image-rendering:auto] ${blurred ? "blur-xl grayscale" : ""}`} />
        ) : (
          <div className="h-64 w-[480px] rounded bg-slate-200" />
        )}
        <table className="mt-3 w-full text-sm">
          <tbody>
            {Object.entries(frame.scores).sort((a, b) => b[1] - a[1]).map(([k, v]) => {
              const over = v >= (thresholds[k] ?? Infinity);
              return (
                <tr key={k} className={over ? "font-semibold text-red-700" : ""}>
                  <td className="pr-3">{k.replaceAll("_", " ")}</td>
                  <td className="w-2/3">
                    <div className="h-2 rounded bg-slate-100"><div className={`h-2 rounded ${over ? "bg-red-600" : "bg-slate-600"}`} style={{ width: pct(Math.min(1, v)) }} /></div>
                  </td>
                  <td className="pl-3 font-mono">{v.toFixed(3)}{thresholds[k] !== undefined && <span className="text-slate-400"> / {thresholds[k].toFixed(2)}</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
