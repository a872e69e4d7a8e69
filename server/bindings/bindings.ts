/** Merchant ⇄ factory binding (M2). */
import { FACTORY_NOT_FOUND_TEXT } from '../../shared/domain/reasons.ts';
import type { BindingView } from '../../shared/api/bindings.ts';
import type { HubContext } from '../context.ts';
import { nowIso } from '../context.ts';
import { DomainError } from '../errors.ts';
import { writeTx, type Tx } from '../db/tx.ts';

export const FACTORY_NOT_FOUND_MESSAGE = FACTORY_NOT_FOUND_TEXT;

function bindingQuery(db: HubContext['db'] | Tx) {
  return db
    .selectFrom('bindings')
    .leftJoin('merchant_profiles', 'merchant_profiles.shop_id', 'bindings.merchant_shop_id')
    .leftJoin('factory_profiles', 'factory_profiles.shop_id', 'bindings.factory_shop_id')
    .select([
      'bindings.id',
      'bindings.merchant_shop_id',
      'bindings.factory_shop_id',
      'bindings.status',
      'bindings.requested_at',
      'bindings.decided_at',
      'merchant_profiles.display_name',
      'factory_profiles.name as factory_name',
    ]);
}

type BindingRow = Awaited<ReturnType<ReturnType<typeof bindingQuery>['executeTakeFirstOrThrow']>>;

function view(r: BindingRow): BindingView {
  return {
    id: r.id,
    merchantShopId: r.merchant_shop_id,
    factoryShopId: r.factory_shop_id,
    merchantDisplayName: r.display_name ?? '',
    factoryName: r.factory_name ?? '',
    status: r.status,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
  };
}

export async function requestBinding(
  ctx: HubContext,
  merchantShopId: number,
  factoryShopId: number,
): Promise<BindingView> {
  const at = nowIso(ctx);
  return writeTx(ctx, async (trx) => {
    const factory = await trx.selectFrom('shops').select('role').where('id', '=', factoryShopId).executeTakeFirst();
    if (!factory || factory.role !== 'factory') throw new DomainError('FACTORY_NOT_FOUND', FACTORY_NOT_FOUND_MESSAGE);
    const existing = await trx
      .selectFrom('bindings')
      .select(['id', 'status'])
      .where('merchant_shop_id', '=', merchantShopId)
      .where('factory_shop_id', '=', factoryShopId)
      .executeTakeFirst();
    let id: number;
    if (existing && existing.status !== 'rejected') {
      throw new DomainError(
        'BINDING_EXISTS',
        existing.status === 'accepted' ? '已与该厂家绑定，请勿重复申请' : '已向该厂家发送绑定申请，请等待厂家处理',
      );
    } else if (existing) {
      // A rejected request may be sent again: the same row goes back to pending.
      await trx
        .updateTable('bindings')
        .set({ status: 'pending', requested_at: at, decided_at: null })
        .where('id', '=', existing.id)
        .execute();
      id = existing.id;
    } else {
      const row = await trx
        .insertInto('bindings')
        .values({
          merchant_shop_id: merchantShopId,
          factory_shop_id: factoryShopId,
          status: 'pending',
          requested_at: at,
          decided_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    }
    return view(await bindingQuery(trx).where('bindings.id', '=', id).executeTakeFirstOrThrow());
  });
}

export async function listBindings(
  ctx: HubContext,
  side: 'merchant' | 'factory',
  shopId: number,
): Promise<BindingView[]> {
  const col = side === 'merchant' ? 'bindings.merchant_shop_id' : 'bindings.factory_shop_id';
  const rows = await bindingQuery(ctx.db).where(col, '=', shopId).orderBy('bindings.id').execute();
  return rows.map(view);
}

export async function decideBinding(
  ctx: HubContext,
  factoryShopId: number,
  bindingId: number,
  decision: 'accepted' | 'rejected',
): Promise<BindingView> {
  const at = nowIso(ctx);
  return writeTx(ctx, async (trx) => {
    const b = await trx
      .selectFrom('bindings')
      .select(['id', 'status'])
      .where('id', '=', bindingId)
      .where('factory_shop_id', '=', factoryShopId)
      .executeTakeFirst();
    if (!b) throw new DomainError('BINDING_NOT_FOUND', '绑定申请不存在');
    if (b.status !== 'pending') throw new DomainError('BINDING_NOT_PENDING', '该绑定申请已处理');
    await trx.updateTable('bindings').set({ status: decision, decided_at: at }).where('id', '=', bindingId).execute();
    return view(await bindingQuery(trx).where('bindings.id', '=', bindingId).executeTakeFirstOrThrow());
  });
}

export async function isBound(
  db: HubContext['db'] | Tx,
  merchantShopId: number,
  factoryShopId: number,
): Promise<boolean> {
  const b = await db
    .selectFrom('bindings')
    .select('id')
    .where('merchant_shop_id', '=', merchantShopId)
    .where('factory_shop_id', '=', factoryShopId)
    .where('status', '=', 'accepted')
    .executeTakeFirst();
  return b !== undefined;
}
