/**
 * The render status machine. Every move goes through `transition`, a conditional UPDATE that only succeeds
 * from the status (or statuses) the caller expects — so two workers, or a worker and a moderator, can never
 * both release a render, and a render removed while its release was being signed stays removed.
 */
import { DomainError } from "../errors";
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { renders, type Render, type RenderStatus } from "../db/schema";

export const TRANSITIONS: Record<RenderStatus, readonly RenderStatus[]> = {
  requested: ["approved", "blocked", "held"],
  approved: ["generating", "post_gate", "blocked", "held"],
  generating: ["post_gate", "held", "blocked"],
  post_gate: ["released", "held", "blocked"],
  // A moderator's approval of a pre-render hold lets the engine render; of a post-render hold releases it.
  held: ["approved", "released", "blocked", "taken_down"],
  released: ["taken_down"],
  // Appeal reversals and restored counter-notices.
  blocked: ["approved", "released", "held"],
  taken_down: ["released", "held"],
};

export const canMove = (from: RenderStatus, to: RenderStatus) => TRANSITIONS[from].includes(to);

/** A move the render's current status does not allow (a conflict), or a render that does not exist. */
export class TransitionError extends DomainError {
  constructor(
    readonly renderId: string,
    readonly to: RenderStatus,
    readonly actual: RenderStatus | null,
  ) {
    super(actual === null ? "not_found" : "conflict", actual === null ? `render ${renderId} not found` : `render ${renderId} cannot move from ${actual} to ${to}`);
    this.name = "TransitionError";
  }
}

export interface Move {
  /** The status the caller saw and acts on: the move fails if the render has left it since. */
  from: RenderStatus | readonly RenderStatus[];
  to: RenderStatus;
}

/**
 * Moves a render from the expected status to `to`, if (and only if) it is still in that status. Naming the
 * source is mandatory: "from anything allowed" is how a taken-down render used to come back when a release
 * that started before the takedown finished after it.
 */
export async function transition(
  db: DbOrTx,
  renderId: string,
  move: Move,
  patch: Partial<Pick<Render, "verdict" | "policyVersion" | "decidedAt" | "outputAt" | "releasedAt" | "takenDownAt" | "releasedVia" | "signedMediaId" | "signedSha256" | "outputMediaId">> = {},
): Promise<{ from: RenderStatus; render: Render }> {
  const { to } = move;
  const from = (typeof move.from === "string" ? [move.from] : [...move.from]);
  const illegal = from.filter((s) => !canMove(s, to));
  if (illegal.length > 0 || from.length === 0) throw new Error(`no move from ${illegal.join(", ") || "nothing"} to ${to}`);
  const [current] = await db.select({ status: renders.status }).from(renders).where(eq(renders.id, renderId));
  const [render] = await db
    .update(renders)
    .set({ ...patch, status: to, updatedAt: new Date() })
    .where(and(eq(renders.id, renderId), inArray(renders.status, from)))
    .returning();
  if (!render || !current) throw new TransitionError(renderId, to, current?.status ?? null);
  return { from: current.status, render };
}
