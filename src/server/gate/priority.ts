/**
 * Queue priority of a held render: anything involving minors or a real person's likeness first.
 * The highest priority among the reasons wins.
 */
import { REASON_PRIORITY, slaHoursForPriority } from "../policy/defaults";
import type { Reason } from "./types";

export interface PriorityInput {
  reasons: readonly Reason[];
  /** Category key → priority, from the classifier categories table. */
  categoryPriority: ReadonlyMap<string, number>;
}

export interface HoldPlacement {
  priority: number;
  reason: Reason;
  slaDueAt: Date;
}

export function placeInQueue({ reasons, categoryPriority }: PriorityInput, now = new Date()): HoldPlacement {
  let best: { priority: number; reason: Reason } | undefined;
  for (const reason of reasons) {
    const priority = Math.max(
      reason.category ? (categoryPriority.get(reason.category) ?? 50) : 0,
      REASON_PRIORITY[reason.code] ?? 20,
    );
    if (!best || priority > best.priority) best = { priority, reason };
  }
  const chosen = best ?? { priority: 20, reason: { code: "review", message: "Held for review" } };
  return { ...chosen, slaDueAt: new Date(now.getTime() + slaHoursForPriority(chosen.priority) * 3_600_000) };
}
