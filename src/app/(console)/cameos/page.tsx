import { PageHeader } from "@/components/ui";
import { MyCameos } from "@/components/cameos/my-cameos";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function CameosPage() {
  await requireRole("creator");
  return (
    <>
      <PageHeader title="My cameos" subtitle="Who may put your likeness in a video, and on what terms." />
      <MyCameos />
    </>
  );
}
