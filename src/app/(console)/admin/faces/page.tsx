import { Faces } from "@/components/admin/faces";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function FacesPage() {
  await requireRole("admin");
  return <Faces />;
}
