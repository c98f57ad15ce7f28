import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui";
import { RenderDetail } from "@/components/renders/render-detail";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function RenderPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole("creator", "moderator", "admin");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  return (
    <>
      <PageHeader title="Render" subtitle={user.role === "creator" ? <Link href="/renders" className="underline">← My renders</Link> : <span className="font-mono text-xs">{id}</span>} />
      <RenderDetail id={id} isCreator={user.role === "creator"} />
    </>
  );
}
