import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth";
import { homeFor } from "@/server/auth/guard";

export default async function Home() {
  const user = await currentUser();
  redirect(user ? homeFor(user.role) : "/signin");
}
