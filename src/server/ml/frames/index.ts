/** Frame sampling for the post-render gate: validate media, then a bounded set of small RGB frames. */
export { MediaError, type MediaErrorCode, isMediaError } from "./errors";
export { type MediaType, detectType, imageHeaderDims, jpegDims, normaliseClaim, pngDims, sniffType } from "./sniff";
export { type VideoProbe, parseProbe, probeVideo } from "./probe";
export { type FrameReason, type SamplingPlan, boundFrames, classifyFrames, fitLongSide, planSampling } from "./plan";
export { SAMPLE_DEFAULTS, type SampleOptions, type SampledFrame, type SampledMedia, sampleFrames } from "./sampler";
export { type ThumbnailOptions, frameThumbnailJpeg } from "./thumbnail";
export { ProcessTimeoutError } from "./process";
