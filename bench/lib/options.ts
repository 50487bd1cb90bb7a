/** Load settings shared by every scenario, read from the environment. */
export interface LoadSettings {
  /** Measured seconds per scenario. */
  duration: number;
  /** Seconds of load thrown away before each measurement (JIT, caches, pools). */
  warmup: number;
  /** Concurrent keep-alive connections. */
  connections: number;
  /** Guardian accounts (and sessions) the server creates and the load rotates over. */
  guardians: number;
  /** Connections of the opening day's rush, opened beforehand (each household books once). */
  openingConnections: number;
  /** Households a second arriving in the opening day's second phase; undefined: 3/4 of the rush's throughput. */
  openingRate?: number;
}

function positiveNumber(name: string, fallback: number, { integer = false, min = 0 } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}=${raw} : attendu un nombre${integer ? ' entier' : ''} ≥ ${min}`);
  }
  return value;
}

export function loadSettings(): LoadSettings {
  return {
    duration: positiveNumber('BENCH_DURATION', 10, { min: 1 }),
    warmup: positiveNumber('BENCH_WARMUP', 2, { min: 0 }),
    connections: positiveNumber('BENCH_CONNECTIONS', 50, { integer: true, min: 1 }),
    guardians: positiveNumber('BENCH_GUARDIANS', 20, { integer: true, min: 1 }),
    openingConnections: positiveNumber('BENCH_OPENING_CONNECTIONS', 300, { integer: true, min: 1 }),
    openingRate: process.env.BENCH_OPENING_RATE ? positiveNumber('BENCH_OPENING_RATE', 0, { min: 1 }) : undefined,
  };
}
