/**
 * Every migration, in order. Names sort lexically and the Migrator applies them in that order.
 * Issue 4 ([hub-flow]) adds its own modules here, e.g. `'0002_flow': flow`.
 */
import type { Migration } from 'kysely/migration';
import * as hubCore from './0001_hub_core.ts';
import * as flow from './0002_flow.ts';
import * as issuedPerFactory from './0003_issued_per_factory.ts';
import * as stationClaims from './0004_station_claims.ts';
import * as consoleSessions from './0005_console_sessions.ts';
import * as allocationsByMerchant from './0006_allocations_by_merchant.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_hub_core': hubCore,
  '0002_flow': flow,
  '0003_issued_per_factory': issuedPerFactory,
  '0004_station_claims': stationClaims,
  '0005_console_sessions': consoleSessions,
  '0006_allocations_by_merchant': allocationsByMerchant,
};
