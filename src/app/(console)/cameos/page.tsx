import { Badge, EmptyState, PageHeader, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

const SCOPE_LABEL = { everyone: "Everyone", approved: "Approved people", only_me: "Only me" } as const;

export default async function CameosPage() {
  await requireRole("creator");
  const api = await serverApi();
  const cameos = await api.cameos.mine();
  return (
    <>
      <PageHeader title="My cameos" subtitle="Who may put your likeness in a video, and on what terms." />
      {cameos.length === 0 ? (
        <EmptyState title="You have no cameo">Enroll a short video of yourself to create one; nobody can use your likeness until you do.</EmptyState>
      ) : (
        <Table head={["Handle", "Status", "Who may use it", "Restrictions"]} testId="cameos-table">
          {cameos.map((c) => (
            <tr key={c.id}>
              <Td className="font-mono">@{c.handle}</Td>
              <Td><Badge value={c.status} /></Td>
              <Td>{SCOPE_LABEL[c.scope]}</Td>
              <Td>{c.restrictions.join(", ") || "—"}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
