/**
 * The three console upload doors, apart from their route files (which may export only route fields) so tests
 * can drive them with a signed-in person: each reads the form within its type's limit and calls the tRPC
 * procedure the rest of the console uses.
 */
import { bodyLimits } from "@/server/http/limits";
import type { SessionUser } from "@/server/trpc/init";
import { json, uploadDoor } from "./shared";

/** multipart {handle, file}: the owner's enrollment video (MP4) for a pending cameo. */
export const cameoUpload = (req: Request, user: SessionUser | null) =>
  uploadDoor(req, bodyLimits().video, user, async ({ fields, file }, api) => {
    const result = await api.cameos.enroll({ handle: fields.get("handle") ?? "", video: file.bytes });
    return json(200, result);
  });

/** multipart {workId, file}: a reference image (PNG/JPEG) for one of the caller's works. */
export const referenceUpload = (req: Request, user: SessionUser | null) =>
  uploadDoor(req, bodyLimits().image, user, async ({ fields, file }, api) => {
    const result = await api.works.addReference({ workId: fields.get("workId") ?? "", bytes: file.bytes, mimeType: file.type || "application/octet-stream" });
    return json(201, result);
  });

/** multipart {name, reason, file}: a reference photo for the protected-people gallery (admins only). */
export const protectedFaceUpload = (req: Request, user: SessionUser | null) =>
  uploadDoor(req, bodyLimits().image, user, async ({ fields, file }, api) => {
    const entry = await api.admin.protectedFaces.add({ name: fields.get("name") ?? "", reason: fields.get("reason") ?? "", photo: file.bytes });
    return json(201, entry);
  });
