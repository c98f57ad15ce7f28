/**
 * The policy Clearance ships with: categories, the concept prompts the CLIP classifiers score against, the
 * keyword terms the prompt scorer uses, thresholds and queue priority. Admins edit them in the console;
 * every edit makes a new policy version.
 *
 * promptSimilarityThreshold is unset everywhere: CLIP text-to-text cosines must be calibrated for the CLIP model
 * in use (the demo model understands only colours), so the prompt gate starts on keyword terms alone and an admin
 * turns the text tower on per category once production CLIP is installed.
 */
import type { ClassifierCategory } from "../db/schema";

export type CategoryDefaults = Omit<ClassifierCategory, "updatedAt">;

export const DEFAULT_CATEGORIES: CategoryDefaults[] = [
  {
    key: "sexual_minors",
    label: "Sexual content involving minors",
    appliesTo: "both",
    prompts: ["a sexual image of a child", "a child in a sexualised pose", "underage nudity"],
    terms: ["underage sex", "child porn", "cp video", "loli", "shota", "preteen nude"],
    threshold: 0.2,
    specialCareThreshold: 0.15,
    promptSimilarityThreshold: null,
    action: "block",
    priority: 100,
    enabled: true,
  },
  {
    key: "sexual",
    label: "Sexual content",
    appliesTo: "both",
    prompts: ["a pornographic image", "explicit sexual activity", "a nude person"],
    terms: ["porn", "nude", "naked", "sex scene", "nsfw", "explicit"],
    threshold: 0.3,
    specialCareThreshold: 0.2,
    promptSimilarityThreshold: null,
    action: "review",
    priority: 50,
    enabled: true,
  },
  {
    key: "graphic_violence",
    label: "Graphic violence",
    appliesTo: "both",
    prompts: ["a gory image with blood", "a person being killed", "a mutilated body"],
    terms: ["gore", "beheading", "decapitated", "dismembered", "massacre", "bloodbath"],
    threshold: 0.3,
    specialCareThreshold: 0.22,
    promptSimilarityThreshold: null,
    action: "review",
    priority: 60,
    enabled: true,
  },
  {
    key: "self_harm",
    label: "Self-harm",
    appliesTo: "both",
    prompts: ["a person cutting themselves", "a suicide scene"],
    terms: ["suicide", "self harm", "self-harm", "cutting myself", "kill myself"],
    threshold: 0.3,
    specialCareThreshold: 0.22,
    promptSimilarityThreshold: null,
    action: "review",
    priority: 70,
    enabled: true,
  },
  {
    key: "hate_symbols",
    label: "Hate symbols",
    appliesTo: "both",
    prompts: ["a swastika flag", "a burning cross", "a hate symbol"],
    terms: ["swastika", "white power", "kkk", "sieg heil"],
    threshold: 0.3,
    specialCareThreshold: 0.25,
    promptSimilarityThreshold: null,
    action: "review",
    priority: 60,
    enabled: true,
  },
  {
    key: "extremism",
    label: "Violent extremism",
    appliesTo: "both",
    prompts: ["a terrorist propaganda video", "an isis flag", "a mass shooting"],
    terms: ["isis", "jihad propaganda", "mass shooting", "school shooting", "bomb making"],
    threshold: 0.3,
    specialCareThreshold: 0.22,
    promptSimilarityThreshold: null,
    action: "review",
    priority: 70,
    enabled: true,
  },
  {
    key: "real_person_deception",
    label: "Deceptive depiction of a real person",
    appliesTo: "both",
    prompts: ["a fake news broadcast of a politician", "a politician confessing to a crime"],
    terms: ["deepfake", "fake confession", "fake news", "election fraud"],
    threshold: 0.3,
    specialCareThreshold: 0.2,
    promptSimilarityThreshold: null,
    action: "review",
    priority: 80,
    enabled: true,
  },
];

/** Queue priority for reasons that are not a classifier category: likeness of a real person comes first. */
export const REASON_PRIORITY: Record<string, number> = {
  known_hash_match: 95,
  likeness_without_consent: 90,
  real_person_unregistered: 85,
  // Age is an estimate, but anything that might involve a minor is looked at first.
  apparent_minor: 96,
  likeness_ambiguous: 85,
  protected_person: 90,
  likeness_unchecked: 30,
  ip_image_match: 45,
  ip_work_match: 40,
  stage_error: 30,
  stage_timeout: 30,
  model_unavailable: 30,
  media_invalid: 30,
  signing_failed: 30,
  takedown_notice: 55,
  counter_notice: 55,
};

/** Hours until a held item's SLA is breached, by priority band. */
export function slaHoursForPriority(priority: number): number {
  if (priority >= 90) return 1;
  if (priority >= 70) return 4;
  if (priority >= 50) return 12;
  return 24;
}

/**
 * Categories whose media the review workspace blurs (and greys) until the reviewer unblurs it with "b": the
 * wellness default of T&S tools for the most distressing material.
 */
export const BLUR_BY_DEFAULT_CATEGORIES: ReadonlySet<string> = new Set(["sexual_minors", "sexual", "graphic_violence", "self_harm", "extremism"]);
