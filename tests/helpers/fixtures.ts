import { existsSync } from "node:fs";
import path from "node:path";

/** Third-party test data lives beside the repository, never inside it (see the README in each fixtures folder). */
export const fixturesDir = path.resolve(import.meta.dirname, "../../../shared/fixtures");
export const haveFixtures = existsSync(fixturesDir);
export const fixture = (...parts: string[]) => path.join(fixturesDir, ...parts);
/** Reason printed when a fixture-backed suite is skipped in a clone without ../shared. */
export const noFixturesReason = `skipped: ${fixturesDir} not found (third-party fixtures live in ../shared/fixtures)`;
