import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { FileNotice } from "@/components/works/notices";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function NewNoticePage({ searchParams }: { searchParams: Promise<{ renderId?: string }> }) {
  await requireRole("rights_holder");
  const { renderId } = await searchParams;
  await prefetch(trpc.notices.candidates.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title="File a takedown notice" subtitle={<Link href="/notices" className="underline">← Notices</Link>} />
      <FileNotice initialRenderId={renderId && /^[0-9a-f-]{36}$/i.test(renderId) ? renderId : undefined} />
    </HydrateClient>
  );
}
