/** Who acts in the moderation services: a signed-in console user. */
import type { Actor } from "../audit/log";
import type { Role } from "../db/schema";

export interface Person {
  id: string;
  email: string;
  role: Role;
}

export const actorOf = (person: Person): Actor => ({ userId: person.id, label: person.email || person.id });

export const DEFAULT_LEASE_MINUTES = 15;
