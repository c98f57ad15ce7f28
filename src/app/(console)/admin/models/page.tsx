import { Badge, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

const STATE_LABEL = { ok: "active", missing: "failed", checksum_mismatch: "blocked" } as const;
/** An optional model that is simply not installed (e.g. a production replacement) is not an outage. */
const stateLabel = (m: { status: keyof typeof STATE_LABEL; optional: boolean }) => (m.optional && m.status === "missing" ? "not_installed" : STATE_LABEL[m.status]);

export default async function ModelsPage() {
  await requireRole("admin");
  const api = await serverApi();
  const [models, inference, clip] = await Promise.all([api.system.models(), api.system.inference(), api.system.clipThresholds()]);
  const broken = models.filter((m) => m.status !== "ok" && !m.optional);
  return (
    <section className="space-y-3">
      <p role="status" data-testid="inference-status" className={`rounded px-3 py-2 ${inference.ready ? "bg-slate-100 text-slate-700" : "bg-red-50 text-red-800"}`}>
        Inference: <strong>{inference.kind}</strong> ({inference.location}): {inference.detail}
        {!inference.ready && ". Renders whose stages need a model are held until it is back."}
      </p>
      {broken.length > 0 ? (
        <p role="status" data-testid="models-warning" className="rounded bg-red-50 px-3 py-2 text-red-800">
          {broken.length} required model(s) unavailable: renders that need them are held for review until the file is
          placed and its checksum matches (<code>npm run models:build</code> for built models).
        </p>
      ) : (
        <p className="text-slate-600">Every required model is present and matches its recorded SHA-256.</p>
      )}
      <Table head={["Model", "Status", "File", "SHA-256 (expected / on disk)"]} testId="models-table">
        {models.map((m) => (
          <tr key={m.id}>
            <Td className="font-mono text-xs">{m.id}{m.optional && <span className="ml-1 text-slate-400">(optional)</span>}</Td>
            <Td><Badge value={stateLabel(m)} /> <span className="text-xs text-slate-500">{m.status.replace("_", " ")}</span></Td>
            <Td className="font-mono text-xs">{m.path.split("/").slice(-2).join("/")}</Td>
            <Td className="font-mono text-xs">
              <div>{m.expected?.slice(0, 16) ?? "— none recorded —"}</div>
              <div className={m.actual && m.expected && m.actual !== m.expected ? "text-red-700" : "text-slate-500"}>{m.actual?.slice(0, 16) ?? "— missing —"}</div>
            </Td>
          </tr>
        ))}
      </Table>
      <h2 className="pt-2 font-semibold">Similarity thresholds of {clip.model}</h2>
      <p className="text-sm text-slate-600">
        Cosines are on the model&apos;s own scale, so each threshold comes from the model&apos;s manifest entry. A work&apos;s or
        category&apos;s override is held inside the calibrated range. A use without a calibration is off: image matching then
        uses PDQ alone.
      </p>
      <Table head={["Use", "Default", "Allowed range", "How it was calibrated"]} testId="clip-thresholds">
        {clip.uses.map((u) => (
          <tr key={u.use} data-testid={`clip-threshold-${u.use}`}>
            <Td>{u.label}</Td>
            {u.calibrated ? (
              <>
                <Td className="font-mono">{u.calibrated.threshold.toFixed(2)}</Td>
                <Td className="font-mono">{u.calibrated.min.toFixed(2)}–{u.calibrated.max.toFixed(2)}</Td>
                <Td className="text-xs text-slate-600">{u.calibrated.calibration}</Td>
              </>
            ) : (
              <Td className="text-amber-800" colSpan={3}>Not calibrated for this model: off{u.use === "imageToImage" ? " (IP image matching by PDQ only)" : ""}</Td>
            )}
          </tr>
        ))}
      </Table>
    </section>
  );
}
