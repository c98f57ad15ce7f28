/** A video generation engine as Clearance sees it: an approved request in, media bytes out. */
export interface EngineRequest {
  renderId: string;
  prompt: string;
}

export interface EngineOutput {
  bytes: Uint8Array;
  mimeType: "video/mp4" | "image/png" | "image/jpeg";
}

export interface RenderEngine {
  name: string;
  generate(request: EngineRequest, signal?: AbortSignal): Promise<EngineOutput>;
}
