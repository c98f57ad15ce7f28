/**
 * tRPC building blocks: the context (database + signed-in user), and the three kinds of procedure every
 * router is built from. A wrong role gets FORBIDDEN, no session gets UNAUTHORIZED — never data.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Db } from "../db/client";
import { DomainError } from "../errors";
import { toTRPCError } from "./errors";
import type { Role } from "../db/schema";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Signed in with a one-time password: nothing but choosing a new one until then. */
  mustChangePassword?: boolean;
}

export interface Context {
  db: Db;
  user: SessionUser | null;
  /** The HTTP request's headers, when there is a request (not for server components or tests' callers). */
  headers?: Headers;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: { ...shape.data, zodError: error.cause instanceof ZodError ? error.cause.flatten() : null },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure reports a service's DomainError with its own tRPC code (trpc/errors.ts), never as a 500. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) throw toTRPCError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

/** Signed in, even with a one-time password still to replace: only for changing that password. */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const protectedProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.user.mustChangePassword) throw new TRPCError({ code: "FORBIDDEN", message: "Choose a new password first (Account → Password)." });
  return next({ ctx });
});

/** A procedure only the given roles may call. Admins are not implicitly allowed: say so where they are. */
export function roleProcedure(...roles: Role[]) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.user.role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${roles.join(" or ")} role.` });
    }
    return next({ ctx });
  });
}

export const moderatorProcedure = roleProcedure("moderator", "admin");
export const rightsHolderProcedure = roleProcedure("rights_holder", "admin");
export const creatorProcedure = roleProcedure("creator", "admin");
export const adminProcedure = roleProcedure("admin");
