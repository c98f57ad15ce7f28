import { PageHeader } from "@/components/ui";
import { MyCameos } from "@/components/cameos/my-cameos";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function CameosPage() {
  await requireRole("creator");
  await prefetch(trpc.cameos.mine.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title="My cameos" subtitle="Who may put your likeness in a video, and on what terms." />
      <MyCameos />
    </HydrateClient>
  );
}
