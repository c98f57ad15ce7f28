import { PolicyEditor } from "@/components/admin/policy-editor";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function PolicyPage() {
  await requireRole("admin");
  await Promise.all([
    prefetch(trpc.policy.categories.queryOptions()),
    prefetch(trpc.policy.current.queryOptions()),
    prefetch(trpc.policy.versions.queryOptions({ limit: 10 })),
    prefetch(trpc.system.clipThresholds.queryOptions()),
  ]);
  return <HydrateClient><PolicyEditor /></HydrateClient>;
}
