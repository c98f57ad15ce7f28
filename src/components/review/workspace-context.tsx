"use client";
/**
 * Shared state of one review workspace: the chosen action (set by a/r/e), the evidence viewer (o) and whether
 * the media is blurred (b; on by default for the most distressing categories, to spare reviewers).
 */
import { createContext, useContext, useState, type ReactNode } from "react";

export type Action = "approve" | "remove" | "escalate";

interface WorkspaceState {
  action: Action | null;
  chooseAction: (a: Action) => void;
  viewerFrame: number | null;
  openViewer: (frameIndex?: number) => void;
  closeViewer: () => void;
  blurred: boolean;
  toggleBlur: () => void;
}

const Ctx = createContext<WorkspaceState | null>(null);

export function WorkspaceProvider({ children, firstFlaggedFrame, blurByDefault = false }: { children: ReactNode; firstFlaggedFrame: number | null; blurByDefault?: boolean }) {
  const [action, setAction] = useState<Action | null>(null);
  const [viewerFrame, setViewerFrame] = useState<number | null>(null);
  const [blurred, setBlurred] = useState(blurByDefault);
  return (
    <Ctx.Provider
      value={{
        action,
        chooseAction: setAction,
        viewerFrame,
        openViewer: (i) => setViewerFrame(i ?? firstFlaggedFrame ?? 0),
        closeViewer: () => setViewerFrame(null),
        blurred,
        toggleBlur: () => setBlurred((b) => !b),
      }}
    >
      {children}
    </Ctx.Provider>
  );
}

export function useWorkspace(): WorkspaceState {
  const v = useContext(Ctx);
  if (!v) throw new Error("useWorkspace outside WorkspaceProvider");
  return v;
}
