/**
 * The hub's JSON body parser: Fastify's own (with its prototype-poisoning checks), behind two
 * refusals of text that could not be stored as sent:
 * - U+0000, which PostgreSQL cannot store in text (SQLite can): a JSON string can only carry it as \u0000;
 * - ill-formed Unicode: bytes that are not UTF-8, or a lone UTF-16 surrogate (`"\ud800"`), which
 *   both databases would silently store as U+FFFD.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

const invalidText = (what: string) => new DomainError('VALIDATION_ERROR', `请求参数有误: ${what}`);

export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(invalidText('请求体不是有效的 UTF-8 文本 (Unicode)'), undefined);
      return;
    }
    if (/\\u0000/i.test(text)) {
      done(invalidText('文本不能包含空字符 (\\u0000)'), undefined);
      return;
    }
    parseJson(req, text, (err, value) => {
      if (!err && !isWellFormedDeep(value)) {
        done(invalidText('文本含有无效的 Unicode 字符（孤立的代理项）'), undefined);
        return;
      }
      done(err, value);
    });
  });
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string and key in a parsed JSON value is well-formed UTF-16. Iterative: nesting depth is the client's. */
export function isWellFormedDeep(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return false;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return false;
        stack.push(x);
      }
    }
  }
  return true;
}
