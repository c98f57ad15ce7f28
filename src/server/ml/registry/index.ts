export { type ModelEntry, type ModelManifest, loadManifest, mergeOverlay, modelsDir, parseManifest, repoManifestPath } from "./manifest";
export { type ModelState, type ModelStatus, checkModels, sha256 } from "./check";
export { type LoadedModel, ModelUnavailableError, floatOutput, loadModel, readVerifiedModel, unloadModels } from "./load";
