import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui";
import { RenderDetail } from "@/components/renders/render-detail";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function RenderPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole("creator", "moderator", "admin");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const isCreator = user.role === "creator";
  await Promise.all([
    prefetch(trpc.renders.byId.queryOptions({ id })),
    // The creator's own panels (appeal, notices against the render) beside it.
    ...(isCreator ? [prefetch(trpc.appeals.mine.queryOptions()), prefetch(trpc.appeals.appealable.queryOptions()), prefetch(trpc.notices.againstMe.queryOptions())] : []),
  ]);
  return (
    <HydrateClient>
      <PageHeader title="Render" subtitle={isCreator ? <Link href="/renders" className="underline">← My renders</Link> : <span className="font-mono text-xs">{id}</span>} />
      <RenderDetail id={id} isCreator={isCreator} />
    </HydrateClient>
  );
}
