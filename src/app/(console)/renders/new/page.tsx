import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { NewRender } from "@/components/renders/new-render";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function NewRenderPage() {
  const user = await requireRole("creator", "admin");
  // The cameos a creator may mention, listed beside the prompt (creators only have cameos to use).
  if (user.role === "creator") await prefetch(trpc.cameos.usable.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title="New render" subtitle={<Link href="/renders" className="underline">← My renders</Link>} />
      <NewRender />
    </HydrateClient>
  );
}
