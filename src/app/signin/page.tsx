import { formText } from "@/lib/form";
import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { eq } from "drizzle-orm";
import { signIn } from "@/server/auth";
import { homeFor } from "@/server/auth/guard";
import { getDb } from "@/server/db";
import { demoDataPermission } from "@/server/db/demo";
import { users } from "@/server/db/schema";

async function signInAction(formData: FormData) {
  "use server";
  const email = formText(formData, "email");
  try {
    await signIn("credentials", { email, password: formText(formData, "password"), redirect: false });
  } catch (error) {
    const throttled = error instanceof CredentialsSignin ? /^throttled_(\d+)$/.exec(error.code) : null;
    if (throttled) redirect(`/signin?error=throttled&wait=${throttled[1]}`);
    if (error instanceof AuthError) redirect("/signin?error=1");
    throw error;
  }
  // Straight to the role's workspace (or first to a new password): one redirect, not two.
  const [user] = await (await getDb())
    .select({ role: users.role, mustChangePassword: users.mustChangePassword })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()));
  redirect(!user ? "/" : user.mustChangePassword ? "/account/password" : homeFor(user.role));
}

function waitInWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; wait?: string }> }) {
  const { error, wait } = await searchParams;
  const waitSec = Math.max(1, Math.min(3600, Number(wait) || 1));
  const showDemoHint = demoDataPermission().allowed;
  return (
    <main className="flex min-h-screen items-center justify-center">
      <form action={signInAction} className="w-80 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div>
          <h1 className="text-xl font-semibold">Clearance</h1>
          <p className="text-slate-500">Sign in to the console</p>
        </div>
        {error === "throttled" ? (
          <p role="alert" data-testid="signin-error" className="rounded bg-amber-50 px-3 py-2 text-amber-800">
            Too many failed sign-ins for this account or from your network. Try again in {waitInWords(waitSec)}; each
            further failure makes the wait longer.
          </p>
        ) : (
          error && (
            <p role="alert" data-testid="signin-error" className="rounded bg-red-50 px-3 py-2 text-red-700">
              Wrong email or password.
            </p>
          )
        )}
        <label className="block">
          <span className="text-sm text-slate-600">Email</span>
          <input name="email" type="email" required autoFocus autoComplete="username" className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="block">
          <span className="text-sm text-slate-600">Password</span>
          <input name="password" type="password" required autoComplete="current-password" className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5" />
        </label>
        <button type="submit" className="w-full rounded bg-slate-900 py-2 font-medium text-white hover:bg-slate-700">
          Sign in
        </button>
        {showDemoHint && (
          <p className="text-xs text-slate-500">
            Demo accounts are listed in the README (password <code>clearance-demo</code>).
          </p>
        )}
      </form>
    </main>
  );
}
