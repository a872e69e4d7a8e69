/** Shops, their tokens and their one role (M1). */
import type { MeResponse, SetRoleRequest } from '../../shared/api/shops.ts';
import type { HubContext } from '../context.ts';
import { nowIso } from '../context.ts';
import { DomainError } from '../errors.ts';
import { hashSecret, newToken, SHOP_TOKEN_PREFIX } from '../secrets.ts';
import { RetryTransaction, writeTx, type Tx } from '../db/tx.ts';
import { reserveVersions, writeFeedEntries } from '../stations/feed-versions.ts';

export async function createShop(ctx: HubContext, name: string): Promise<{ shopId: number; token: string }> {
  const token = newToken(SHOP_TOKEN_PREFIX);
  const at = nowIso(ctx);
  const shopId = await writeTx(ctx, async (trx) => {
    const shop = await trx
      .insertInto('shops')
      .values({ name, role: null, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('shop_tokens')
      .values({ token_hash: hashSecret(token), shop_id: shop.id, created_at: at, revoked_at: null })
      .execute();
    return shop.id;
  });
  return { shopId, token };
}

export async function meView(db: HubContext['db'] | Tx, shopId: number): Promise<MeResponse> {
  const shop = await db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
  if (!shop) throw new DomainError('SHOP_NOT_FOUND', '店铺不存在');
  if (shop.role === 'merchant') {
    const p = await db
      .selectFrom('merchant_profiles')
      .selectAll()
      .where('shop_id', '=', shopId)
      .executeTakeFirstOrThrow();
    return {
      shopId,
      name: shop.name,
      profile: {
        role: 'merchant',
        displayName: p.display_name,
        shipper: { name: p.shipper_name, phone: p.shipper_phone, address: p.shipper_address },
      },
    };
  }
  if (shop.role === 'factory') {
    const p = await db
      .selectFrom('factory_profiles')
      .selectAll()
      .where('shop_id', '=', shopId)
      .executeTakeFirstOrThrow();
    return { shopId, name: shop.name, profile: { role: 'factory', name: p.name } };
  }
  return { shopId, name: shop.name, profile: null };
}

/** Whether this merchant request changes what factories see of the shop (name or shipper). */
async function merchantProfileChanges(
  trx: Tx,
  shopId: number,
  req: Extract<SetRoleRequest, { role: 'merchant' }>,
): Promise<boolean> {
  const p = await trx.selectFrom('merchant_profiles').selectAll().where('shop_id', '=', shopId).executeTakeFirst();
  return (
    !p ||
    p.display_name !== req.displayName ||
    p.shipper_name !== req.shipper.name ||
    p.shipper_phone !== req.shipper.phone ||
    p.shipper_address !== req.shipper.address
  );
}

/** Per factory, the ids of this merchant's orders in its feed. */
async function merchantFeed(trx: Tx, merchantShopId: number): Promise<Map<number, number[]>> {
  const rows = await trx
    .selectFrom('feed_entries')
    .innerJoin('orders', 'orders.id', 'feed_entries.order_id')
    .select(['feed_entries.factory_shop_id', 'feed_entries.order_id'])
    .where('orders.merchant_shop_id', '=', merchantShopId)
    .orderBy('feed_entries.order_id')
    .execute();
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const ids = out.get(r.factory_shop_id);
    if (ids) ids.push(r.order_id);
    else out.set(r.factory_shop_id, [r.order_id]);
  }
  return out;
}

/**
 * Choose or update the shop's role and profile. Updating the profile of the same role is always
 * allowed; switching role is refused once the shop has a pending or accepted binding.
 */
export async function setRole(ctx: HubContext, shopId: number, req: SetRoleRequest): Promise<MeResponse> {
  const at = nowIso(ctx);
  return writeTx(ctx, async (trx) => {
    // A merchant's display name and shipper are in every factory snapshot of its orders (D1): a change
    // goes to each feed that holds them. It locks no order, so it may take the versions first and read
    // under them (tx.ts lock order).
    const guess =
      req.role === 'merchant' && (await merchantProfileChanges(trx, shopId, req))
        ? await merchantFeed(trx, shopId)
        : new Map<number, number[]>();
    const first = await reserveVersions(trx, new Map([...guess].map(([f, ids]) => [f, ids.length])));
    // Read again under the version rows: orders that reached a factory since the first read start the
    // transaction again. The entries are those read now, which no one can add or remove while the rows
    // are held, so writing them only updates existing rows and never waits on an order's lock (an
    // inserted entry would check its order's key, which a writer holding that order's lock blocks).
    const feed = guess.size > 0 ? await merchantFeed(trx, shopId) : guess;
    if ([...feed].some(([f, ids]) => ids.length > (guess.get(f)?.length ?? 0))) throw new RetryTransaction();
    const shop = await trx.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirstOrThrow();
    if (shop.role !== null && shop.role !== req.role) {
      const live = await trx
        .selectFrom('bindings')
        .select('id')
        .where((eb) => eb.or([eb('merchant_shop_id', '=', shopId), eb('factory_shop_id', '=', shopId)]))
        .where('status', 'in', ['pending', 'accepted'])
        .executeTakeFirst();
      if (live) throw new DomainError('ROLE_LOCKED', '已有绑定关系，不能更换角色');
      // The old profile goes; the shop is one thing at a time.
      await trx.deleteFrom('merchant_profiles').where('shop_id', '=', shopId).execute();
      await trx.deleteFrom('factory_profiles').where('shop_id', '=', shopId).execute();
    }
    await trx.updateTable('shops').set({ role: req.role }).where('id', '=', shopId).execute();
    if (req.role === 'merchant') {
      const values = {
        display_name: req.displayName,
        shipper_name: req.shipper.name,
        shipper_phone: req.shipper.phone,
        shipper_address: req.shipper.address,
        updated_at: at,
      };
      await trx
        .insertInto('merchant_profiles')
        .values({ shop_id: shopId, ...values })
        .onConflict((oc) => oc.column('shop_id').doUpdateSet(values))
        .execute();
      for (const [f, ids] of feed) await writeFeedEntries(trx, f, ids, first.get(f)!);
    } else {
      const values = { name: req.name ?? shop.name, updated_at: at };
      await trx
        .insertInto('factory_profiles')
        .values({ shop_id: shopId, ...values })
        .onConflict((oc) => oc.column('shop_id').doUpdateSet(values))
        .execute();
      await trx
        .insertInto('factory_versions')
        .values({ factory_shop_id: shopId, version: 0, min_version: 0 })
        .onConflict((oc) => oc.column('factory_shop_id').doNothing())
        .execute();
    }
    return meView(trx, shopId);
  });
}
