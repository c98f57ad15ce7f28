/**
 * The platform REST API (/api/v1/…): one catch-all handler dispatching through the route table in ../_routes,
 * so routing, scopes and the OpenAPI document come from one list (and `works:bulk` is just a literal segment).
 */
import { handleApiRequest } from "../_routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handler = (req: Request) => handleApiRequest(req);
export { handler as DELETE, handler as GET, handler as PATCH, handler as POST, handler as PUT };
