/** Who acts in the moderation services: a signed-in console user. */
import type { Role } from "../db/schema";

export interface Person {
  id: string;
  email: string;
  role: Role;
}

export const DEFAULT_LEASE_MINUTES = 15;
