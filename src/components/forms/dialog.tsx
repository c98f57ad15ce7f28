"use client";
/** A modal on the native <dialog>: focus is trapped, Escape closes it, and focus returns where it was. */
import { useEffect, useRef, type ReactNode } from "react";
import { Button } from "./controls";

export function Dialog({ open, onClose, title, children, testId }: { open: boolean; onClose: () => void; title: string; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      data-testid={testId}
      aria-label={title}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="m-auto w-[32rem] max-w-[95vw] rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      {open && (
        <div className="p-5">
          <h2 className="mb-3 text-base font-semibold">{title}</h2>
          {children}
        </div>
      )}
    </dialog>
  );
}

/** "Are you sure?" with the consequence spelled out; the dangerous button is never the default focus. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  tone = "danger",
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  tone?: "danger" | "primary";
}) {
  return (
    <Dialog open={open} onClose={onCancel} title={title} testId="confirm-dialog">
      <div className="mb-4 text-slate-700">{children}</div>
      <div className="flex justify-end gap-2">
        <Button autoFocus onClick={onCancel}>Cancel</Button>
        <Button variant={tone} busy={busy} onClick={onConfirm} data-testid="confirm-button">{confirmLabel}</Button>
      </div>
    </Dialog>
  );
}

/**
 * The ConfirmDialog props for "confirm the action on this row": open while a target is chosen, busy while the
 * mutation runs, Cancel forgets the target, Confirm runs the mutation on it.
 */
export function confirmTarget<T, V>(
  target: T | null,
  setTarget: (next: T | null) => void,
  mutation: { isPending: boolean; mutate: (variables: V) => void },
  variablesFor: (target: T) => V,
): Pick<Parameters<typeof ConfirmDialog>[0], "open" | "busy" | "onCancel" | "onConfirm"> {
  return {
    open: target !== null,
    busy: mutation.isPending,
    onCancel: () => setTarget(null),
    onConfirm: () => {
      if (target !== null) mutation.mutate(variablesFor(target));
    },
  };
}
