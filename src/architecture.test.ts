/**
 * Module boundaries (docs/architecture.md, « Frontières des modules »), checked on every import of src/modules:
 * - a module uses another only through its public files: `*.service.ts` / `*-service.ts`, `*.domain.ts`,
 *   `*.outcomes.ts`, `*.personal-data.ts`, `*.components.tsx`; from `*.views.tsx` only types (`import type`);
 * - the modules' dependency graph has no cycle (type-only imports count: a cycle of types is a cycle of design).
 * Tests and test fixtures (`*.test.ts`, `*.fixtures.ts`) may arrange state through any file, like test/support.
 * SQL only in repositories: in src/modules and src/platform, Kysely query building and raw SQL live in
 * `*repository.ts` files (and the database infrastructure, src/platform/db), never in services, routes,
 * views or personal-data declarations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = import.meta.dirname;
const MODULES = path.join(SRC, 'modules');

export const PUBLIC_FILE = /(\.|-)service\.ts$|\.domain\.ts$|\.outcomes\.ts$|\.personal-data\.ts$|\.components\.tsx$/;
export const TYPES_ONLY_FILE = /\.views\.tsx$/;
const TEST_FILE = /\.test\.tsx?$|\.fixtures\.tsx?$/;

/**
 * Reaches that break the rule and are known, each with why it is still there. The test fails when one
 * disappears (remove it here) so that this list only ever shrinks; a new reach is never added here.
 */
const PENDING: Record<string, string> = {
  'enrolments/enrolments.routes.tsx -> requests/requests.routes.tsx':
    'parseDecision and decisionFlash belong in requests.domain.ts / requests.outcomes.ts; requests.routes.tsx is being converted to typed routes (issue 8, item 20) and moves them there',
};

interface Import {
  from: string; // path relative to src/modules
  to: string; // path relative to src/modules
  typeOnly: boolean;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every static import, re-export and dynamic import() of a file, with whether it brings types only. */
export function importsOf(file: string, text = fs.readFileSync(file, 'utf8')): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const moduleOf = (rel: string) => rel.split(path.sep)[0];

let cached: Import[] | undefined;
function moduleImports(): Import[] {
  return (cached ??= filesUnder(MODULES).flatMap((file) =>
    importsOf(file)
      .filter((i) => i.specifier.startsWith('.'))
      .map((i) => ({ from: path.relative(MODULES, file), to: path.relative(MODULES, path.resolve(path.dirname(file), i.specifier)), typeOnly: i.typeOnly }))
      .filter((i) => !i.to.startsWith('..') && moduleOf(i.from) !== moduleOf(i.to)),
  ));
}

/** Why an import from one module into another breaks the rule, or null when it keeps it. */
export function breach(i: Import): string | null {
  if (TEST_FILE.test(i.from)) return null;
  const target = path.basename(i.to);
  if (PUBLIC_FILE.test(target)) return null;
  if (TYPES_ONLY_FILE.test(target)) return i.typeOnly ? null : 'un fichier de vues ne se partage que par ses types (import type)';
  return `${target} n'est pas un fichier public du module ${moduleOf(i.to)} (service, domain, outcomes, personal-data, components)`;
}

/** The cycles of a dependency graph (each cycle once, as the list of its nodes). */
export function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (!state.has(next)) walk(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) walk(node);
  return cycles;
}

test('a module imports another only through its public files', () => {
  const breaches = new Map<string, string>();
  for (const i of moduleImports()) {
    const why = breach(i);
    if (why) breaches.set(`${i.from} -> ${i.to}`, why);
  }
  const unexpected = [...breaches].filter(([key]) => !(key in PENDING)).map(([key, why]) => `${key} : ${why}`);
  assert.deepEqual(unexpected, [], `Imports qui traversent la frontière d'un module :\n${unexpected.join('\n')}`);
  const gone = Object.keys(PENDING).filter((key) => !breaches.has(key));
  assert.deepEqual(gone, [], 'Exceptions résolues : retirez-les de PENDING dans src/architecture.test.ts');
});

test('the modules depend on each other without a cycle', () => {
  const graph = new Map<string, Set<string>>();
  for (const i of moduleImports()) {
    if (TEST_FILE.test(i.from)) continue;
    const from = moduleOf(i.from);
    graph.set(from, (graph.get(from) ?? new Set()).add(moduleOf(i.to)));
  }
  const cycles = cyclesOf(graph).map((c) => c.join(' → '));
  assert.deepEqual(cycles, [], `Cycles entre modules :\n${cycles.join('\n')}`);
});

