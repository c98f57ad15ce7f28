import Link from "next/link";
import { VerifyPanel } from "@/components/verify/verify-panel";
import { currentUser } from "@/server/auth";
import { homeFor } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

/** Public: anyone can check a file's Content Credentials. Signed-in people get links to records they may see. */
export default async function VerifyPage() {
  const user = await currentUser();
  return (
    <main className="mx-auto max-w-4xl p-8">
      <div className="mb-6 flex items-end justify-between">
        <div>
          <h1 className="text-xl font-semibold">Verify a file</h1>
          <p className="mt-1 text-slate-600">Does this video or image carry Content Credentials, who signed them, and did it pass Clearance's gate?</p>
        </div>
        {user ? <Link href={homeFor(user.role)} className="text-sm text-blue-800 underline">Back to the console</Link> : <Link href="/signin" className="text-sm text-blue-800 underline">Sign in</Link>}
      </div>
      <VerifyPanel signedIn={!!user} />
    </main>
  );
}
