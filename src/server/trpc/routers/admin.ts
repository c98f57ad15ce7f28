import { asc } from "drizzle-orm";
import { users } from "../../db/schema";
import { adminProcedure, router } from "../init";

export const adminRouter = router({
  users: adminProcedure.query(({ ctx }) =>
    ctx.db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, externalId: users.externalId, createdAt: users.createdAt, disabledAt: users.disabledAt })
      .from(users)
      .orderBy(asc(users.role), asc(users.name))
      .limit(500),
  ),
});
