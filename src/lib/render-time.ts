/**
 * The clock a server component reads once per request: "now" for relative times and SLA countdowns in the HTML
 * it sends. Client components start their live clocks from it (components/review/time.tsx), so hydration matches.
 */
export const renderTime = (): number => Date.now();
