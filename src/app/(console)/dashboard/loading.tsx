import { Loading } from "@/components/forms/controls";

export default function DashboardLoading() {
  return <Loading label="Loading the dashboard…" />;
}
