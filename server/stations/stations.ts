/** Print stations: one-time pairing codes, pairing, listing and revoking. */
import { randomBytes, randomInt } from 'node:crypto';
import type { PairStationResponse, StationView, StationMeResponse } from '../../shared/api/stations.ts';
import type { HubContext } from '../context.ts';
import type { StationCaller } from '../callers.ts';
import { nowIso } from '../context.ts';
import { DomainError } from '../errors.ts';
import { hashSecret, newToken, STATION_TOKEN_PREFIX } from '../secrets.ts';
import { noteOnCommit, writeTx } from '../db/tx.ts';
import { recordFeedChanges } from './feed-versions.ts';

export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;
/** No 0/O, 1/I: the code is read off one screen and typed into another. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Upper-case, separators dropped: "abcd-efgh" and "ABCD EFGH" are the same code. */
export function normalisePairingCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export async function createPairingCode(
  ctx: HubContext,
  factoryShopId: number,
): Promise<{ code: string; expiresAt: string }> {
  let raw = '';
  for (let i = 0; i < 8; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
  await ctx.db
    .insertInto('pairing_codes')
    .values({
      code_hash: hashSecret(raw),
      factory_shop_id: factoryShopId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
      station_id: null,
    })
    .execute();
  return { code: `${raw.slice(0, 4)}-${raw.slice(4)}`, expiresAt };
}

export async function pairStation(ctx: HubContext, code: string, name: string): Promise<PairStationResponse> {
  const at = nowIso(ctx);
  const token = newToken(STATION_TOKEN_PREFIX);
  const payloadKey = randomBytes(32).toString('base64');
  return writeTx(ctx, async (trx) => {
    // Single use: the code is consumed by the same statement that checks it.
    const used = await trx
      .updateTable('pairing_codes')
      .set({ used_at: at })
      .where('code_hash', '=', hashSecret(normalisePairingCode(code)))
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .returning('factory_shop_id')
      .executeTakeFirst();
    if (!used) throw new DomainError('PAIRING_CODE_INVALID', '配对码无效或已过期，请在厂家后台重新生成');
    const factory = await trx
      .selectFrom('shops')
      .select('role')
      .where('id', '=', used.factory_shop_id)
      .executeTakeFirst();
    if (factory?.role !== 'factory')
      throw new DomainError('PAIRING_CODE_INVALID', '配对码无效或已过期，请在厂家后台重新生成');
    const st = await trx
      .insertInto('stations')
      .values({
        factory_shop_id: used.factory_shop_id,
        name,
        token_hash: hashSecret(token),
        payload_key: payloadKey,
        paired_at: at,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('pairing_codes')
      .set({ station_id: st.id })
      .where('code_hash', '=', hashSecret(normalisePairingCode(code)))
      .execute();
    return { stationId: st.id, factoryShopId: used.factory_shop_id, token, payloadKey };
  });
}

function view(r: { id: number; name: string; paired_at: string; revoked_at: string | null }): StationView {
  return { stationId: r.id, name: r.name, pairedAt: r.paired_at, revokedAt: r.revoked_at };
}

export async function listStations(ctx: HubContext, factoryShopId: number): Promise<StationView[]> {
  const rows = await ctx.db
    .selectFrom('stations')
    .select(['id', 'name', 'paired_at', 'revoked_at'])
    .where('factory_shop_id', '=', factoryShopId)
    .orderBy('id')
    .execute();
  return rows.map(view);
}

/**
 * Revoking is immediate: every station request looks its token up afresh. Revoking twice is a no-op.
 * The station's claims stop blocking at once (D10), so every station of the factory hears of the
 * orders it held: they may be printed elsewhere now.
 */
export async function revokeStation(ctx: HubContext, factoryShopId: number, stationId: number): Promise<StationView> {
  const at = nowIso(ctx);
  return writeTx(ctx, async (trx) => {
    // The factory's version row first (this transaction locks no order): a claim taken meanwhile
    // commits before it, or after it with its own feed change. The held orders' entries exist already
    // (issuing wrote them, compaction keeps them), so recording them below updates rows and waits on
    // no order's lock.
    if (ctx.dialect === 'postgres') {
      await trx
        .selectFrom('factory_versions')
        .select('version')
        .where('factory_shop_id', '=', factoryShopId)
        .forUpdate()
        .execute();
    }
    const held = await trx
      .selectFrom('waybills')
      .select('order_id')
      .where('station_id', '=', stationId)
      .where('factory_shop_id', '=', factoryShopId)
      .where('status', '=', 'issued')
      .execute();
    const live = await trx
      .selectFrom('stations')
      .select('id')
      .where('id', '=', stationId)
      .where('factory_shop_id', '=', factoryShopId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (live && held.length > 0) {
      await recordFeedChanges(trx, new Map([[factoryShopId, held.map((w) => w.order_id)]]));
    }
    await trx
      .updateTable('stations')
      .set({ revoked_at: at })
      .where('id', '=', stationId)
      .where('factory_shop_id', '=', factoryShopId)
      .where('revoked_at', 'is', null)
      .execute();
    // Its event stream ends on every hub (stations/feed-events.ts).
    if (live) noteOnCommit(trx, { kind: 'revoked', stationId });
    const r = await trx
      .selectFrom('stations')
      .select(['id', 'name', 'paired_at', 'revoked_at'])
      .where('id', '=', stationId)
      .where('factory_shop_id', '=', factoryShopId)
      .executeTakeFirst();
    if (!r) throw new DomainError('STATION_NOT_FOUND', '打印站不存在');
    return view(r);
  });
}

/** A paired station: who it is, and its factory's name. */
export async function stationIdentity(ctx: HubContext, station: StationCaller): Promise<StationMeResponse> {
  const f = await ctx.db
    .selectFrom('factory_profiles')
    .select('name')
    .where('shop_id', '=', station.factoryShopId)
    .executeTakeFirst();
  return {
    stationId: station.stationId,
    name: station.name,
    factoryShopId: station.factoryShopId,
    factoryName: f?.name ?? '',
  };
}
