import { SignerStatus } from "@/components/admin/signer-status";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function SigningPage() {
  await requireRole("admin");
  const status = await (await serverApi()).admin.signer();
  return <SignerStatus status={status} />;
}
