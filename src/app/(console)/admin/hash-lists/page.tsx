import { HashLists } from "@/components/admin/hash-lists";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function HashListsPage() {
  await requireRole("admin");
  await Promise.all([prefetch(trpc.admin.hashLists.list.queryOptions()), prefetch(trpc.policy.categories.queryOptions())]);
  return <HydrateClient><HashLists /></HydrateClient>;
}
