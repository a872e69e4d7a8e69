/**
 * The [hub-flow] routes: registered from FLOW_ENDPOINTS in one encapsulated plugin, whose error
 * handler adds the extra fields two refusals carry (`lastMutationId` of a gap, `nextAllowedAt` of
 * the statement limit) and hands every other error to the hub's handler. The statement worker
 * starts with the app and stops when it closes.
 */
import type { FastifyInstance } from 'fastify';
import {
  FLOW_ENDPOINTS as E,
  STATEMENT_DOWNLOAD_PATH,
  StatementDownloadQuerySchema,
  StatementIdParamSchema,
} from '../../shared/api/flow.ts';
import type { HubContext } from '../context.ts';
import type { ShopCaller } from '../http/auth.ts';
import { authenticateRequest, callerOf, endpointRateLimit, registerEndpoint } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorBodySchema } from '../../shared/api/common.ts';
import type { ElectronicWaybillService } from './courier.ts';
import { SimulatedWaybillService } from './courier.ts';
import { issueWaybills, dbSerialSource } from './waybills.ts';
import { applyMutations, MutationGapError } from './mutations.ts';
import {
  createReturnAddress,
  deleteReturnAddress,
  listReturnAddresses,
  shipOrders,
  updateReturnAddress,
} from './shipping.ts';
import { getPrices, putPrices } from './prices.ts';
import {
  createStatement,
  getStatement,
  listStatements,
  StatementLimitError,
  StatementWorker,
  statementRows,
  statementView,
} from './statements.ts';
import { writeStatementCsv, writeStatementXlsx } from './statement-export.ts';
import { flowDb } from './schema.ts';

export interface FlowRouteOptions {
  /** The courier behind POST /v1/station/waybills; default the simulation with database serials. */
  courier?: ElectronicWaybillService;
  /**
   * Run the statement job in this process (default: unless HUB_STATEMENT_WORKER=off, so a hub can
   * be an API-only node, and tests can leave a statement pending across a restart).
   */
  statementWorker?: boolean;
}

export function flowRoutes(app: FastifyInstance, ctx: HubContext, opts: FlowRouteOptions = {}): void {
  const courier = opts.courier ?? new SimulatedWaybillService(dbSerialSource(ctx));
  const runWorker = opts.statementWorker ?? process.env.HUB_STATEMENT_WORKER !== 'off';
  const worker = new StatementWorker(ctx, {
    leaseMs: Number(process.env.HUB_STATEMENT_LEASE_MS ?? 30_000),
    pollMs: Number(process.env.HUB_STATEMENT_POLL_MS ?? 1_000),
  });
  if (runWorker) {
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }

  void app.register(async (scope) => {
    scope.setErrorHandler((err, _req, reply) => {
      if (err instanceof MutationGapError) {
        return reply
          .status(409)
          .send({ error: { code: 'MUTATION_GAP', message: err.message, lastMutationId: err.lastMutationId } });
      }
      if (err instanceof StatementLimitError) {
        return reply.status(429).send({
          error: {
            code: 'STATEMENT_LIMIT',
            message: err.message,
            reason: err.reason,
            nextAllowedAt: err.nextAllowedAt,
          },
        });
      }
      throw err; // the hub's handler
    });

    registerEndpoint(scope, ctx, E.issueWaybills, async ({ caller, body }) => ({
      results: await issueWaybills(ctx, courier, caller, body),
    }));
    registerEndpoint(scope, ctx, E.pushMutations, async ({ caller, body }) =>
      applyMutations(ctx, courier, caller, body),
    );

    registerEndpoint(scope, ctx, E.listReturnAddresses, async ({ caller }) => ({
      returnAddresses: await listReturnAddresses(ctx, caller.shopId),
    }));
    registerEndpoint(scope, ctx, E.createReturnAddress, async ({ caller, body }) => ({
      returnAddress: await createReturnAddress(ctx, caller.shopId, body),
    }));
    registerEndpoint(scope, ctx, E.updateReturnAddress, async ({ caller, params, body }) => ({
      returnAddress: await updateReturnAddress(ctx, caller.shopId, params.id, body),
    }));
    registerEndpoint(scope, ctx, E.deleteReturnAddress, async ({ caller, params }) => {
      await deleteReturnAddress(ctx, caller.shopId, params.id);
      return { ok: true as const };
    });
    registerEndpoint(scope, ctx, E.ship, async ({ caller, body }) => ({
      results: await shipOrders(ctx, caller.shopId, body),
    }));

    registerEndpoint(scope, ctx, E.putPrices, async ({ caller, body }) => ({
      prices: await putPrices(ctx, caller.shopId, body),
    }));
    registerEndpoint(scope, ctx, E.getPrices, async ({ caller, query }) => ({
      prices: await getPrices(ctx, caller.shopId, {
        ...(query.merchantShopId !== undefined ? { merchantShopId: query.merchantShopId } : {}),
        history: query.history === '1',
      }),
    }));

    registerEndpoint(scope, ctx, E.createStatement, async ({ caller, body }) => {
      const statement = await createStatement(ctx, caller.shopId, body);
      if (runWorker) worker.wake();
      return { statement };
    });
    registerEndpoint(scope, ctx, E.listStatements, async ({ caller }) => ({
      statements: await listStatements(ctx, caller.shopId),
    }));
    registerEndpoint(scope, ctx, E.getStatement, async ({ caller, params }) => ({
      statement: statementView(await getStatement(ctx, caller.shopId, params.id)),
    }));

    // The download streams a file, so it is registered by hand (same auth, validated params).
    scope.route({
      method: 'GET',
      url: STATEMENT_DOWNLOAD_PATH,
      schema: {
        summary: '下载对账单 — CSV (UTF-8 with BOM) or XLSX, streamed',
        tags: ['merchant'],
        security: [{ bearer: [] }],
        params: StatementIdParamSchema,
        querystring: StatementDownloadQuerySchema,
        response: { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema },
      },
      onRequest: async (req) => authenticateRequest(ctx, req, 'merchant'),
      config: endpointRateLimit(ctx, 'export'),
      handler: async (req, reply) => {
        const caller = callerOf(req) as ShopCaller;
        const { id } = req.params as { id: number };
        const { format } = req.query as { format: 'csv' | 'xlsx' };
        const st = await getStatement(ctx, caller.shopId, id);
        if (st.status !== 'ready') {
          throw new HttpError(
            409,
            'STATEMENT_NOT_READY',
            st.status === 'failed' ? '对账单生成失败' : '对账单正在生成，请稍后再下载',
          );
        }
        const names = await flowDb(ctx.db)
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
        });
        try {
          const rows = statementRows(flowDb(ctx.db), st.id);
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
  });
}
