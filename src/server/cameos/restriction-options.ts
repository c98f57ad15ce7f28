/**
 * The restriction checkboxes a cameo owner sees: the consent stage's own vocabulary (gate/consent), so what
 * the owner ticks is exactly what the gate enforces.
 */
import { RESTRICTION_KEYS, RESTRICTIONS } from "./restrictions";

export const RESTRICTION_CHOICES: { key: string; label: string; help: string }[] = RESTRICTION_KEYS.map((key) => {
  const label = RESTRICTIONS[key].label;
  return { key, label: `No ${label}`, help: RESTRICTIONS[key].help };
});
