import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { CameoDetail } from "@/components/cameos/cameo-detail";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function CameoPage({ params }: { params: Promise<{ handle: string }> }) {
  await requireRole("creator");
  const { handle } = await params;
  return (
    <>
      <PageHeader title="My cameo" subtitle={<Link href="/cameos" className="underline">← My cameos</Link>} />
      <CameoDetail handle={decodeURIComponent(handle)} />
    </>
  );
}
