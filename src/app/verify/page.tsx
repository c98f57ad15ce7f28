export default function VerifyPage() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-xl font-semibold">Verify a file</h1>
      <p className="mt-2 text-slate-600">Check whether a video or image carries Content Credentials from Clearance.</p>
    </main>
  );
}
