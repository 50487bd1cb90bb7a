import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { sha256 } from '../security/secrets.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, 'assets');

interface Asset {
  url: string;
  type: string;
  body: Buffer;
}

export interface Assets {
  css: string;
  js: string;
  logo: string;
}

/**
 * Assets are built once at start and served under a content hash, cached for a year:
 * a town's colour becomes a CSS custom property (no inline style, the CSP forbids it).
 */
export function registerAssets(app: FastifyInstance, town: { primaryColor: string }): Assets {
  const css = `:root{--color-primary:${town.primaryColor}}\n${fs.readFileSync(path.join(dir, 'app.css'), 'utf8')}`;
  const js = buildSync({ entryPoints: [path.join(dir, 'app.ts')], bundle: true, minify: true, format: 'esm', target: 'es2019', write: false }).outputFiles[0].text;
  const logo = fs.readFileSync(path.join(dir, 'logo.svg'), 'utf8');
  const list: Asset[] = [
    fingerprint('app', 'css', 'text/css; charset=utf-8', css),
    fingerprint('app', 'js', 'text/javascript; charset=utf-8', js),
    fingerprint('logo', 'svg', 'image/svg+xml', logo),
  ];
  const byUrl = new Map(list.map((a) => [a.url, a]));
  app.get('/assets/:file', (req, reply) => {
    const asset = byUrl.get(req.url.split('?')[0]);
    if (!asset) return reply.callNotFound();
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.type).send(asset.body);
  });
  return { css: list[0].url, js: list[1].url, logo: list[2].url };
}

function fingerprint(name: string, ext: string, type: string, content: string): Asset {
  return { url: `/assets/${name}.${sha256(content).slice(0, 10)}.${ext}`, type, body: Buffer.from(content) };
}
