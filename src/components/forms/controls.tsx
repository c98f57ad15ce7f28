"use client";
/** Form controls shared by the creator, rights-holder and admin workspaces: one look, keyboard first. */
import { forwardRef, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

const FIELD = "rounded border border-slate-300 bg-white px-2 py-1.5 focus:border-slate-500 focus:outline-none focus:ring-2 focus:ring-slate-300 disabled:bg-slate-100";

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input({ className = "", ...props }, ref) {
  return <input ref={ref} className={`${FIELD} ${className}`} {...props} />;
});

export function Textarea({ className = "", ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={`${FIELD} ${className}`} {...props} />;
}

export function Select({ className = "", children, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`${FIELD} ${className}`} {...props}>{children}</select>;
}

export function Field({ label, hint, children, className = "" }: { label: string; hint?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <label className={`block ${className}`}>
      <span className="mb-1 block text-sm font-medium text-slate-700">{label}</span>
      {children}
      {hint && <span className="mt-1 block text-xs text-slate-500">{hint}</span>}
    </label>
  );
}

type Variant = "primary" | "secondary" | "danger" | "ghost";
const VARIANT: Record<Variant, string> = {
  primary: "bg-slate-900 text-white hover:bg-slate-700 border-slate-900",
  secondary: "bg-white text-slate-800 hover:bg-slate-100 border-slate-300",
  danger: "bg-red-700 text-white hover:bg-red-600 border-red-700",
  ghost: "bg-transparent text-slate-700 hover:bg-slate-100 border-transparent",
};

export function Button({ variant = "secondary", busy, className = "", children, disabled, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button
      type="button"
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={`inline-flex items-center gap-1.5 rounded border px-3 py-1.5 font-medium focus:outline-none focus:ring-2 focus:ring-slate-400 disabled:cursor-not-allowed disabled:opacity-50 ${VARIANT[variant]} ${className}`}
      {...props}
    >
      {busy && <Spinner />}
      {children}
    </button>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span role={label ? "status" : undefined} className="inline-flex items-center gap-2">
      <span aria-hidden className="inline-block h-3.5 w-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />
      {label && <span>{label}</span>}
    </span>
  );
}

/** A progress bar with its number: long work always shows how far it has got. */
export function Progress({ value, label, testId }: { value: number; label: string; testId?: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <div data-testid={testId}>
      <div className="mb-1 flex justify-between text-xs text-slate-600"><span>{label}</span><span>{pct}%</span></div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="h-2 overflow-hidden rounded bg-slate-200">
        <div className="h-full bg-slate-800 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export function Notice({ tone = "info", children, testId }: { tone?: "info" | "success" | "warning" | "error"; children: ReactNode; testId?: string }) {
  const style = {
    info: "border-sky-200 bg-sky-50 text-sky-900",
    success: "border-emerald-200 bg-emerald-50 text-emerald-900",
    warning: "border-amber-200 bg-amber-50 text-amber-900",
    error: "border-red-200 bg-red-50 text-red-800",
  }[tone];
  return <div role={tone === "error" ? "alert" : "status"} data-testid={testId} className={`rounded border px-3 py-2 ${style}`}>{children}</div>;
}

/** A tRPC / fetch error in words. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return <Notice tone="error" testId="form-error">{errorMessage(error)}</Notice>;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const zod = (error as { data?: { zodError?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] } | null } }).data?.zodError;
    if (zod) {
      const parts = [...(zod.formErrors ?? []), ...Object.entries(zod.fieldErrors ?? {}).map(([k, v]) => `${k}: ${v.join(", ")}`)];
      if (parts.length) return parts.join("; ");
    }
    return error.message;
  }
  return String(error);
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return <div data-testid="loading" className="rounded-lg border border-slate-200 bg-white p-6 text-slate-500"><Spinner label={label} /></div>;
}

export function Section({ title, description, actions, children, testId }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section data-testid={testId} className="mb-6">
      <div className="mb-2 flex items-end justify-between gap-4">
        <div>
          <h2 className="font-semibold">{title}</h2>
          {description && <p className="text-sm text-slate-500">{description}</p>}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}
