import { PageHeader } from "@/components/ui";
import { MyRenders } from "@/components/renders/my-renders";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function MyRendersPage() {
  await requireRole("creator", "admin");
  // The same input MyRenders starts with (filter "All").
  await prefetch(trpc.renders.mine.queryOptions({ limit: 200 }));
  return (
    <HydrateClient>
      <PageHeader title="My renders" subtitle="Every video you asked for, what the gate decided and why." />
      <MyRenders />
    </HydrateClient>
  );
}
