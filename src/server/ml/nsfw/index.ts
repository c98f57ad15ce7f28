export { NSFW_CLASSES, NSFW_MODEL_ID, type NsfwClass, type NsfwScores, classifyFrames, topClass } from "./classify";
export { NSFW_SIZE, nsfwInput } from "./preprocess";
