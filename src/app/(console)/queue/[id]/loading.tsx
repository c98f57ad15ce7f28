import { Loading } from "@/components/forms/controls";

export default function ReviewLoading() {
  return <Loading label="Loading the evidence…" />;
}
