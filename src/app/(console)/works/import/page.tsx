import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { BulkImport } from "@/components/works/bulk-import";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function ImportWorksPage() {
  const user = await requireRole("rights_holder", "admin");
  return (
    <>
      <PageHeader title="Import works" subtitle={<Link href="/works" className="underline">← All works</Link>} />
      <BulkImport isAdmin={user.role === "admin"} />
    </>
  );
}
