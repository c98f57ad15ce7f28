/**
 * Serves the platform API over real HTTP for tests: a tiny Node server that turns each request into a
 * WHATWG Request and hands it to the exported method handlers of the Next.js route module (the same code
 * `next start` runs), streaming the body in both directions. No Next.js build needed, so tests stay fast.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as apiRoute from "@/app/api/v1/[...path]/route";

type Handler = (req: Request) => Promise<Response>;
const handlers: Record<string, Handler | undefined> = {
  GET: apiRoute.GET,
  POST: apiRoute.POST,
  PUT: apiRoute.PUT,
  PATCH: apiRoute.PATCH,
  DELETE: apiRoute.DELETE,
};

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The request body as a web stream with backpressure. On cancel (a handler stopped reading, e.g. at the
 * size cap) the rest is discarded as it arrives rather than buffered; unlike Readable.toWeb, late chunks
 * after a cancel never touch the closed controller.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on("end", () => {
        if (!finished) controller.close();
        finished = true;
      });
      req.on("error", (error) => {
        if (!finished) controller.error(error);
        finished = true;
      });
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      finished = true;
      req.resume();
    },
  }, { highWaterMark: 4 });
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? bodyStream(req) : undefined,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  }
  res.end();
}

export async function startApiServer(): Promise<TestServer> {
  let origin = "";
  const server = createServer((req, res) => {
    const handler = handlers[req.method ?? ""];
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    const work =
      !pathname.startsWith("/api/v1/") || !handler
        ? Promise.resolve(new Response(null, { status: pathname.startsWith("/api/v1/") ? 405 : 404 }))
        : handler(toRequest(req, origin));
    work
      .then((response) => send(res, response))
      .catch((error: unknown) => {
        console.error(error);
        res.statusCode = 500;
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
