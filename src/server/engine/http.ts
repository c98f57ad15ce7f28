/**
 * Adapter for a real engine behind HTTP: POST {renderId, prompt} as JSON to the configured URL and read
 * the media from the response body. (An engine that renders asynchronously instead posts its output to
 * POST /api/v1/renders/{id}/output itself; then no adapter is needed at all.)
 */
import type { EngineOutput, EngineRequest, RenderEngine } from "./types";

const ACCEPTED = new Set(["video/mp4", "image/png", "image/jpeg"]);

export class HttpEngine implements RenderEngine {
  readonly name: string;

  constructor(
    private readonly url: string,
    private readonly options: { timeoutMs?: number; maxBytes?: number } = {},
  ) {
    this.name = `http-engine (${new URL(url).host})`;
  }

  async generate(request: EngineRequest, signal?: AbortSignal): Promise<EngineOutput> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10 * 60_000);
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!res.ok) throw new Error(`engine answered ${res.status}`);
    const mimeType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    if (!ACCEPTED.has(mimeType)) throw new Error(`engine returned unsupported type ${mimeType || "(none)"}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (this.options.maxBytes && bytes.byteLength > this.options.maxBytes) throw new Error("engine output too large");
    return { bytes, mimeType: mimeType as EngineOutput["mimeType"] };
  }
}
