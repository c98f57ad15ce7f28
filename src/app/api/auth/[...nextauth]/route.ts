import type { NextRequest } from "next/server";
import { handlers } from "@/server/auth";
import { boundedAuthPost } from "@/server/auth/bounded-post";

export const { GET } = handlers;

// Auth.js would read any POST body whole: bounded first (server/auth/bounded-post.ts).
export const POST = (req: NextRequest) => boundedAuthPost(req, handlers.POST);
