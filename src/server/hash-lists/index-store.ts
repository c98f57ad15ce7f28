/**
 * Each process's known-hash indexes, built off the request path as Meta's Hasher-Matcher-Actioner does: every list's
 * index is built from a checkpoint (the last entry id it covers, and how many entries), and swapped in whole once
 * built; renders never wait for a large build.
 *
 * When the known_hashes stage asks for the index, each enabled list is compared with what is built (its revision,
 * bumped by every import and switch). A change is planned from the checkpoint with one aggregate query: nothing to
 * index (a switch or a setting), only appends since the checkpoint (index just those rows into a new segment), or
 * anything else — deletions, or too many segments — which re-indexes the list. A build of at most `inlineMax`
 * entries is awaited: it takes well under a second, and a render after a small import is checked against it. A
 * larger one runs in the background while renders are checked against the list's previous index (marked stale in
 * the evidence); a list that has never been indexed and is too large to build inline holds renders with
 * `hash_list_indexing` until it is — fail closed, never released unchecked. Workers also refresh every few seconds
 * (startKnownHashRefresh), so a large import is usually indexed before the next render asks.
 */
import { count, eq, sql } from "drizzle-orm";
import { env } from "@/env";
import { rowsOf, type DbOrTx } from "../db/client";
import { hashListEntries, hashLists } from "../db/schema";
import {
  buildSegment,
  segmentsSize,
  type KnownHashIndex,
  type KnownHashList,
  type KnownHashListIndex,
  type KnownHashRow,
  type PendingKnownHashList,
} from "./hash-index";

export interface KnownHashStoreOptions {
  /** The largest build (entries to index) a render waits for; larger builds run in the background. */
  inlineMax: number;
  /** Segments a list may have before its next change re-indexes it as one. */
  maxSegments?: number;
  /** Entries fetched per query while building (the event loop gets a turn between pages). */
  pageSize?: number;
  log?: (line: string) => void;
}

/** What one build did: `append` indexed only the rows after the checkpoint; `full` the whole list. */
export interface KnownHashBuild {
  listId: string;
  kind: "full" | "append" | "unchanged";
  rowsIndexed: number;
  entries: number;
  revision: number;
  background: boolean;
}

interface Plan {
  kind: KnownHashBuild["kind"];
  /** Rows to index, and the id range (after, upTo] they are in. */
  rows: number;
  after: number;
  upTo: number;
  entries: number;
}

interface Build {
  plan: Plan;
  done: Promise<void>;
}

