import { describe, expect, it } from 'vitest';
import {
  allocatability,
  autoUnallocateReason,
  isWaybillStale,
  printability,
  type Allocation,
  type PrintabilityOptions,
  type OrderState,
  type Waybill,
} from '../../shared/domain/index.ts';

const T = '2026-11-27T00:00:00.000Z';
const allocated = (factoryShopId = 7): Allocation => ({
  factoryShopId,
  status: 'allocated',
  allocatedAt: T,
  cancelledAt: null,
  cancelReason: null,
});
const waybill = (over: Partial<Waybill> = {}): Waybill => ({
  waybillNo: '731234567890',
  courier: 'ZTO',
  addressVersion: 1,
  status: 'issued',
  issuedAt: T,
  returnedAt: null,
  claim: null,
  ...over,
});
const claimedBy = (stationId: number, stationName = `打印站${stationId}`): Waybill['claim'] => ({
  stationId,
  stationName,
  claimedAt: T,
});
const order = (over: Partial<OrderState> = {}): OrderState => ({
  status: 'awaiting_shipment',
  afterSale: 'none',
  audit: 'none',
  addressVersion: 1,
  allocation: allocated(),
  waybill: null,
  ...over,
});

describe('printability', () => {
  const cases: Array<[string, OrderState, ReturnType<typeof printability>, PrintabilityOptions?]> = [
    ['allocated, no waybill yet', order(), { printable: true }],
    ['allocated, waybill issued at the current address', order({ waybill: waybill() }), { printable: true }],
    ['after-sale closed again', order({ afterSale: 'closed' }), { printable: true }],
    ['audit released', order({ audit: 'released' }), { printable: true }],
    ['after-sale open', order({ afterSale: 'open' }), { printable: false, reason: 'after_sale' }],
    ['under audit', order({ audit: 'hold' }), { printable: false, reason: 'audit_hold' }],
    [
      'address changed after the waybill was issued',
      order({ addressVersion: 2, waybill: waybill({ addressVersion: 1 }) }),
      { printable: false, reason: 'address_changed' },
    ],
    ['address changed before any waybill: a new one will carry it', order({ addressVersion: 3 }), { printable: true }],
    [
      'allocation cancelled by the merchant',
      order({ allocation: { ...allocated(), status: 'cancelled', cancelledAt: T, cancelReason: 'merchant' } }),
      { printable: false, reason: 'allocation_cancelled' },
    ],
    [
      'auto-unallocated by after-sale: the live cause is shown',
      order({
        afterSale: 'open',
        allocation: { ...allocated(), status: 'cancelled', cancelledAt: T, cancelReason: 'after_sale' },
      }),
      { printable: false, reason: 'after_sale' },
    ],
    [
      'auto-unallocated by audit: the live cause is shown',
      order({
        audit: 'hold',
        allocation: { ...allocated(), status: 'cancelled', cancelledAt: T, cancelReason: 'audit_hold' },
      }),
      { printable: false, reason: 'audit_hold' },
    ],
    [
      'auto-unallocated by after-sale that has since closed: the cancellation stands',
      order({
        afterSale: 'closed',
        allocation: { ...allocated(), status: 'cancelled', cancelledAt: T, cancelReason: 'after_sale' },
      }),
      { printable: false, reason: 'allocation_cancelled' },
    ],
    ['order cancelled', order({ status: 'cancelled' }), { printable: false, reason: 'order_cancelled' }],
    [
      'order shipped',
      order({ status: 'shipped', waybill: waybill({ status: 'returned' }) }),
      { printable: false, reason: 'order_shipped' },
    ],
    [
      'tracking number already returned',
      order({ waybill: waybill({ status: 'returned', returnedAt: T }) }),
      { printable: false, reason: 'waybill_returned' },
    ],
    [
      'returned, explicit reprint',
      order({ waybill: waybill({ status: 'returned', returnedAt: T }) }),
      { printable: true },
      { reprint: true },
    ],
    [
      'returned then after-sale: reprint still allowed (M7 ends at the return)',
      order({ afterSale: 'open', waybill: waybill({ status: 'returned', returnedAt: T }) }),
      { printable: true },
      { reprint: true },
    ],
    [
      'reprint does not revive a cancelled order',
      order({ status: 'cancelled', waybill: waybill({ status: 'returned', returnedAt: T }) }),
      { printable: false, reason: 'order_cancelled' },
      { reprint: true },
    ],
    ['never allocated', order({ allocation: null }), { printable: false, reason: 'not_allocated' }],
    [
      'allocated to another factory',
      order({ allocation: allocated(8) }),
      { printable: false, reason: 'not_allocated' },
      { factoryShopId: 7 },
    ],
    ['allocated to this factory', order({ allocation: allocated(7) }), { printable: true }, { factoryShopId: 7 }],
    [
      'another factory asks about a cancelled allocation: not_allocated leaks nothing',
      order({ status: 'cancelled', allocation: allocated(8) }),
      { printable: false, reason: 'not_allocated' },
      { factoryShopId: 7 },
    ],
    [
      'after-sale outranks a stale waybill',
      order({ afterSale: 'open', addressVersion: 2, waybill: waybill() }),
      { printable: false, reason: 'after_sale' },
    ],
  ];
  it.each(cases)('%s', (_name, state, expected, opts) => {
    expect(printability(state, opts)).toEqual(expected);
  });
  it('a cancelled waybill is never stale', () => {
    expect(isWaybillStale(order({ addressVersion: 5, waybill: waybill({ status: 'cancelled' }) }))).toBe(false);
    expect(isWaybillStale(order({ addressVersion: 5, waybill: waybill() }))).toBe(true);
  });
});

