/** Runs once before the whole suite: builds the database template every test file clones. */
import { prepareTemplate } from "./db";

export default async function setup(): Promise<void> {
  await prepareTemplate();
}
