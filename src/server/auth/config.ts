/**
 * next-auth (Auth.js v5): email + password against our users table, JWT sessions carrying id and role
 * (the credentials provider requires JWT sessions). Sign-in is throttled per account and per client
 * (credentials.ts); trustHost and Secure cookies come from configuration (auth-settings.ts).
 */
import type { NextAuthConfig } from "next-auth";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "../db";
import type { Role } from "../db/schema";
import { clientAddress } from "../http/client-address";
import { peerAddress } from "../http/peer-address";
import { authSettings } from "./auth-settings";
import { attemptSignIn } from "./credentials";

const signInInput = z.object({ email: z.string().email().max(254), password: z.string().min(1).max(200) });

/** Too many failures for this account or from this client; `code` carries the wait to the sign-in page. */
export class ThrottledSignIn extends CredentialsSignin {
  constructor(retryAfterSec: number) {
    super();
    this.code = `throttled_${retryAfterSec}`;
  }
}

const settings = authSettings();

export const authConfig = {
  trustHost: settings.trustHost,
  ...(settings.secureCookies === undefined ? {} : { useSecureCookies: settings.secureCookies }),
  session: { strategy: "jwt", maxAge: 12 * 3600 },
  pages: { signIn: "/signin" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) return null;
        const headers = request?.headers;
        const client = clientAddress(headers, peerAddress(headers));
        const result = await attemptSignIn(await getDb(), parsed.data.email, parsed.data.password, client);
        if (result.ok) return result.user;
        if (result.reason === "throttled") throw new ThrottledSignIn(result.retryAfterSec);
        return null;
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
      session.user.id = typeof token.uid === "string" ? token.uid : "";
      (session.user as { role?: Role }).role = token.role as Role | undefined;
      return session;
    },
  },
} satisfies NextAuthConfig;
