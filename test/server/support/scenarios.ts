/** Helpers for the hub suites that issue, return, cancel and ship: station calls and the usual set-ups. */
import { randomBytes } from 'node:crypto';
import type { Mutation, MutationsResponse, WaybillsResponse } from '../../../shared/api/waybills.ts';
import type { z } from 'zod';
import type { ShipmentsResponseSchema } from '../../../shared/api/shipping.ts';
import {
  allocate,
  boundPair,
  call,
  createOrders,
  ok,
  type ApiResponse,
  type TestHub,
  type TestShop,
  type TestStation,
} from './hub.ts';

export type Courier = 'ZTO' | 'YTO' | 'YUNDA' | 'STO' | 'JTSD';

export async function issue(h: TestHub, station: TestStation, orderSns: string[], courier: Courier = 'ZTO') {
  return ok<WaybillsResponse>(h, 'POST', '/v1/station/waybills', { token: station.token, body: { orderSns, courier } });
}

/** Take the orders over from whichever station of the factory holds them, with a reason. */
export async function takeOver(h: TestHub, station: TestStation, orderSns: string[], reason: string) {
  return ok<WaybillsResponse>(h, 'POST', '/v1/station/waybills', {
    token: station.token,
    body: { orderSns, courier: 'ZTO', takeover: { reason } },
  });
}

/** The issued number of each sn (throws if one was refused). */
export async function issueNumbers(h: TestHub, station: TestStation, orderSns: string[], courier: Courier = 'ZTO') {
  const res = await issue(h, station, orderSns, courier);
  return res.results.map((r) => {
    if (r.status !== 'issued') throw new Error(`${r.orderSn} refused: ${r.reason}`);
    return r.waybillNo;
  });
}

export function push(
  h: TestHub,
  station: TestStation,
  clientId: string,
  mutations: Mutation[],
): Promise<ApiResponse<MutationsResponse & { error?: { code: string; message: string; lastMutationId: number } }>> {
  return call(h, 'POST', '/v1/station/mutations', { token: station.token, body: { clientId, mutations } });
}

export function returned(
  id: number,
  orderSn: string,
  waybillNo: string,
  printedAt = new Date().toISOString(),
): Extract<Mutation, { type: 'waybill_returned' }> {
  return { id, type: 'waybill_returned', orderSn, waybillNo, printedAt };
}

export function reprinted(
  id: number,
  orderSn: string,
  waybillNo: string,
  reason: string,
  printedAt = new Date().toISOString(),
): Extract<Mutation, { type: 'label_reprinted' }> {
  return { id, type: 'label_reprinted', orderSn, waybillNo, reason, printedAt };
}

export function cancelled(
  id: number,
  orderSn: string,
  waybillNo: string,
  reason = '面单作废',
): Extract<Mutation, { type: 'waybill_cancelled' }> {
  return { id, type: 'waybill_cancelled', orderSn, waybillNo, reason };
}

export function newClientId(): string {
  return `st-${randomBytes(8).toString('hex')}`;
}

/** A bound merchant/factory with a station and `n` orders allocated to the factory. */
export async function allocatedOrders(
  h: TestHub,
  n: number,
): Promise<{ merchant: TestShop; factory: TestShop; station: TestStation; sns: string[] }> {
  const pair = await boundPair(h);
  const sns = await createOrders(h, pair.merchant, n);
  for (let i = 0; i < sns.length; i += 1000)
    await allocate(h, pair.merchant, pair.factory.shopId, sns.slice(i, i + 1000));
  return { ...pair, sns };
}

/** Issue and return (回传) numbers for these orders; returns the numbers. */
export async function issueAndReturn(h: TestHub, station: TestStation, sns: string[]): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < sns.length; i += 100) numbers.push(...(await issueNumbers(h, station, sns.slice(i, i + 100))));
  const clientId = newClientId();
  for (let i = 0; i < sns.length; i += 100) {
    const muts = sns.slice(i, i + 100).map((sn, j) => returned(i + j + 1, sn, numbers[i + j]!));
    const r = await push(h, station, clientId, muts);
    if (r.status !== 200 || r.body.results.some((x) => x.status !== 'applied')) {
      throw new Error(`return failed: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    }
  }
  return numbers;
}

export async function returnAddress(h: TestHub, merchant: TestShop): Promise<number> {
  const r = await ok<{ returnAddress: { id: number } }>(h, 'POST', '/v1/merchant/return-addresses', {
    token: merchant.token,
    body: { name: '售后部 李四', phone: '0571-88886666', address: '浙江省杭州市余杭区仓前街道退货仓 2 号门' },
  });
  return r.returnAddress.id;
}

export function ship(h: TestHub, merchant: TestShop, orderSns: string[], returnAddressId: number) {
  return call<z.infer<typeof ShipmentsResponseSchema>>(h, 'POST', '/v1/merchant/shipments', {
    token: merchant.token,
    body: { orderSns, returnAddressId },
  });
}

export async function setClock(h: TestHub, now: Date | string): Promise<void> {
  await ok(h, 'POST', '/v1/platform/clock', {
    token: h.adminToken,
    body: { now: typeof now === 'string' ? now : now.toISOString() },
  });
}
