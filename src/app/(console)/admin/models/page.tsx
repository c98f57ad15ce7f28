import { Badge, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

const STATE_LABEL = { ok: "active", missing: "failed", checksum_mismatch: "blocked" } as const;

export default async function ModelsPage() {
  await requireRole("admin");
  const api = await serverApi();
  const [models, inference] = await Promise.all([api.system.models(), api.system.inference()]);
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
            <Td><Badge value={STATE_LABEL[m.status]} /> <span className="text-xs text-slate-500">{m.status.replace("_", " ")}</span></Td>
            <Td className="font-mono text-xs">{m.path.split("/").slice(-2).join("/")}</Td>
            <Td className="font-mono text-xs">
              <div>{m.expected?.slice(0, 16) ?? "— none recorded —"}</div>
              <div className={m.actual && m.expected && m.actual !== m.expected ? "text-red-700" : "text-slate-500"}>{m.actual?.slice(0, 16) ?? "— missing —"}</div>
            </Td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
