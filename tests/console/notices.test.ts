import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_WORKS } from "@/server/db/seed";
import { gateDecisions, renders } from "@/server/db/schema";
import { callerAs, demoUser } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { codeOf } from "./helpers";

const leaf = demoUser("rights@leafstudio.test");
const pocket = demoUser("rights@pocketmonsters.test");
const ava = demoUser("ava@creator.test");
const ben = demoUser("ben@creator.test");
const naruto = DEMO_WORKS.find((w) => w.title === "Naruto")!;
const pokemon = DEMO_WORKS.find((w) => w.title === "Pokémon")!;

const sworn = "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.";

let database: TestDatabase;
let renderId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  const [r] = await database.db.insert(renders).values({ requesterId: ava.id, prompt: "Naruto surfing", status: "released", releasedAt: new Date() }).returning();
  renderId = r!.id;
  await database.db.insert(gateDecisions).values({
    renderId,
    stage: "ip_text",
    phase: "pre",
    verdict: "allow",
    evidence: { matches: [{ workId: naruto.id, workTitle: "Naruto", alias: "Naruto", matchedText: "Naruto", start: 0, end: 6, policy: "allow", technique: "exact" }] },
    version: "test",
  });
});
afterAll(async () => database?.close());

describe("takedown notices, as the console uses them", () => {
  it("offers only released renders that matched the holder's own works", async () => {
    const leafCandidates = await callerAs(database.db, leaf).notices.candidates();
    expect(leafCandidates.map((c) => [c.renderId, c.workId])).toContainEqual([renderId, naruto.id]);
    const pocketCandidates = await callerAs(database.db, pocket).notices.candidates();
    expect(pocketCandidates.some((c) => c.renderId === renderId)).toBe(false);
  });

  it("keeps each holder's notices to themselves", async () => {
    const filed = await callerAs(database.db, leaf).notices.file({ renderId, workId: naruto.id, contact: "Legal, Hidden Leaf Studio, legal@leafstudio.test", swornStatement: sworn });
    expect(filed.status).toBe("received");
    expect(filed.dueAt).toBeInstanceOf(Date);

    const mine = await callerAs(database.db, leaf).notices.mine();
    expect(mine.map((n) => n.id)).toContain(filed.id);
    expect((await callerAs(database.db, pocket).notices.mine()).some((n) => n.id === filed.id)).toBe(false);
    // Another holder cannot file with a work that is not theirs, nor act on the notice.
    expect(await codeOf(callerAs(database.db, pocket).notices.file({ renderId, workId: naruto.id, contact: "x", swornStatement: sworn }))).toBe("NOT_FOUND");
    expect(await codeOf(callerAs(database.db, pocket).notices.courtAction({ id: filed.id }))).toBe("NOT_FOUND");
    // A creator cannot file notices; the render's creator sees it (without the sworn statement), others do not.
    expect(await codeOf(callerAs(database.db, ben).notices.file({ renderId, workId: pokemon.id, contact: "x", swornStatement: sworn }))).toBe("FORBIDDEN");
    const against = await callerAs(database.db, ava).notices.againstMe();
    expect(against.map((n) => n.id)).toContain(filed.id);
    expect(JSON.stringify(against)).not.toContain(sworn);
    expect((await callerAs(database.db, ben).notices.againstMe()).some((n) => n.id === filed.id)).toBe(false);
  });
});
