import { UsersTable } from "@/components/admin/users-table";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function AdminUsersPage() {
  const me = await requireRole("admin");
  await prefetch(trpc.admin.users.queryOptions({ search: undefined, role: undefined }));
  return <HydrateClient><UsersTable selfId={me.id} /></HydrateClient>;
}
