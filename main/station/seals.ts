/**
 * main's signatures over what it relayed from the hub, so that offline it can trust the renderer's
 * stored copy (DESIGN.md §5, grace policy): a snapshot "order X at version v was normal, address
 * version a, claimed by station s", and the freshness "the feed was current up to cursor c at time t".
 * The key never leaves main, so the renderer can keep these but not forge or alter them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FactoryOrderSnapshot } from '../../shared/api/index.ts';
import type { Freshness, SnapshotSeal } from '../../shared/ipc/index.ts';

type SealFields = Omit<SnapshotSeal, 'seal'> & { orderSn: string };

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function snapshotText(s: SealFields): string {
  return [
    'snap',
    s.orderSn,
    s.version,
    s.printable ? 1 : 0,
    s.reason ?? '',
    s.addressVersion,
    s.claimStationId ?? '',
  ].join('|');
}

export function sealFieldsOf(s: FactoryOrderSnapshot): SealFields {
  return {
    orderSn: s.orderSn,
    version: s.version,
    printable: s.printable,
    reason: s.reason,
    addressVersion: s.addressVersion,
    claimStationId: s.waybill?.claim?.stationId ?? null,
  };
}

export function sealSnapshot(key: Buffer, s: SealFields): string {
  return mac(key, snapshotText(s));
}

export function sealFreshness(key: Buffer, cursor: string, at: string): Freshness {
  return { cursor, at, seal: mac(key, `fresh|${cursor}|${at}`) };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifySnapshot(key: Buffer, s: SealFields & { seal: string }): boolean {
  return same(s.seal, sealSnapshot(key, s));
}

export function verifyFreshness(key: Buffer, f: Freshness): boolean {
  return same(f.seal, sealFreshness(key, f.cursor, f.at).seal);
}
