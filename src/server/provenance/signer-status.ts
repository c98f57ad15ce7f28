/** The signing certificate as the admin page shows it, from the process-wide provenance service. */
import { provenance } from "./instance";

/** The signing certificate's public facts, or why there is none. Never key material. */
export async function signerStatus() {
  try {
    const p = await provenance();
    return { ok: true as const, backend: p.backend, signer: p.describeSigner() };
  } catch (error) {
    return { ok: false as const, error: error instanceof Error ? error.message : String(error) };
  }
}
