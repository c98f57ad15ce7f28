/** Server components call procedures directly, with the same role checks as the browser. */
import { cache } from "react";
import { createRequestContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

export const serverApi = cache(async () => createCaller(await createRequestContext()));
