/**
 * Statements (对账单, M8): the merchant generates and reads them, the factory reads those generated
 * for it, and both download them. The statement job runs in this process unless HUB_STATEMENT_WORKER
 * is off (an API-only hub; several hubs on one PostgreSQL share the jobs).
 */
import type { FastifyInstance } from 'fastify';
import {
  ENDPOINTS as E,
  FACTORY_STATEMENT_DOWNLOAD_PATH,
  STATEMENT_DOWNLOAD_PATH,
} from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { createStatement, getStatement, listStatements, StatementWorker, statementView } from './statements.ts';
import { registerStatementDownload } from './download-routes.ts';
import { getFactoryStatement, listFactoryStatements } from './factory-statements.ts';

export function statementRoutes(app: FastifyInstance, ctx: HubContext): void {
  const runWorker = process.env.HUB_STATEMENT_WORKER !== 'off';
  const worker = new StatementWorker(ctx, {
    leaseMs: Number(process.env.HUB_STATEMENT_LEASE_MS ?? 30_000),
    pollMs: Number(process.env.HUB_STATEMENT_POLL_MS ?? 1_000),
  });
  if (runWorker) {
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }

  registerEndpoint(app, ctx, E.createStatement, async ({ caller, body }) => {
    const statement = await createStatement(ctx, caller.shopId, body);
    if (runWorker) worker.wake();
    return { statement };
  });
  registerEndpoint(app, ctx, E.listStatements, async ({ caller }) => ({
    statements: await listStatements(ctx, caller.shopId),
  }));
  registerEndpoint(app, ctx, E.getStatement, async ({ caller, params }) => ({
    statement: statementView(await getStatement(ctx, caller.shopId, params.id)),
  }));
  registerEndpoint(app, ctx, E.listFactoryStatements, async ({ caller }) => ({
    statements: await listFactoryStatements(ctx, caller.shopId),
  }));
  registerStatementDownload(app, ctx, {
    path: STATEMENT_DOWNLOAD_PATH,
    auth: 'merchant',
    load: (caller, id) => getStatement(ctx, caller.shopId, id),
  });
  registerStatementDownload(app, ctx, {
    path: FACTORY_STATEMENT_DOWNLOAD_PATH,
    auth: 'factory',
    load: (caller, id) => getFactoryStatement(ctx, caller.shopId, id),
  });
}
