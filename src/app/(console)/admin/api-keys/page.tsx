import { ApiKeys } from "@/components/admin/api-keys";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  await requireRole("admin");
  return <ApiKeys />;
}
