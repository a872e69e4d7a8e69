/** Every migration, by name; names sort lexically and are applied in that order (../migrate.ts). */
import type { Migration } from 'kysely/migration';
import * as hubCore from './0001_hub_core.ts';
import * as flow from './0002_flow.ts';
import * as issuedPerFactory from './0003_issued_per_factory.ts';
import * as stationClaims from './0004_station_claims.ts';
import * as consoleSessions from './0005_console_sessions.ts';
import * as allocationsByMerchant from './0006_allocations_by_merchant.ts';
import * as rateLimits from './0007_rate_limits.ts';
import * as feedCheckpoints from './0008_feed_checkpoints.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_hub_core': hubCore,
  '0002_flow': flow,
  '0003_issued_per_factory': issuedPerFactory,
  '0004_station_claims': stationClaims,
  '0005_console_sessions': consoleSessions,
  '0006_allocations_by_merchant': allocationsByMerchant,
  '0007_rate_limits': rateLimits,
  '0008_feed_checkpoints': feedCheckpoints,
};
