/**
 * The web console (console/, built by Vite into dist/console) served by the hub at `/`. Its strict
 * CSP is the hub's policy for every answer (http/security-headers.ts). Any path that is not an API
 * path or an asset gets the console's page (it routes in the browser). A hub started before the
 * console was built still starts, and its pages say how to build it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../dist/console', import.meta.url));

/** No inline script, no remote content, no framing: the console needs nothing else. */
export const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>控制台尚未构建 · Console not built</title></head>
<body>
<h1>控制台尚未构建</h1>
<p>平台 API 正常运行，但网页控制台还没有构建。请在项目目录运行：</p>
<pre>npm run build:console</pre>
<p>然后刷新本页（<code>npm start</code> 会自动构建）。</p>
<hr>
<h2>The console has not been built</h2>
<p>The hub API is running, but the web console has not been built yet. In the project folder run
<code>npm run build:console</code>, then reload this page (<code>npm start</code> builds it for you).</p>
</body></html>
`;

export async function registerConsoleWeb(
  app: FastifyInstance,
  consoleDir: string = DEFAULT_CONSOLE_DIR,
): Promise<void> {
  const indexPath = path.join(consoleDir, 'index.html');
  const assetsDir = path.join(consoleDir, 'assets');
  if (existsSync(assetsDir)) {
    await app.register(fastifyStatic, {
      root: assetsDir,
      prefix: '/assets/',
      index: false,
      // File names carry a content hash: a browser may keep them for good.
      immutable: true,
      maxAge: '365d',
    });
  }

  let cached: { mtimeMs: number; html: string } | null = null;
  const page = (): string | null => {
    try {
      const { mtimeMs } = statSync(indexPath);
      if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(indexPath, 'utf8') };
      return cached.html;
    } catch {
      return null;
    }
  };

  const handler = async (req: { url: string }, reply: FastifyReply) => {
    const pathname = req.url.split('?')[0]!;
    if (pathname.startsWith('/v1/') || pathname.startsWith('/assets/')) return reply.callNotFound();
    const html = page();
    void reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    return html === null ? reply.status(503).send(NOT_BUILT_PAGE) : reply.send(html);
  };
  app.get('/', { schema: { hide: true } }, handler);
  app.get('/*', { schema: { hide: true } }, handler);
}
