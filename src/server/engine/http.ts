/**
 * Adapter for a real engine behind HTTP: POST {renderId, prompt} as JSON to the configured URL and read
 * the media from the response body. (An engine that renders asynchronously instead posts its output to
 * POST /api/v1/renders/{id}/output itself; then no adapter is needed at all.)
 */
import { outboundRequest, outboundUrlProblem } from "../http/outbound";
import type { EngineOutput, EngineRequest, RenderEngine } from "./types";

const ACCEPTED = new Set(["video/mp4", "image/png", "image/jpeg"]);

export class HttpEngine implements RenderEngine {
  readonly name: string;

  constructor(
    private readonly url: string,
    private readonly options: { timeoutMs?: number; maxBytes: number },
  ) {
    // Refused at configuration as well as at each call (which also checks what the host resolves to).
    const problem = outboundUrlProblem(url);
    if (problem) throw new Error(`CLEARANCE_ENGINE_URL ${problem}`);
    this.name = `http-engine (${new URL(url).host})`;
  }

  async generate(request: EngineRequest, signal?: AbortSignal): Promise<EngineOutput> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10 * 60_000);
    // Connects to the address vetted just now, follows no redirect, and stops reading past the media cap.
    const res = await outboundRequest(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      maxResponseBytes: this.options.maxBytes,
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`engine answered ${res.status}`);
    const mimeType = String(res.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (!ACCEPTED.has(mimeType)) throw new Error(`engine returned unsupported type ${mimeType || "(none)"}`);
    const bytes = res.body;
    return { bytes, mimeType: mimeType as EngineOutput["mimeType"] };
  }
}
