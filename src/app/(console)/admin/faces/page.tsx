import { Faces } from "@/components/admin/faces";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function FacesPage() {
  await requireRole("admin");
  await Promise.all([prefetch(trpc.admin.heldEnrollments.list.queryOptions()), prefetch(trpc.admin.protectedFaces.list.queryOptions())]);
  return <HydrateClient><Faces /></HydrateClient>;
}
