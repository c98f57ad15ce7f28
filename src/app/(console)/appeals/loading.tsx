import { Loading } from "@/components/forms/controls";

export default function AppealsLoading() {
  return <Loading label="Loading appeals…" />;
}
