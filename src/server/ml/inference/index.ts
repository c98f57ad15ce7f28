export * from "./types";
export { OnnxRuntimeBackend, cudaProviderInstalled } from "./onnxruntime";
export { KServeBackend, type KServeBackendOptions } from "./kserve";
export { type InferenceConfig, InferenceConfigError, createInferenceBackend, defaultInferenceBackend, inferenceConfigFromEnv, inferenceStatus } from "./config";
export { type BatchedRun, maxBatchFor, runBatched, stackBatch, unstackRows } from "./batch";
