import { HashLists } from "@/components/admin/hash-lists";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function HashListsPage() {
  await requireRole("admin");
  return <HashLists />;
}