describe('printability: station claims (one label per order, D10)', () => {
  const heldBy2 = waybill({ claim: claimedBy(2, '二号站') });
  const cases: Array<[string, OrderState, ReturnType<typeof printability>, PrintabilityOptions?]> = [
    ['the holding station asks', order({ waybill: heldBy2 }), { printable: true }, { stationId: 2 }],
    [
      'another station asks',
      order({ waybill: heldBy2 }),
      { printable: false, reason: 'printing_elsewhere' },
      { stationId: 3 },
    ],
    [
      'another station of the same factory asks',
      order({ waybill: heldBy2 }),
      { printable: false, reason: 'printing_elsewhere' },
      { factoryShopId: 7, stationId: 3 },
    ],
    ['another station takes over', order({ waybill: heldBy2 }), { printable: true }, { stationId: 3, takeover: true }],
    ['no station named (the merchant’s or the factory’s view)', order({ waybill: heldBy2 }), { printable: true }],
    [
      'an unclaimed number: the first station to ask takes it',
      order({ waybill: waybill() }),
      { printable: true },
      {
        stationId: 3,
      },
    ],
    ['no number yet', order(), { printable: true }, { stationId: 3 }],
    [
      'a returned number is not printing elsewhere: it is returned',
      order({ waybill: waybill({ status: 'returned', returnedAt: T, claim: claimedBy(2) }) }),
      { printable: false, reason: 'waybill_returned' },
      { stationId: 3 },
    ],
    [
      'any station may reprint a returned number',
      order({ waybill: waybill({ status: 'returned', returnedAt: T, claim: claimedBy(2) }) }),
      { printable: true },
      { stationId: 3, reprint: true },
    ],
    [
      'after-sale outranks a claim elsewhere',
      order({ afterSale: 'open', waybill: heldBy2 }),
      { printable: false, reason: 'after_sale' },
      { stationId: 3 },
    ],
    [
      'audit outranks a claim elsewhere',
      order({ audit: 'hold', waybill: heldBy2 }),
      { printable: false, reason: 'audit_hold' },
      { stationId: 3 },
    ],
    [
      'a stale number outranks a claim elsewhere',
      order({ addressVersion: 2, waybill: heldBy2 }),
      { printable: false, reason: 'address_changed' },
      { stationId: 3 },
    ],
    [
      'a cancelled allocation outranks a claim elsewhere',
      order({
        allocation: { ...allocated(), status: 'cancelled', cancelledAt: T, cancelReason: 'merchant' },
        waybill: heldBy2,
      }),
      { printable: false, reason: 'allocation_cancelled' },
      { stationId: 3 },
    ],
    [
      'a cancelled order outranks a claim elsewhere',
      order({ status: 'cancelled', waybill: heldBy2 }),
      { printable: false, reason: 'order_cancelled' },
      { stationId: 3 },
    ],
    [
      'another factory’s station is not_allocated, not told who prints',
      order({ waybill: heldBy2 }),
      { printable: false, reason: 'not_allocated' },
      { factoryShopId: 8, stationId: 3 },
    ],
    [
      'a takeover never overrides after-sale',
      order({ afterSale: 'open', waybill: heldBy2 }),
      { printable: false, reason: 'after_sale' },
      { stationId: 3, takeover: true },
    ],
    [
      'a takeover never overrides a stale number',
      order({ addressVersion: 2, waybill: heldBy2 }),
      { printable: false, reason: 'address_changed' },
      { stationId: 3, takeover: true },
    ],
  ];
  it.each(cases)('%s', (_name, state, expected, opts) => {
    expect(printability(state, opts)).toEqual(expected);
  });
});

