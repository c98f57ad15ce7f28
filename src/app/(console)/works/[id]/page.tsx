import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui";
import { WorkDetail } from "@/components/works/work-detail";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function WorkPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> }) {
  await requireRole("rights_holder", "admin");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const { created } = await searchParams;
  await prefetch(trpc.works.byId.queryOptions({ id }));
  return (
    <HydrateClient>
      <PageHeader title="Work" subtitle={<Link href="/works" className="underline">← All works</Link>} />
      <WorkDetail id={id} justCreated={created === "1"} />
    </HydrateClient>
  );
}
