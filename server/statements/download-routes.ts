/**
 * The statement download (对账单下载), for the merchant who generated it and for the factory it was
 * generated for: the same frozen rows, streamed as CSV or XLSX. No consumer data is in either (M10).
 * It streams a file, so it is registered by hand, with the same authentication as the endpoint table.
 */
import type { StatementsTable } from '../db/schema.ts';
import type { FastifyInstance } from 'fastify';
import type { Selectable } from 'kysely';
import { StatementDownloadQuerySchema, StatementIdParamSchema } from '../../shared/api/statements.ts';
import { ErrorBodySchema } from '../../shared/api/common.ts';
import type { HubContext } from '../context.ts';
import type { ShopCaller } from '../callers.ts';
import { authenticateRequest, callerOf, endpointRateLimit } from '../http/route.ts';
import { DomainError } from '../errors.ts';
import { statementRows } from './statements.ts';
import { writeStatementCsv, writeStatementXlsx } from './statement-export.ts';

export interface StatementDownloadRoute {
  path: string;
  auth: 'merchant' | 'factory';
  /** The statement the caller may download, or a 404. */
  load(caller: ShopCaller, id: number): Promise<Selectable<StatementsTable>>;
}

export function registerStatementDownload(app: FastifyInstance, ctx: HubContext, route: StatementDownloadRoute): void {
  app.route({
    method: 'GET',
    url: route.path,
    schema: {
      summary: '下载对账单 — CSV (UTF-8 with BOM) or XLSX, streamed',
      tags: [route.auth],
      security: [{ bearer: [] }],
      params: StatementIdParamSchema,
      querystring: StatementDownloadQuerySchema,
      response: { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema },
    },
    onRequest: async (req) => authenticateRequest(ctx, req, route.auth),
    config: endpointRateLimit(ctx, 'report'),
    handler: async (req, reply) => {
      const caller = callerOf(req) as ShopCaller;
      const { id } = req.params as { id: number };
      const { format } = req.query as { format: 'csv' | 'xlsx' };
      const st = await route.load(caller, id);
      if (st.status !== 'ready') {
        throw new DomainError(
          'STATEMENT_NOT_READY',
          st.status === 'failed' ? '对账单生成失败' : '对账单正在生成，请稍后再下载',
        );
      }
      const names = await ctx.db
        .selectFrom('shops')
        .select(['id', 'name'])
        .where('id', 'in', [st.merchant_shop_id, st.factory_shop_id])
        .execute();
      const nameOf = (sid: number) => names.find((n) => n.id === sid)?.name ?? String(sid);
      const meta = {
        statementId: st.id,
        merchantName: nameOf(st.merchant_shop_id),
        factoryName: nameOf(st.factory_shop_id),
        from: st.from_at,
        to: st.to_at,
      };
      const filename = `对账单-${st.id}.${format}`;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type':
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="statement-${st.id}.${format}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      try {
        const rows = statementRows(ctx.db, st.id);
        if (format === 'csv') await writeStatementCsv(rows, res, meta);
        else await writeStatementXlsx(rows, res, meta);
        res.end();
      } catch (e) {
        // Headers are gone: the only honest signal left is a cut connection.
        req.log.error({ err: e }, 'statement download failed');
        res.destroy(e as Error);
      }
    },
  });
}
