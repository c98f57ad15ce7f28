import { Badge, PageHeader, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  await requireRole("admin");
  const api = await serverApi();
  const users = await api.admin.users();
  return (
    <>
      <PageHeader title="Admin" subtitle="People and roles." />
      <Table head={["Name", "Email", "Role", "Platform id"]} testId="users-table">
        {users.map((u) => (
          <tr key={u.id}>
            <Td>{u.name}</Td>
            <Td>{u.email ?? "—"}</Td>
            <Td><Badge value={u.role} /></Td>
            <Td className="font-mono text-xs">{u.externalId ?? "—"}</Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
