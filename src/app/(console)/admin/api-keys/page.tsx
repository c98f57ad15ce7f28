import { ApiKeys } from "@/components/admin/api-keys";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  await requireRole("admin");
  await Promise.all([prefetch(trpc.admin.apiKeys.list.queryOptions()), prefetch(trpc.admin.apiKeys.scopes.queryOptions())]);
  return <HydrateClient><ApiKeys /></HydrateClient>;
}
