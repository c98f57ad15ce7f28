/**
 * The console under pressure: the moderator's queue page idle, during a Verify storm (concurrent uploads to
 * /api/verify), and with a 1,000,000-item queue.
 */
import { cannon, describeStatuses, type CannonRun } from "../cannon";
import type { Row } from "../stats";

/** The queue page as a signed-in moderator sees it, `connections` moderators at once. */
export function probeQueuePage(baseUrl: string, cookie: string, durationSec: number, connections = 1): Promise<CannonRun> {
  return cannon({ url: `${baseUrl}/queue`, connections, duration: durationSec, headers: { cookie } });
}

/**
 * `requests` loads of the queue page by `connections` moderators, however long they take (up to `timeoutSec`
 * each): a page slower than a timed run would otherwise give no figure at all.
 */
export function countedQueueLoads(baseUrl: string, cookie: string, requests: number, connections: number, timeoutSec: number): Promise<CannonRun> {
  return cannon({ url: `${baseUrl}/queue`, connections, amount: requests, timeout: timeoutSec, headers: { cookie } });
}

function multipart(file: Uint8Array, mimeType: string): { body: Buffer; contentType: string } {
  const boundary = `----clearance-load-${Date.now().toString(16)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="load.mp4"\r\nContent-Type: ${mimeType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, Buffer.from(file), tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** `uploaders` clients posting `file` to /api/verify back to back while one moderator loads the queue page. */
export async function verifyStorm(baseUrl: string, cookie: string, file: Uint8Array, durationSec: number, uploaders: number): Promise<{ console: CannonRun; verify: CannonRun }> {
  const { body, contentType } = multipart(file, "video/mp4");
  const [consoleRun, verify] = await Promise.all([
    probeQueuePage(baseUrl, cookie, durationSec),
    cannon({ url: `${baseUrl}/api/verify`, method: "POST", connections: uploaders, duration: durationSec, headers: { "content-type": contentType }, body }),
  ]);
  return { console: consoleRun, verify };
}

export function stormRows(idle: CannonRun, storm: { console: CannonRun; verify: CannonRun }, uploaders: number): Row[] {
  return [
    { figure: "console (queue page) p95, idle", value: idle.latency.p95, unit: "ms", baseline: { name: "idle console p95 ms", value: idle.latency.p95 }, note: describeStatuses(idle) },
    {
      figure: `console p95 during a Verify storm (${uploaders} uploaders)`,
      value: storm.console.latency.p95,
      unit: "ms",
      baseline: { name: "idle console p95 ms", value: idle.latency.p95 },
      note: `verify: ${describeStatuses(storm.verify)}, ${storm.verify.okPerSecond.toFixed(1)} verified/s`,
    },
  ];
}