test('platform code never imports a module', () => {
  const reaches = filesUnder(path.join(SRC, 'platform'))
    .filter((file) => !TEST_FILE.test(file))
    .flatMap((file) => importsOf(file).filter((i) => i.specifier.startsWith('.') && path.resolve(path.dirname(file), i.specifier).startsWith(MODULES + path.sep)).map((i) => `${path.relative(SRC, file)} -> ${i.specifier}`));
  assert.deepEqual(reaches, []);
});

/** Where a file may build queries: repositories, the database infrastructure (connection, migrations, counters), tests and fixtures. */
export function mayHoldSql(rel: string): boolean {
  const p = rel.split(path.sep).join('/');
  return /repository\.tsx?$/.test(p) || TEST_FILE.test(p) || p.startsWith('platform/db/') || p.startsWith('demo/') || p.includes('/migrations/');
}

/** The query-building calls and raw SQL found in a text (Kysely's builders and the `sql` tag). */
export function sqlIn(text: string): string[] {
  const found = text.match(/\.(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql(?:<[^>`]*>)?`/g) ?? [];
  return [...new Set(found)].sort();
}

test('SQL only in repositories: no query building nor raw SQL elsewhere in src/modules and src/platform', () => {
  const offenders = [MODULES, path.join(SRC, 'platform')]
    .flatMap((dir) => filesUnder(dir))
    .filter((file) => !mayHoldSql(path.relative(SRC, file)))
    .flatMap((file) => {
      const found = sqlIn(fs.readFileSync(file, 'utf8'));
      return found.length ? [`${path.relative(SRC, file)} : ${found.join(' ')}`] : [];
    });
  assert.deepEqual(offenders, [], `Requêtes hors d'un fichier *.repository.ts (déplacez-les dans le repository du module) :\n${offenders.join('\n')}`);
});

test('the checker itself: import kinds, the rule and cycles', () => {
  const found = importsOf('x.ts', `import type { A } from './a.ts'; import { type B } from './b.ts'; import { c, type D } from './c.ts'; export { e } from './e.ts'; const f = await import('./f.ts'); let g: import('./g.ts').G;`);
  assert.deepEqual(found, [
    { specifier: './a.ts', typeOnly: true },
    { specifier: './b.ts', typeOnly: true },
    { specifier: './c.ts', typeOnly: false },
    { specifier: './e.ts', typeOnly: false },
    { specifier: './f.ts', typeOnly: false },
    { specifier: './g.ts', typeOnly: true },
  ]);
  const rel = (p: string) => p.split('/').join(path.sep);
  assert.match(breach({ from: rel('catalogue/catalogue.service.ts'), to: rel('households/households.repository.ts'), typeOnly: false }) ?? '', /pas un fichier public/);
  assert.equal(breach({ from: rel('catalogue/catalogue.service.ts'), to: rel('households/households.shared-service.ts'), typeOnly: false }), null);
  assert.equal(breach({ from: rel('catalogue/catalogue.service.ts'), to: rel('bookings/bookings.views.tsx'), typeOnly: true }), null);
  assert.match(breach({ from: rel('catalogue/catalogue.views.tsx'), to: rel('bookings/bookings.views.tsx'), typeOnly: false }) ?? '', /import type/);
  assert.equal(breach({ from: rel('catalogue/catalogue.routes.test.ts'), to: rel('bookings/bookings.repository.ts'), typeOnly: false }), null);
  const graph = new Map([['catalogue', new Set(['bookings', 'households'])], ['bookings', new Set(['catalogue', 'households'])], ['households', new Set<string>()]]);
  assert.deepEqual(cyclesOf(graph), [['bookings', 'catalogue', 'bookings']]);
});

test('the checker itself: where SQL may live and what counts as SQL', () => {
  const rel = (p: string) => p.split('/').join(path.sep);
  assert.equal(mayHoldSql(rel('modules/bookings/bookings.repository.ts')), true);
  assert.equal(mayHoldSql(rel('modules/households/households.personal-data.repository.ts')), true);
  assert.equal(mayHoldSql(rel('platform/db/counters.ts')), true);
  assert.equal(mayHoldSql(rel('modules/bookings/bookings.service.test.ts')), true);
  assert.equal(mayHoldSql(rel('modules/bookings/bookings.personal-data.ts')), false);
  assert.equal(mayHoldSql(rel('modules/bookings/bookings.service.ts')), false);
  assert.equal(mayHoldSql(rel('platform/audit/audit.personal-data.ts')), false);
  assert.deepEqual(sqlIn('const r = await db\n  .selectFrom(\'x\'); tx.deleteFrom(\'y\'); sql`select 1`; sql<number>`count(*)`; db.insertInto(t)'), ['.deleteFrom(', '.insertInto(', '.selectFrom(', 'sql<number>`', 'sql`']);
  assert.deepEqual(sqlIn('const sqlText = `select`; selectFrom(x); mysql`x`'), []);
});