export class KnownHashIndexStore {
  private readonly built = new Map<string, KnownHashListIndex>();
  private readonly building = new Map<string, Build>();
  /** The most recent builds, newest last (for tests and logs). */
  readonly builds: KnownHashBuild[] = [];
  private readonly maxSegments: number;
  private readonly pageSize: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: DbOrTx,
    private readonly opts: KnownHashStoreOptions,
  ) {
    this.maxSegments = opts.maxSegments ?? 8;
    this.pageSize = opts.pageSize ?? 50_000;
    this.log = opts.log ?? ((line) => console.log(line));
  }

  /** The newest built index of every enabled list (starting whatever builds are due), and the lists still pending. */
  async current(): Promise<KnownHashIndex> {
    const rows = await this.db
      .select({ id: hashLists.id, name: hashLists.name, category: hashLists.category, action: hashLists.action, maxDistance: hashLists.maxDistance, matchTransforms: hashLists.matchTransforms, revision: hashLists.revision })
      .from(hashLists)
      .where(eq(hashLists.enabled, true));
    const lists: KnownHashListIndex[] = [];
    const pending: PendingKnownHashList[] = [];
    for (const { revision, ...list } of rows) {
      const ready = await this.ensure(list, revision);
      if ("pending" in ready) pending.push({ list, entries: ready.pending });
      else lists.push(ready.index);
    }
    // A list switched off or deleted is not matched, and its memory goes.
    const enabled = new Set(rows.map((r) => r.id));
    for (const id of this.built.keys()) if (!enabled.has(id)) this.built.delete(id);
    return { lists, pending, size: lists.reduce((n, l) => n + segmentsSize(l.segments), 0) };
  }

  /** Resolves once no build is running (tests; a worker shutting down). */
  async idle(): Promise<void> {
    while (this.building.size > 0) await Promise.allSettled([...this.building.values()].map((b) => b.done));
  }

  private async ensure(list: KnownHashList, revision: number): Promise<{ index: KnownHashListIndex } | { pending: number }> {
    const have = this.built.get(list.id);
    if (have && have.checkpoint.revision === revision) return { index: { ...have, list, current: true } };
    let build = this.building.get(list.id);
    if (!build) {
      const plan = await this.plan(list.id, have);
      if (plan.kind === "unchanged" && have) {
        // A switch or a setting changed, not the entries: the same segments under the new revision.
        const index = { ...have, list, checkpoint: { ...have.checkpoint, revision }, current: true };
        this.built.set(list.id, index);
        this.record({ listId: list.id, kind: "unchanged", rowsIndexed: 0, entries: plan.entries, revision, background: false });
        return { index };
      }
      build = this.startBuild(list, revision, have, plan);
    }
    if (build.plan.rows <= this.opts.inlineMax) {
      await build.done; // small: this render is checked against it
      const index = this.built.get(list.id);
      if (index) return { index: { ...index, list, current: index.checkpoint.revision === revision } };
    }
    const stale = this.built.get(list.id);
    return stale ? { index: { ...stale, list, current: false } } : { pending: build.plan.entries };
  }

  /** One aggregate query against the checkpoint: what changed since the list was last indexed. */
  private async plan(listId: string, have: KnownHashListIndex | undefined): Promise<Plan> {
    const checkpoint = have?.checkpoint.lastEntryId ?? 0;
    const [row] = await this.db
      .select({
        entries: count(),
        last: sql<number>`coalesce(max(${hashListEntries.id}), 0)`.mapWith(Number),
        upToCheckpoint: sql<number>`count(*) filter (where ${hashListEntries.id} <= ${checkpoint})`.mapWith(Number),
      })
      .from(hashListEntries)
      .where(eq(hashListEntries.listId, listId));
    const entries = row?.entries ?? 0;
    const last = row?.last ?? 0;
    if (have && entries === have.checkpoint.count && last === have.checkpoint.lastEntryId) return { kind: "unchanged", rows: 0, after: checkpoint, upTo: last, entries };
    if (have && row?.upToCheckpoint === have.checkpoint.count && have.segments.length < this.maxSegments) {
      return { kind: "append", rows: entries - have.checkpoint.count, after: checkpoint, upTo: last, entries };
    }
    return { kind: "full", rows: entries, after: 0, upTo: last, entries };
  }

  private startBuild(list: KnownHashList, revision: number, have: KnownHashListIndex | undefined, plan: Plan): Build {
    const background = plan.rows > this.opts.inlineMax;
    const done = this.build(list, revision, have, plan, background).finally(() => this.building.delete(list.id));
    const build = { plan, done };
    this.building.set(list.id, build);
    if (background) {
      this.log(`[known-hashes] indexing list ${list.name} in the background: ${plan.rows} entries (${plan.kind}); renders meanwhile use ${have ? `its previous index (${have.checkpoint.count} entries)` : "nothing, and are held"}`);
      done.catch((error: unknown) => this.log(`[known-hashes] indexing list ${list.name} failed, retried at the next render or refresh: ${error instanceof Error ? error.message : String(error)}`));
    }
    return build;
  }

  private async build(list: KnownHashList, revision: number, have: KnownHashListIndex | undefined, plan: Plan, background: boolean): Promise<void> {
    const rows: KnownHashRow[] = [];
    for (let cursor = plan.after; ; ) {
      // Raw rows (no ORM mapping): a large list is hundreds of thousands of them.
      const page = rowsOf<KnownHashRow>(
        await this.db.execute(sql`
          select id::float8 as "id", pdq_hash as "pdqHash", label from ${hashListEntries}
          where list_id = ${list.id} and id > ${cursor} and id <= ${plan.upTo} order by id limit ${this.pageSize}`),
      );
      for (const r of page) rows.push(r);
      const last = page.at(-1);
      if (!last || page.length < this.pageSize) break;
      cursor = last.id;
      await new Promise((resolve) => setImmediate(resolve)); // let renders in between pages
    }
    const kept = plan.kind === "append" && have ? have.segments : [];
    const segments = rows.length > 0 ? [...kept, buildSegment(rows)] : kept;
    const before = plan.kind === "append" && have ? have.checkpoint : { lastEntryId: 0, count: 0 };
    const index: KnownHashListIndex = {
      list,
      segments,
      checkpoint: { lastEntryId: rows.at(-1)?.id ?? before.lastEntryId, count: before.count + rows.length, revision },
      current: true,
    };
    // The swap: one assignment. A render already matching keeps the snapshot it took.
    this.built.set(list.id, index);
    this.record({ listId: list.id, kind: plan.kind, rowsIndexed: rows.length, entries: index.checkpoint.count, revision, background });
  }

  private record(build: KnownHashBuild): void {
    this.builds.push(build);
    if (this.builds.length > 50) this.builds.shift();
  }
}

const stores = new WeakMap<object, KnownHashIndexStore>();

/** This process's store for the database handle (one per handle, kept). */
export function knownHashStore(db: DbOrTx): KnownHashIndexStore {
  let store = stores.get(db);
  if (!store) {
    store = new KnownHashIndexStore(db, { inlineMax: env().CLEARANCE_HASH_INDEX_INLINE_MAX });
    stores.set(db, store);
  }
  return store;
}

/** The index the known_hashes stage matches against now. */
export function currentKnownHashIndex(db: DbOrTx): Promise<KnownHashIndex> {
  return knownHashStore(db).current();
}

/** Workers: look for list changes every few seconds, so large imports are indexed before renders ask. */
export function startKnownHashRefresh(db: DbOrTx, everyMs = 5_000): () => void {
  const store = knownHashStore(db);
  const timer = setInterval(() => {
    store.current().catch(() => {}); // a failed look is retried at the next tick or render
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
