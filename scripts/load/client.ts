/** The HTTP calls the scenarios make besides the load itself: the REST render flow and a console sign-in. */

export interface Api {
  baseUrl: string;
  key: string;
}

const bearer = (api: Api, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${api.key}`, ...extra });

async function ok<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface RenderState {
  id: string;
  status: string;
}

export async function createRender(api: Api, prompt: string, requester = "load-user"): Promise<RenderState> {
  const res = await fetch(`${api.baseUrl}/api/v1/renders`, {
    method: "POST",
    headers: bearer(api, { "content-type": "application/json" }),
    body: JSON.stringify({ prompt, requester }),
  });
  return ok<RenderState>(res, "POST /renders");
}

export async function submitOutput(api: Api, id: string, bytes: Uint8Array): Promise<RenderState> {
  const res = await fetch(`${api.baseUrl}/api/v1/renders/${id}/output`, {
    method: "POST",
    headers: bearer(api, { "content-type": "video/mp4" }),
    body: new Uint8Array(bytes),
  });
  return ok<RenderState>(res, "POST /renders/{id}/output");
}

export const getRender = async (api: Api, id: string) => ok<RenderState>(await fetch(`${api.baseUrl}/api/v1/renders/${id}`, { headers: bearer(api) }), "GET /renders/{id}");

export async function getMedia(api: Api, id: string): Promise<Uint8Array> {
  const res = await fetch(`${api.baseUrl}/api/v1/renders/${id}/media`, { headers: bearer(api) });
  if (!res.ok) throw new Error(`GET /renders/{id}/media: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Polls a render until it leaves the post-render gate, or fails at the deadline. */
export async function settled(api: Api, id: string, timeoutMs: number): Promise<RenderState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const render = await getRender(api, id);
    if (!["post_gate", "approved", "generating", "requested"].includes(render.status)) return render;
    if (Date.now() > deadline) throw new Error(`render ${id} still ${render.status} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Signs a demo account in through next-auth's credentials callback; returns the Cookie header of its session. */
export async function signIn(baseUrl: string, email: string, password = "clearance-demo"): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (setCookies: string[]) => {
    for (const c of setCookies) {
      const pair = c.split(";")[0]!;
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  keep(csrf.headers.getSetCookie());
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken }),
  });
  keep(res.headers.getSetCookie());
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in as ${email} failed (${res.status} ${res.headers.get("location")})`);
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}
