#!/usr/bin/env node
// Runs the typecheck, the linter (zero warnings), then every test with node's own runner (through tsx): domain tests, integration tests on SQLite
// (and PostgreSQL when TEST_DATABASE_URL is set), then the browser journeys when Chromium is there.
// REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 (set by CI) turn a missing piece into a failure instead of a skip.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const find = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : find(p);
    return /\.test\.tsx?$/.test(e.name) ? [p] : [];
  });

const only = process.argv.slice(2);
let files = [...find(path.join(root, 'src')), ...find(path.join(root, 'test'))].sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  if (process.env.REQUIRE_BROWSER === '1') {
    console.error(`REQUIRE_BROWSER=1 mais Chromium est introuvable (${chromium}) : installez le paquet Debian « chromium ».`);
    process.exit(1);
  }
  console.warn(`Chromium introuvable (${chromium}) : les parcours navigateur (test/e2e) ne sont pas lancés.`);
  files = files.filter((f) => !f.includes(`${path.sep}e2e${path.sep}`));
}
if (!process.env.TEST_DATABASE_URL) console.warn('TEST_DATABASE_URL absent : les tests d\'intégration tournent sur SQLite seulement.');

const typecheck = spawnSync('npx', ['tsc', '--noEmit', '-p', root], { stdio: 'inherit', cwd: root });
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

// The linter (typescript-eslint, type-aware rules): a single warning fails the run, as an error does.
// Skipped when only some test files are asked for (`npm test -- security`), to keep that loop quick.
if (!only.length) {
  const lint = spawnSync('npx', ['eslint', '--max-warnings=0', '.'], { stdio: 'inherit', cwd: root });
  if (lint.status !== 0) {
    console.error('ESLint a trouvé des problèmes (voir ci-dessus) : corrigez-les, `npm run lint` les liste de nouveau.');
    process.exit(lint.status ?? 1);
  }
}

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(result.status ?? 1);
