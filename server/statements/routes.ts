/**
 * The [hub-flow] routes: registered from FLOW_ENDPOINTS in one encapsulated plugin, whose error
 * handler adds the extra fields two refusals carry (`lastMutationId` of a gap, `nextAllowedAt` of
 * the statement limit) and hands every other error to the hub's handler. The statement worker
 * starts with the app and stops when it closes.
 */
import type { FastifyInstance } from 'fastify';
import {
  FACTORY_STATEMENT_DOWNLOAD_PATH,
  FLOW_ENDPOINTS as E,
  STATEMENT_DOWNLOAD_PATH,
} from '../../shared/api/flow.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import type { ElectronicWaybillService } from '../waybills/courier.ts';
import { SimulatedWaybillService } from '../waybills/courier.ts';
import { issueWaybills, dbSerialSource } from '../waybills/waybills.ts';
import { applyMutations, MutationGapError } from '../waybills/mutations.ts';
import {
  createReturnAddress,
  deleteReturnAddress,
  listReturnAddresses,
  shipOrders,
  updateReturnAddress,
} from '../shipping/shipping.ts';
import { getPrices, putPrices } from '../prices/prices.ts';
import {
  createStatement,
  getStatement,
  listStatements,
  StatementLimitError,
  StatementWorker,
  statementView,
} from './statements.ts';
import { registerStatementDownload } from './download-routes.ts';
import { getFactoryStatement, listFactoryStatements } from './factory-statements.ts';
import { importPriceCsv, missingPrices } from '../prices/price-import.ts';

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

    registerEndpoint(scope, ctx, E.importPrices, async ({ caller, body }) => ({
      prices: await importPriceCsv(ctx, caller.shopId, body.csv),
    }));
    registerEndpoint(scope, ctx, E.missingPrices, async ({ caller }) => ({
      missing: await missingPrices(ctx, caller.shopId),
    }));
    registerEndpoint(scope, ctx, E.listFactoryStatements, async ({ caller }) => ({
      statements: await listFactoryStatements(ctx, caller.shopId),
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

    registerStatementDownload(scope, ctx, {
      path: STATEMENT_DOWNLOAD_PATH,
      auth: 'merchant',
      load: (caller, id) => getStatement(ctx, caller.shopId, id),
    });
    registerStatementDownload(scope, ctx, {
      path: FACTORY_STATEMENT_DOWNLOAD_PATH,
      auth: 'factory',
      load: (caller, id) => getFactoryStatement(ctx, caller.shopId, id),
    });
  });
}
