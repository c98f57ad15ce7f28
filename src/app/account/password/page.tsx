import { formText } from "@/lib/form";
import Link from "next/link";
import { redirect } from "next/navigation";
import { DomainError } from "@/server/errors";
import { currentUser } from "@/server/auth";
import { changeOwnPassword } from "@/server/users/accounts";
import { homeFor } from "@/server/auth/guard";
import { getDb } from "@/server/db";
import { MIN_PASSWORD_LENGTH } from "@/server/auth/password";

export const dynamic = "force-dynamic";

async function changePasswordAction(formData: FormData) {
  "use server";
  const user = await currentUser();
  if (!user) redirect("/signin");
  const next = formText(formData, "next");
  if (next !== formText(formData, "confirm")) redirect(`/account/password?error=${encodeURIComponent("The two new passwords differ.")}`);
  try {
    await changeOwnPassword(await getDb(), user.id, formText(formData, "current"), next);
  } catch (error) {
    if (error instanceof DomainError) redirect(`/account/password?error=${encodeURIComponent(error.message)}`);
    throw error;
  }
  redirect("/account/password?changed=1");
}

/** Every person's own password; the only page open to someone still holding a one-time password. */
export default async function PasswordPage({ searchParams }: { searchParams: Promise<{ error?: string; changed?: string }> }) {
  const user = await currentUser();
  if (!user) redirect("/signin");
  const { error, changed } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center">
      <form action={changePasswordAction} className="w-96 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div>
          <h1 className="text-xl font-semibold">Change your password</h1>
          <p data-testid="whoami" className="text-slate-500">{user.name} · {user.email}</p>
        </div>
        {user.mustChangePassword && (
          <p role="status" data-testid="must-change" className="rounded bg-amber-50 px-3 py-2 text-amber-800">
            You signed in with a one-time password. Choose your own before using the console.
          </p>
        )}
        {changed && (
          <p role="status" data-testid="password-changed" className="rounded bg-green-50 px-3 py-2 text-green-800">
            Password changed. <Link className="underline" href={homeFor(user.role)}>Continue</Link>
          </p>
        )}
        {error && <p role="alert" data-testid="password-error" className="rounded bg-red-50 px-3 py-2 text-red-700">{error}</p>}
        {[
          ["current", "Current password", "current-password"],
          ["next", `New password (at least ${MIN_PASSWORD_LENGTH} characters)`, "new-password"],
          ["confirm", "New password again", "new-password"],
        ].map(([name, label, auto]) => (
          <label key={name} className="block">
            <span className="text-sm text-slate-600">{label}</span>
            <input name={name} type="password" required autoComplete={auto} className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5" />
          </label>
        ))}
        <button type="submit" className="w-full rounded bg-slate-900 py-2 font-medium text-white hover:bg-slate-700">Change password</button>
        {!user.mustChangePassword && <Link href={homeFor(user.role)} className="block text-center text-sm underline">Back to the console</Link>}
      </form>
    </main>
  );
}
