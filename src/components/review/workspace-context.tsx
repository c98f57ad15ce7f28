"use client";
/** Shared state of one review workspace: the chosen action (set by a/r/e) and the evidence viewer (o). */
import { createContext, useContext, useState, type ReactNode } from "react";

export type Action = "approve" | "remove" | "escalate";

interface WorkspaceState {
  action: Action | null;
  chooseAction: (a: Action) => void;
  viewerFrame: number | null;
  openViewer: (frameIndex?: number) => void;
  closeViewer: () => void;
}

const Ctx = createContext<WorkspaceState | null>(null);

export function WorkspaceProvider({ children, firstFlaggedFrame }: { children: ReactNode; firstFlaggedFrame: number | null }) {
  const [action, setAction] = useState<Action | null>(null);
  const [viewerFrame, setViewerFrame] = useState<number | null>(null);
  return (
    <Ctx.Provider
      value={{
        action,
        chooseAction: setAction,
        viewerFrame,
        openViewer: (i) => setViewerFrame(i ?? firstFlaggedFrame ?? 0),
        closeViewer: () => setViewerFrame(null),
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
