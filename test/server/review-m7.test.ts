/**
 * Review probes for M7 on the push side: a label printed with a number that went stale through an
 * address change must be intercepted when its return arrives, even if a fresh number was issued since.
 */
import { expect, it } from 'vitest';
import { describeEachDb, makeOrder, platformEvent } from './support/hub.ts';
import { allocatedOrders, issueNumbers, newClientId, push, returned } from './flow-support.ts';

describeEachDb('review: M7 return of a number made stale by an address change', ({ hub }) => {
  it('old number returned after the address changed and a new number was issued: rejected with intercept', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 1);
    const sn = sns[0]!;
    const [oldNo] = await issueNumbers(h, station, [sn]);
    // The worker prints the old label; then the consumer changes the address.
    await platformEvent(h, sn, {
      type: 'address_changed',
      recipient: { ...makeOrder().recipient, detail: '改址路 9 号' },
    });
    // Another print run (or another station) issues the fresh number for the new address.
    const [newNo] = await issueNumbers(h, station, [sn]);
    expect(newNo).not.toBe(oldNo);
    // The parcel with the OLD label is about to leave: its return must tell the worker to pull it.
    const r = await push(h, station, newClientId(), [returned(1, sn, oldNo!)]);
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', reason: 'address_changed', intercept: true });
    // The fresh number still returns normally.
    const ok = await push(h, station, newClientId(), [returned(1, sn, newNo!)]);
    expect(ok.body.results[0]).toEqual({ id: 1, status: 'applied' });
  });

  it('a number the station cancelled itself, then returned, is still a plain waybill_cancelled rejection', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 1);
    const [no] = await issueNumbers(h, station, sns);
    const r = await push(h, station, newClientId(), [
      { id: 1, type: 'waybill_cancelled', orderSn: sns[0]!, waybillNo: no!, reason: '打错了' },
      returned(2, sns[0]!, no!),
    ]);
    expect(r.body.results[1]).toMatchObject({ status: 'rejected', reason: 'waybill_cancelled' });
  });
});
