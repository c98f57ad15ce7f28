import { Loading } from "@/components/forms/controls";

export default function QueueLoading() {
  return <Loading label="Loading the queue…" />;
}
