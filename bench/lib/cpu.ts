import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

/**
 * CPU time spent by the portal's server process and, on PostgreSQL, by the database backends of its
 * pool, per request. On a busy 2-core machine requests per second swing by 2× with what else runs;
 * the CPU a request costs moves much less, so it is what to compare between two versions.
 * Linux only (/proc); elsewhere the figures are null.
 */
export interface CpuUse {
  /** Milliseconds of CPU per request (or form), in the server process. */
  serverMsPerRequest: number | null;
  /** Milliseconds of CPU per request in the PostgreSQL backends of the server's pool (0 on SQLite). */
  databaseMsPerRequest: number | null;
}

const tickMs = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();

/** utime + stime of a process, in ms; null when it is gone or /proc is not there. */
function cpuMsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * tickMs;
  } catch {
    return null;
  }
}

/** The PostgreSQL backends serving a bench schema (the server names its connections after it). */
async function backendsOf(applicationName: string): Promise<number[]> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return [];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [applicationName]);
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/**
 * Starts measuring; `stop(requests)` gives the CPU per request since the start. Backends are listed
 * at the start and at the stop (the pool opens connections under load); a backend that closed in
 * between is not counted, which can only make the database figure lower.
 */
export async function cpuMeter(server: { pid: number; database: { pgSchema?: string } }) {
  const schema = server.database.pgSchema;
  const backends = new Map<number, number>();
  const serverStart = cpuMsOf(server.pid);
  const listBackends = async () => (schema ? backendsOf(schema) : []);
  for (const pid of await listBackends()) backends.set(pid, cpuMsOf(pid) ?? 0);
  return {
    async stop(requests: number): Promise<CpuUse> {
      const serverEnd = cpuMsOf(server.pid);
      let database = 0;
      for (const pid of await listBackends()) {
        const end = cpuMsOf(pid);
        if (end !== null) database += end - (backends.get(pid) ?? 0);
      }
      const per = (ms: number) => (requests > 0 ? Math.round((ms / requests) * 1000) / 1000 : null);
      return {
        serverMsPerRequest: serverStart === null || serverEnd === null ? null : per(serverEnd - serverStart),
        databaseMsPerRequest: schema ? per(database) : 0,
      };
    },
  };
}
