import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md p-10 text-center">
      <h1 className="text-xl font-semibold">Not for your role</h1>
      <p className="mt-2 text-slate-600">This workspace belongs to another role. Your own workspaces are in the navigation.</p>
      <Link href="/" className="mt-4 inline-block text-blue-700 underline">Back to my console</Link>
    </main>
  );
}
