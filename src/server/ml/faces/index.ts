export { type FaceBox, type Point } from "./blazeface";
export { type DetectOptions, type DetectedFace, detectFaces } from "./detect";
export { EMBEDDING_DIM, EMBEDDER_MODEL_ID, embedFace, embedFaces } from "./embed";
export { enrollFromFrames } from "./enroll";
export { ENROLLMENT_CRITERIA, type EnrollmentReport, type FrameObservation, evaluateEnrollment } from "./enroll-rules";
export { type RgbImage, decodeImage } from "./image";
export { type CameoEmbedding, type FaceMatch, LIKENESS_THRESHOLD, cosineSimilarity, l2Normalize, matchFaces, meanEmbedding } from "./similarity";
