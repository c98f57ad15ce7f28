/**
 * Server components call procedures directly, with the same role checks as the browser.
 *
 * Two ways in: `serverApi()` for a page that renders the result itself, and `trpc` + `prefetch` + `HydrateClient`
 * (the create-t3-app pattern) for a page whose client component reads a query: the page awaits the same query
 * on the server and hands the result to the browser's cache, so the list is in the first HTML and the client
 * query stays live (polling, refetching, invalidation) from there.
 */
import { dehydrate, HydrationBoundary, type FetchQueryOptions, type QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cache, createElement, type ReactNode } from "react";
import { createRequestContext } from "@/server/trpc/context";
import { appRouter, createCaller } from "@/server/trpc/root";
import { makeQueryClient } from "./query-client";

/** One context per request: the session cookie decides who the caller is, for every query of the page. */
const requestContext = cache(() => createRequestContext());

export const serverApi = cache(async () => createCaller(await requestContext()));

/** One query cache per request, dehydrated into the page by HydrateClient. */
export const getQueryClient = cache(makeQueryClient);

/** The same option builders as the browser's `useTRPC()`, so query keys match and the client finds the data. */
export const trpc = createTRPCOptionsProxy({ ctx: requestContext, router: appRouter, queryClient: getQueryClient });

/**
 * Runs a query before the page renders. Awaited rather than streamed: the client components read with
 * `useQuery`, which does not suspend, so a query still pending at render time would paint "Loading…". A failed
 * query is not handed over (only successes are), and the client asks again and shows the error as before.
 */
export function prefetch<TData, TError, TQueryKey extends QueryKey>(query: FetchQueryOptions<TData, TError, TData, TQueryKey>): Promise<void> {
  return getQueryClient().prefetchQuery(query);
}

/** Hands this request's query cache to the browser's (src/trpc/react.tsx). */
export function HydrateClient({ children }: { children: ReactNode }) {
  return createElement(HydrationBoundary, { state: dehydrate(getQueryClient()) }, children);
}