describe('allocatability', () => {
  const free = order({ allocation: null });
  const cases: Array<[string, OrderState | null, boolean, ReturnType<typeof allocatability>]> = [
    ['a normal order to a bound factory', free, true, { allocatable: true }],
    [
      're-allocation after the merchant cancelled',
      order({ allocation: { ...allocated(), status: 'cancelled', cancelledAt: T, cancelReason: 'merchant' } }),
      true,
      { allocatable: true },
    ],
    ['after-sale closed', order({ allocation: null, afterSale: 'closed' }), true, { allocatable: true }],
    ['unknown order', null, true, { allocatable: false, reason: 'not_found' }],
    [
      'after-sale open',
      order({ allocation: null, afterSale: 'open' }),
      true,
      { allocatable: false, reason: 'after_sale' },
    ],
    ['under audit', order({ allocation: null, audit: 'hold' }), true, { allocatable: false, reason: 'audit_hold' }],
    ['not bound', free, false, { allocatable: false, reason: 'not_bound' }],
    ['already allocated', order(), true, { allocatable: false, reason: 'already_allocated' }],
    ['shipped', order({ allocation: null, status: 'shipped' }), true, { allocatable: false, reason: 'order_shipped' }],
    [
      'cancelled',
      order({ allocation: null, status: 'cancelled' }),
      true,
      { allocatable: false, reason: 'order_cancelled' },
    ],
    [
      'after-sale outranks not-bound',
      order({ allocation: null, afterSale: 'open' }),
      false,
      { allocatable: false, reason: 'after_sale' },
    ],
  ];
  it.each(cases)('%s', (_name, state, bound, expected) => {
    expect(allocatability(state, { bound })).toEqual(expected);
  });
});

describe('autoUnallocateReason (M3)', () => {
  it.each([
    ['after-sale opens on an allocated order', order({ afterSale: 'open' }), 'after_sale'],
    ['audit hold on an allocated order', order({ audit: 'hold' }), 'audit_hold'],
    ['order cancelled while allocated', order({ status: 'cancelled' }), 'order_cancelled'],
    ['normal allocated order stays', order(), null],
    ['not allocated: nothing to undo', order({ allocation: null, afterSale: 'open' }), null],
    [
      'after the return it is handled offline',
      order({ afterSale: 'open', waybill: waybill({ status: 'returned' }) }),
      null,
    ],
  ] as const)('%s', (_n, state, expected) => {
    expect(autoUnallocateReason(state)).toBe(expected);
  });
});
