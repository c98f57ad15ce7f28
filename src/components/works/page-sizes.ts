/**
 * Page sizes of the works lists, in a module without "use client": the server pages prefetch the first page with
 * the same input the client components ask for (a constant exported from a client module would reach a server
 * component as a client reference, not a number).
 */
export const WORKS_PAGE = 50;
export const MATCHES_PAGE = 25;
