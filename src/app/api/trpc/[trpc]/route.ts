import { createRequestContext } from "@/server/trpc/context";
import { trpcHttpHandler } from "@/server/trpc/http";

export const runtime = "nodejs";

const handler = (req: Request) => trpcHttpHandler(req, () => createRequestContext({ req }));

export { handler as GET, handler as POST };
