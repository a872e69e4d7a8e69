/**
 * The usual starting point of a station test: a merchant bound to a factory on a hub, orders allocated
 * to the factory (some made abnormal), and the factory's pairing codes for its stations.
 */
import type { TestHub, TestShop } from '../server/support/hub.ts';
import {
  allocate,
  bindAndAccept,
  createFactory,
  createMerchant,
  createOrders,
  makeOrder,
  ok,
  platformEvent,
} from '../server/support/hub.ts';

export interface FactoryScenario {
  merchant: TestShop;
  factory: TestShop;
  /** Every order allocated to the factory, in creation order. */
  sns: string[];
  /** Orders put under after-sale or audit after allocation (blocked at the station). */
  abnormal: string[];
  pairingCode(): Promise<string>;
}

export async function factoryWithOrders(
  hub: TestHub,
  opts: { orders: number; abnormal?: number; skus?: number },
): Promise<FactoryScenario> {
  const merchant = await createMerchant(hub);
  const factory = await createFactory(hub);
  await bindAndAccept(hub, merchant, factory);
  const skus = opts.skus ?? 5;
  const sns = await createOrders(
    hub,
    merchant,
    Array.from({ length: opts.orders }, (_, i) =>
      makeOrder({
        items: [
          {
            goodsId: `G${i % skus}`,
            skuId: `SKU-${i % skus}`,
            goodsName: `纯棉T恤${i % skus}号`,
            spec: '白色 XL',
            quantity: 1 + (i % 2),
          },
        ],
      }),
    ),
  );
  for (let i = 0; i < sns.length; i += 1000) await allocate(hub, merchant, factory.shopId, sns.slice(i, i + 1000));
  const abnormal: string[] = [];
  const n = opts.abnormal ?? 0;
  for (let i = 0; i < n; i++) {
    // Spread through the list (and across SKUs), so abnormal orders sit among printable ones.
    const sn = sns[(Math.floor(((i + 0.5) * sns.length) / n) + i) % sns.length]!;
    await platformEvent(hub, sn, { type: i % 2 === 0 ? 'after_sale_opened' : 'audit_hold' });
    abnormal.push(sn);
  }
  return {
    merchant,
    factory,
    sns,
    abnormal,
    pairingCode: async () =>
      (await ok<{ code: string }>(hub, 'POST', '/v1/factory/stations', { token: factory.token })).code,
  };
}
