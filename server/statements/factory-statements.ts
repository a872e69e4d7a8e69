/**
 * The factory's side of reconciliation (M8): the statements merchants generated for this factory,
 * with the same figures and rows the merchant has. Nothing here carries consumer data (M10).
 */
import type { StatementsTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import type { FactoryStatement } from '../../shared/api/statements.ts';
import type { HubContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { statementView } from './statements.ts';

export async function listFactoryStatements(ctx: HubContext, factoryId: number): Promise<FactoryStatement[]> {
  const rows = await ctx.db
    .selectFrom('statements')
    .leftJoin('merchant_profiles', 'merchant_profiles.shop_id', 'statements.merchant_shop_id')
    .innerJoin('shops', 'shops.id', 'statements.merchant_shop_id')
    .selectAll('statements')
    .select(['merchant_profiles.display_name', 'shops.name as shop_name'])
    .where('statements.factory_shop_id', '=', factoryId)
    .orderBy('statements.id', 'desc')
    .limit(500)
    .execute();
  return rows.map(({ display_name, shop_name, ...r }) => ({
    ...statementView(r),
    merchantShopId: r.merchant_shop_id,
    merchantDisplayName: display_name ?? shop_name,
  }));
}

export async function getFactoryStatement(
  ctx: HubContext,
  factoryId: number,
  id: number,
): Promise<Selectable<StatementsTable>> {
  const row = await ctx.db
    .selectFrom('statements')
    .selectAll()
    .where('id', '=', id)
    .where('factory_shop_id', '=', factoryId)
    .executeTakeFirst();
  if (!row) throw new DomainError('STATEMENT_NOT_FOUND', '对账单不存在');
  return row;
}
