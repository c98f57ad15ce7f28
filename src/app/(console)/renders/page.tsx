import { PageHeader } from "@/components/ui";
import { MyRenders } from "@/components/renders/my-renders";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function MyRendersPage() {
  await requireRole("creator", "admin");
  return (
    <>
      <PageHeader title="My renders" subtitle="Every video you asked for, what the gate decided and why." />
      <MyRenders />
    </>
  );
}
