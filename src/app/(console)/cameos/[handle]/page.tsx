import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { CameoDetail } from "@/components/cameos/cameo-detail";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function CameoPage({ params }: { params: Promise<{ handle: string }> }) {
  await requireRole("creator");
  const { handle: raw } = await params;
  const handle = decodeURIComponent(raw);
  await Promise.all([
    prefetch(trpc.cameos.byHandle.queryOptions({ handle })),
    prefetch(trpc.cameos.restrictions.queryOptions()),
    prefetch(trpc.cameos.renders.queryOptions({ handle })),
  ]);
  return (
    <HydrateClient>
      <PageHeader title="My cameo" subtitle={<Link href="/cameos" className="underline">← My cameos</Link>} />
      <CameoDetail handle={handle} />
    </HydrateClient>
  );
}
