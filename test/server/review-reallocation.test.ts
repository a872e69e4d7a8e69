/**
 * Review probe (M3 + M5): an order whose first factory already took a number, then was re-allocated to
 * another factory, must be printable there: the new factory gets its own number.
 */
import { expect, it } from 'vitest';
import {
  allocate,
  call,
  cancelAllocation,
  createOrders,
  describeEachDb,
  merchantWithTwoFactories,
  ok,
} from './support/hub.ts';
import { issueNumbers, newClientId, push, returnAddress, returned, ship } from './flow-support.ts';
import type { WaybillsResponse } from '../../shared/api/waybills.ts';

describeEachDb('review: re-allocation after the first factory issued a number', ({ hub }) => {
  it('the second factory gets a number and can return it; the first one’s old label is intercepted', async () => {
    const h = hub();
    const { merchant, x, y, stX, stY } = await merchantWithTwoFactories(h);
    const [sn] = await createOrders(h, merchant, 1);
    await allocate(h, merchant, x.shopId, [sn!]);
    const [xNo] = await issueNumbers(h, stX, [sn!]);
    // The factory is slow: the merchant moves the order to another factory.
    await cancelAllocation(h, merchant, [sn!]);
    await allocate(h, merchant, y.shopId, [sn!]);

    const r = await call<WaybillsResponse>(h, 'POST', '/v1/station/waybills', {
      token: stY.token,
      body: { orderSns: [sn], courier: 'YTO' },
    });
    expect(r.status).toBe(200);
    const res = r.body.results[0]!;
    expect(res.status).toBe('issued');
    if (res.status !== 'issued') return;
    expect(res.waybillNo).not.toBe(xNo);
    // Idempotent at Y.
    const [again] = await issueNumbers(h, stY, [sn!], 'YTO');
    expect(again).toBe(res.waybillNo);

    const ry = await push(h, stY, newClientId(), [returned(1, sn!, res.waybillNo)]);
    expect(ry.body.results[0]).toEqual({ id: 1, status: 'applied' });
    const rx = await push(h, stX, newClientId(), [returned(1, sn!, xNo!)]);
    expect(rx.body.results[0]).toMatchObject({ status: 'rejected', reason: 'allocation_cancelled', intercept: true });
    // The merchant sees and ships Y's number, not X's live one.
    const order = await ok(h, 'GET', `/v1/merchant/orders/${encodeURIComponent(sn!)}`, { token: merchant.token });
    expect(JSON.stringify(order)).toContain(res.waybillNo);
    expect(JSON.stringify(order)).not.toContain(xNo!);
    const shipped = await ship(h, merchant, [sn!], await returnAddress(h, merchant));
    expect(shipped.body.results[0]).toMatchObject({ status: 'shipped', waybillNo: res.waybillNo });
  });
});
