import { UsersTable } from "@/components/admin/users-table";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function AdminUsersPage() {
  const me = await requireRole("admin");
  return <UsersTable selfId={me.id} />;
}
