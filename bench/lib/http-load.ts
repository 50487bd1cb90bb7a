/**
 * A small HTTP load driver for fixed lists of requests (the opening day), on connections opened
 * beforehand and kept alive, as a town's reverse proxy keeps its connections to the portal: the
 * measure is then the portal's work, not how fast a busy Node process accepts 300 new sockets
 * (it accepts them a few per turn of its event loop, which alone left some connections waiting
 * 8 s before their first request was read).
 *
 * Two ways to send them:
 * - closed loop: N connections, each sends its next request when the previous answer arrives
 *   (the most the server can do; by Little's law the mean latency is then N ÷ throughput);
 * - open loop: requests start at a fixed rate whatever the answers, as families arrive; the
 *   latency counts from the planned start, so a server falling behind is not hidden.
 */
import http from 'node:http';

export interface Job {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  body: string;
  /** Milliseconds from the (planned) start to the end of the answer. */
  ms: number;
  error?: string;
}

export interface Driver {
  send(job: Job, plannedStart?: number): Promise<Answer>;
  close(): void;
}

/** Opens `connections` keep-alive connections to the server (one request each) and keeps them. */
export async function openConnections(baseUrl: string, connections: number, timeoutMs = 30_000): Promise<Driver> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'fifo' });
  const send = (job: Job, plannedStart = performance.now()) =>
    new Promise<Answer>((resolve) => {
      const req = http.request({ agent, host: url.hostname, port: url.port, method: job.method, path: job.path, headers: { ...job.headers, ...(job.body ? { 'content-length': Buffer.byteLength(job.body) } : {}) }, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - plannedStart }));
      });
      req.on('timeout', () => req.destroy(new Error('délai dépassé')));
      req.on('error', (err) => resolve({ status: 0, body: '', ms: performance.now() - plannedStart, error: err.message }));
      req.end(job.body);
    });
  // All at once: the agent has to open one socket per request.
  const warm = await Promise.all(Array.from({ length: connections }, () => send({ method: 'GET', path: '/healthz', headers: {} })));
  const failed = warm.filter((a) => a.status !== 200);
  if (failed.length) throw new Error(`ouverture des connexions : ${failed.length} échecs (${failed[0].error ?? failed[0].status})`);
  return { send, close: () => agent.destroy() };
}

/** Closed loop: `connections` senders take the next job as soon as their previous one is answered. */
export async function closedLoop(driver: Driver, jobs: Job[], connections: number) {
  const answers = new Array<Answer>(jobs.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < jobs.length) {
        const i = next++;
        answers[i] = await driver.send(jobs[i]);
      }
    }),
  );
  return { answers, seconds: (performance.now() - started) / 1000 };
}

/** Open loop: job i starts at i ÷ rate seconds, whether or not the earlier ones were answered. */
export async function openLoop(driver: Driver, jobs: Job[], ratePerSec: number) {
  const started = performance.now();
  const answers = await Promise.all(
    jobs.map(async (job, i) => {
      const planned = started + (i * 1000) / ratePerSec;
      const wait = planned - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return driver.send(job, planned);
    }),
  );
  return { answers, seconds: (performance.now() - started) / 1000 };
}

export function percentiles(answers: Answer[]) {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: ms[ms.length - 1] ?? 0 };
}
