import { Webhooks } from "@/components/admin/webhooks";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function WebhooksPage() {
  await requireRole("admin");
  await prefetch(trpc.admin.webhooks.list.queryOptions());
  return <HydrateClient><Webhooks /></HydrateClient>;
}
