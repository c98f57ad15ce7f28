import { Webhooks } from "@/components/admin/webhooks";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function WebhooksPage() {
  await requireRole("admin");
  return <Webhooks />;
}
