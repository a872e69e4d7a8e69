// @ts-check
/**
 * ESLint rule: the import boundaries between the process folders (DESIGN.md §2).
 * It resolves each relative import against the importing file and compares top-level folders,
 * so a subfolder that happens to be named like a sibling is never confused with it.
 *
 * Inside server/, domain code knows nothing of HTTP: only the HTTP layer itself (server/http/), the
 * route modules (`routes.ts`, `*-routes.ts`) and the composition roots may import server/http/.
 * Domain code throws DomainError (server/errors.ts); server/http/error-status.ts maps it to HTTP.
 */
import path from 'node:path';

/** Which of our top-level folders each folder may import from (besides itself). */
export const ALLOWED = {
  shared: [],
  main: ['shared'],
  renderer: ['shared'],
  server: ['shared'],
  console: ['shared'],
};
const OURS = new Set(['shared', 'main', 'renderer', 'server', 'console', 'test', 'scripts', 'tools', 'assets']);
/** Node and Electron modules shared/ may not touch: it must run in every process. */
const IMPURE = /^(node:|electron$|fs$|path$|os$|crypto$|child_process$|net$|http$|https$|better-sqlite3$|pg$)/;

/** The server files that may import server/http/: the layer itself, route modules, composition roots. */
function mayImportHttp(/** @type {string} */ file) {
  const parts = file.split(path.sep);
  const name = parts[parts.length - 1] ?? '';
  if (parts[1] === 'http') return true;
  if (name === 'routes.ts' || name.endsWith('-routes.ts')) return true;
  return parts.length === 2 && ['app.ts', 'main.ts'].includes(name);
}

/** @type {import('eslint').Rule.RuleModule} */
export const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce import boundaries between main/, renderer/, server/, console/ and shared/' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename);
    const from = file.split(path.sep)[0] ?? '';
    if (!(from in ALLOWED)) return {};
    const allowed = new Set([from, ...ALLOWED[/** @type {keyof typeof ALLOWED} */ (from)]]);

    /** @param {import('estree').Node} node @param {unknown} source */
    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), source));
        const to = target.split(path.sep)[0] ?? '';
        if (target.startsWith('..') || (OURS.has(to) && !allowed.has(to))) {
          context.report({
            node,
            message: `${from}/ may not import from ${to}/ (DESIGN.md §2). Move what both need into shared/.`,
          });
        } else if (
          from === 'server' &&
          target.split(path.sep)[1] === 'http' &&
          target.split(path.sep)[0] === 'server' &&
          !mayImportHttp(file)
        ) {
          context.report({
            node,
            message:
              'server/ domain code may not import server/http/: throw DomainError (server/errors.ts), which server/http/error-status.ts maps to HTTP; routes belong in a routes.ts.',
          });
        }
      } else if (from === 'shared' && IMPURE.test(source)) {
        context.report({ node, message: `shared/ is pure TypeScript: it may not import '${source}'.` });
      }
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default { rules: { boundaries } };
