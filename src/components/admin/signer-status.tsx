/** The signing certificate's public facts and the one warning that matters (server component). */
import { Notice } from "@/components/forms/controls";

type Status =
  | { ok: true; backend: string; signer: { subject: string; issuer: string; notBefore: string; notAfter: string; expiresInDays: number; development: boolean; warning?: string } }
  | { ok: false; error: string };

export function SignerStatus({ status }: { status: Status }) {
  if (!status.ok) {
    return <Notice tone="error" testId="signer-error">No signing certificate could be loaded: {status.error}. Releases are held until one is configured (CLEARANCE_SIGNING_CERT_PATH / _KEY_PATH).</Notice>;
  }
  const s = status.signer;
  const tone = s.expiresInDays < 0 ? "error" : s.warning ? "warning" : "success";
  return (
    <div className="space-y-3" data-testid="signer-status">
      <Notice tone={tone}>{s.warning ?? `The signing certificate is valid for ${s.expiresInDays} more days.`}</Notice>
      <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <dt className="text-slate-500">Subject</dt><dd className="font-mono text-xs" data-testid="signer-subject">{s.subject}</dd>
        <dt className="text-slate-500">Issuer</dt><dd className="font-mono text-xs">{s.issuer}</dd>
        <dt className="text-slate-500">Valid from</dt><dd>{s.notBefore.slice(0, 10)}</dd>
        <dt className="text-slate-500">Expires</dt><dd>{s.notAfter.slice(0, 10)} <span className="text-slate-500">({s.expiresInDays} days)</span></dd>
        <dt className="text-slate-500">Kind</dt><dd>{s.development ? "Development credentials (trusted by this installation only)" : "Production certificate"}</dd>
        <dt className="text-slate-500">C2PA backend</dt><dd>{status.backend}</dd>
      </dl>
    </div>
  );
}
