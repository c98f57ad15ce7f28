/**
 * next-auth (Auth.js v5): email + password against our users table, JWT sessions carrying id and role
 * (the credentials provider requires JWT sessions).
 */
import type { NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "../db";
import type { Role } from "../db/schema";
import { checkCredentials } from "./credentials";

const signInInput = z.object({ email: z.string().email().max(254), password: z.string().min(1).max(200) });

export const authConfig = {
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 3600 },
  pages: { signIn: "/signin" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) return null;
        return checkCredentials(await getDb(), parsed.data.email, parsed.data.password);
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = (user as { role?: Role }).role;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = String(token.uid ?? "");
      (session.user as { role?: Role }).role = token.role as Role | undefined;
      return session;
    },
  },
} satisfies NextAuthConfig;
