import type { Actor } from "../audit/log";

/** The audit actor for a signed-in console user. */
export const actorOf = (user: { id: string; email: string }): Actor => ({ userId: user.id, label: user.email });
