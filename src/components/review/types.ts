import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>;
export type ReviewDetailView = Outputs["review"]["detail"];
export type ReasonCodesView = Outputs["review"]["reasonCodes"];
export type AppealRowView = Outputs["appeals"]["list"][number];
