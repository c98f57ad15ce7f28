import { Badge, EmptyState, PageHeader, RelativeTime, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function MyRendersPage() {
  await requireRole("creator");
  const api = await serverApi();
  const rows = await api.renders.mine();
  return (
    <>
      <PageHeader title="My renders" subtitle="Every video you asked for, and what the gate decided." />
      {rows.length === 0 ? (
        <EmptyState title="No renders yet">Your renders and their gate decisions appear here.</EmptyState>
      ) : (
        <Table head={["Prompt", "Status", "Requested"]} testId="renders-table">
          {rows.map((r) => (
            <tr key={r.id}>
              <Td className="max-w-lg">{r.prompt}</Td>
              <Td><Badge value={r.status} /></Td>
              <Td><RelativeTime at={r.requestedAt} /></Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
