import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { NewRender } from "@/components/renders/new-render";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function NewRenderPage() {
  await requireRole("creator", "admin");
  return (
    <>
      <PageHeader title="New render" subtitle={<Link href="/renders" className="underline">← My renders</Link>} />
      <NewRender />
    </>
  );
}
