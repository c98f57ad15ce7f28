"use client";
/**
 * Keyboard shortcuts for the moderation loop (Ozone's useQuickAction, in spirit): one map of key → action per
 * page, ignored while typing in a field or while a dialog is open, and a "?" overlay that lists them.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";

export interface Shortcut {
  /** `KeyboardEvent.key` values that trigger it, e.g. ["j", "n"]. */
  keys: string[];
  label: string;
  run: () => void;
  /** Shown but inactive (e.g. "approve" before you hold a claim). */
  disabled?: boolean;
}

export function isTyping(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null;
  return Boolean(t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName)));
}

/** Binds the shortcuts, plus "?" for the help overlay. Returns the overlay's state. */
export function useShortcuts(shortcuts: Shortcut[]): { helpOpen: boolean; setHelpOpen: (open: boolean) => void } {
  const ref = useRef(shortcuts);
  const [helpOpen, setHelpOpen] = useState(false);
  // Layout effect, not effect: it runs before the browser paints, so a key pressed the moment the page shows a
  // new state (e.g. "a" right after "Claimed by you" appears) reaches that state's shortcuts, not the last ones.
  useLayoutEffect(() => {
    ref.current = shortcuts;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
      if (e.key === "?") {
        e.preventDefault();
        setHelpOpen((o) => !o);
        return;
      }
      if (e.key === "Escape") {
        setHelpOpen(false);
        return;
      }
      if (document.querySelector("dialog[open]")) return;
      const hit = ref.current.find((s) => s.keys.includes(e.key));
      if (!hit || hit.disabled) return;
      e.preventDefault();
      hit.run();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return { helpOpen, setHelpOpen };
}

export function ShortcutHelp({ open, onClose, shortcuts }: { open: boolean; onClose: () => void; shortcuts: Shortcut[] }) {
  if (!open) return null;
  return (
    <div role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcut-help" className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40" onClick={onClose}>
      <div className="w-96 rounded-lg bg-white p-5 shadow-xl" onClick={(e) => e.stopPropagation()}>
        <h2 className="mb-3 text-base font-semibold">Keyboard shortcuts</h2>
        <table className="w-full">
          <tbody>
            {shortcuts.map((s) => (
              <tr key={s.label} className={s.disabled ? "text-slate-400" : ""}>
                <td className="py-1 pr-4 whitespace-nowrap">{s.keys.map((k) => <kbd key={k} className="mr-1">{k === "Enter" ? "↵" : k}</kbd>)}</td>
                <td className="py-1">{s.label}</td>
              </tr>
            ))}
            <tr>
              <td className="py-1 pr-4"><kbd>?</kbd></td>
              <td className="py-1">Show or hide this list</td>
            </tr>
          </tbody>
        </table>
        <p className="mt-3 text-xs text-slate-500">Shortcuts are off while you type in a field. <kbd>Esc</kbd> closes.</p>
      </div>
    </div>
  );
}

/** A small hint line: "j/k move · Enter open · ? help". */
export function ShortcutHint({ items }: { items: [string, string][] }) {
  return (
    <p className="text-xs text-slate-500" data-testid="shortcut-hint">
      {items.map(([k, label], i) => (
        <span key={k}>
          {i > 0 && " · "}
          <kbd>{k}</kbd> {label}
        </span>
      ))}
    </p>
  );
}
