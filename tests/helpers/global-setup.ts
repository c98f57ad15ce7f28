/** Runs once before the whole suite. Later stages (models, database template) hook in here. */
export default async function setup(): Promise<void> {}
