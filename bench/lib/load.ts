import autocannon from 'autocannon';
import { info } from './log.ts';
import type { CpuUse } from './cpu.ts';

export interface LoadSpec {
  /** Base URL of the server, e.g. http://127.0.0.1:41234 */
  url: string;
  path: string;
  /** When set, requests go to these paths in turn (path is the first, for the check). */
  paths?: string[];
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Cookie header values; each connection takes the next one and keeps it, as a browser keeps
   * its session on its connection. Connections are spread evenly over the sessions.
   */
  cookies?: string[];
  duration: number;
  warmup: number;
  connections: number;
}

export interface LoadResult {
  /** Mean of the per-second request counts over the measured window. */
  requestsPerSec: number;
  /** Latency percentiles, in milliseconds. */
  p50: number;
  p99: number;
  meanLatency: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Responses with a status outside 200–299 (a lost session shows here as 303 to /connexion). */
  non2xx: number;
  /** Responses received during the measured window. */
  requests: number;
  /** Mean bytes per response on the wire (compressed when the server compresses). */
  bytesPerResponse: number;
  statusCodes: Record<string, number>;
  /** CPU per request, when measured. */
  cpu?: CpuUse;
}

/** Browser-like headers: pages are asked for as HTML with compression, as Firefox and Chrome do. */
export const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xhtml+xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br, zstd',
  'accept-language': 'fr-FR,fr;q=0.9',
  'user-agent': 'portail-famille-bench',
};

function run(spec: LoadSpec, duration: number): Promise<autocannon.Result> {
  let next = 0;
  let nextPath = 0;
  const headers = { ...BROWSER_HEADERS, ...spec.headers };
  const cookies = spec.cookies ?? [];
  const paths = spec.paths ?? [];
  return autocannon({
    ...(paths.length ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[nextPath++ % paths.length] }) }] } : {}),
    url: `${spec.url}${spec.path}`,
    method: spec.method ?? 'GET',
    headers,
    body: spec.body,
    connections: spec.connections,
    duration,
    timeout: 10,
    setupClient: cookies.length
      ? (client) => {
          client.setHeaders({ ...headers, cookie: cookies[next++ % cookies.length] });
        }
      : undefined,
  });
}

/** Warm-up (results thrown away), then the measured run. */
/** `meter`: started after the warm-up, stopped after the measure (CPU per request, bench/lib/cpu.ts). */
export async function runLoad(spec: LoadSpec, meter?: () => Promise<{ stop(requests: number): Promise<CpuUse> }>): Promise<LoadResult> {
  if (spec.warmup > 0) await run(spec, spec.warmup);
  const measuring = await meter?.();
  const r = await run(spec, spec.duration);
  const cpu = await measuring?.stop(r.requests.total);
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number((stat as { count: number | string }).count);
  const requests = r.requests.total;
  const result: LoadResult = {
    requestsPerSec: round(r.requests.average, 1),
    p50: round(r.latency.p50, 2),
    p99: round(r.latency.p99, 2),
    meanLatency: round(r.latency.average, 2),
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    requests,
    bytesPerResponse: requests > 0 ? Math.round(r.throughput.total / requests) : 0,
    statusCodes,
    ...(cpu ? { cpu } : {}),
  };
  const cpuText = cpu ? `, CPU ${cpu.serverMsPerRequest} ms serveur + ${cpu.databaseMsPerRequest} ms base par requête` : '';
  info(`  ${spec.method ?? 'GET'} ${spec.path} : ${result.requestsPerSec} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} erreurs, ${result.non2xx} non-2xx${cpuText}`);
  return result;
}

export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
