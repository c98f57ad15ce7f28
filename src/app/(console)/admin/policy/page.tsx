import { PolicyEditor } from "@/components/admin/policy-editor";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function PolicyPage() {
  await requireRole("admin");
  return <PolicyEditor />;
}
