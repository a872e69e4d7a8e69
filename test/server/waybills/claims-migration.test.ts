/**
 * Upgrading a hub database made before station claims (migrations up to 0003): a hub of that time
 * issued and returned numbers with no station attached, and two stations of one factory could both
 * hold the same issued number. After the upgrade, a returned number belongs to the station that
 * returned it, an issued one to the first station that asks for it (the same number), and the
 * other station's return of that number is intercepted. On SQLite and PostgreSQL.
 */
import { NO_RATE_LIMITS } from '../../../server/config.ts';
import { randomBytes } from 'node:crypto';
import { Migrator } from 'kysely/migration';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { createSettableClock } from '../../../server/clock.ts';
import { openDb } from '../../../server/db/open.ts';
import { MIGRATIONS } from '../../../server/db/migrations/index.ts';
import type { MerchantOrderDetailResponse } from '../../../shared/api/orders.ts';
import {
  bindAndAccept,
  check,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDialect,
  freshDatabase,
  listenHub,
  ok,
  pairStation,
  pullAll,
  type TestHub,
  type TestShop,
  type TestStation,
} from '../support/hub.ts';
import { issue, issueNumbers, newClientId, push, reprinted, returned } from '../support/scenarios.ts';

const BEFORE_CLAIMS = '0003_issued_per_factory';

interface OldWorld {
  merchant: TestShop;
  a: TestStation;
  b: TestStation;
  /** issued, printed by both stations; returned by a; issued, asked for by both at once; no number yet */
  sns: [string, string, string, string];
  numbers: { shared: string; returnedByA: string; contested: string };
}

/** A hub on a database migrated only up to `BEFORE_CLAIMS`, with the numbers such a hub had issued. */
async function buildOldDatabase(dialect: 'sqlite' | 'postgres', url: string, adminToken: string): Promise<OldWorld> {
  const db = await openDb(url, { migrate: false });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error } = await migrator.migrateTo(BEFORE_CLAIMS);
  if (error) throw error;
  // The schema of an older hub has no rate-limit table: this hub counts nothing.
  const app = await buildApp({
    db,
    clock: createSettableClock(),
    adminToken,
    logger: false,
    rateLimits: NO_RATE_LIMITS,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  const h = { dialect, url: `http://127.0.0.1:${addr.port}`, adminToken } as TestHub;
  try {
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    await bindAndAccept(h, merchant, factory);
    const sns = (await createOrders(h, merchant, 4)) as OldWorld['sns'];
    const a = await pairStation(h, factory, '老一号站');
    const b = await pairStation(h, factory, '老二号站');

    // The rows as the previous hub wrote them (this version's code reads columns that schema lacks):
    // the allocations and their feed entries, then no station on an issued number and the returner on
    // a returned one.
    const old = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const orders = await old.selectFrom('orders').select(['id', 'sn']).where('sn', 'in', sns).execute();
    const idOf = (sn: string) => orders.find((o) => o.sn === sn)!.id as number;
    await old
      .insertInto('allocations')
      .values(
        sns.map((sn) => ({
          order_id: idOf(sn),
          merchant_shop_id: merchant.shopId,
          factory_shop_id: factory.shopId,
          status: 'allocated',
          allocated_at: '2026-11-20T00:30:00.000Z',
          cancelled_at: null,
          cancel_reason: null,
        })),
      )
      .execute();
    const head = await old
      .updateTable('factory_versions')
      .set({ version: sql`version + ${sns.length}` })
      .where('factory_shop_id', '=', factory.shopId)
      .returning('version')
      .executeTakeFirstOrThrow();
    await old
      .insertInto('feed_entries')
      .values(
        sns.map((sn, i) => ({
          factory_shop_id: factory.shopId,
          order_id: idOf(sn),
          version: Number(head.version) - sns.length + 1 + i,
        })),
      )
      .execute();
    const tag = randomBytes(3).toString('hex').toUpperCase();
    const numbers = { shared: `YT${tag}0000001`, returnedByA: `YT${tag}0000002`, contested: `YT${tag}0000003` };
    const row = (sn: string, waybillNo: string, status: 'issued' | 'returned') => ({
      order_id: idOf(sn),
      order_sn: sn,
      factory_shop_id: factory.shopId,
      waybill_no: waybillNo,
      courier: 'YTO',
      address_version: 1,
      status,
      issued_at: '2026-11-20T01:00:00.000Z',
      returned_at: status === 'returned' ? '2026-11-20T02:00:00.000Z' : null,
      cancelled_at: null,
      printed_at: status === 'returned' ? '2026-11-20T01:30:00.000Z' : null,
      unverified: status === 'returned' ? 0 : null,
      slave_waybill_nos: null,
      returned_station_id: status === 'returned' ? a.stationId : null,
      cancel_reason: null,
    });
    await old
      .insertInto('waybills')
      .values([
        row(sns[0], numbers.shared, 'issued'),
        row(sns[1], numbers.returnedByA, 'returned'),
        row(sns[2], numbers.contested, 'issued'),
      ])
      .execute();
    expect(
      (await old.selectFrom('waybills').selectAll().where('order_sn', '=', sns[0]).executeTakeFirstOrThrow())
        .station_id,
      'the old schema has no claims',
    ).toBeUndefined();
    return { merchant, a, b, sns, numbers };
  } finally {
    await app.close();
    await db.destroy();
  }
}

describeEachDialect('a database from before station claims upgrades and keeps working', (dialect) => {
  let h: TestHub;
  let w: OldWorld;

  beforeAll(async () => {
    const { url, drop } = await freshDatabase(dialect);
    const adminToken = `admin-${randomBytes(8).toString('hex')}`;
    w = await buildOldDatabase(dialect, url, adminToken);
    // A hub of this version on it: opening the database runs the new migration.
    h = await listenHub({ dialect, databaseUrl: url, adminToken, onClose: drop });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('returned numbers keep the station that returned them; issued ones are unclaimed', async () => {
    const rows = await h.db
      .selectFrom('waybills')
      .select(['waybill_no', 'station_id', 'claimed_at'])
      .where('order_sn', 'in', w.sns)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { waybill_no: w.numbers.shared, station_id: null, claimed_at: null },
      { waybill_no: w.numbers.returnedByA, station_id: w.a.stationId, claimed_at: '2026-11-20T01:00:00.000Z' },
      { waybill_no: w.numbers.contested, station_id: null, claimed_at: null },
    ]);
    const feed = new Map((await pullAll(h, w.b)).pages.flatMap((p) => p.changes).map((c) => [c.orderSn, c]));
    expect(feed.get(w.sns[0])!.waybill).toMatchObject({ waybillNo: w.numbers.shared, claim: null });
    expect(feed.get(w.sns[1])!.waybill).toMatchObject({
      status: 'returned',
      claim: { stationId: w.a.stationId, stationName: '老一号站' },
    });
    const byB = (await check(h, w.b, w.sns)).results;
    expect(byB.map((c) => [c.printable, c.reason, c.claim?.stationId ?? null])).toEqual([
      [true, null, null],
      [false, 'waybill_returned', w.a.stationId],
      [true, null, null],
      [true, null, null],
    ]);
  });

  it('the first station to ask for an unclaimed number takes it as it is, also when both ask at once', async () => {
    const [ra, rb] = await Promise.all([issue(h, w.a, [w.sns[2]]), issue(h, w.b, [w.sns[2]])]);
    const results = [ra.results[0]!, rb.results[0]!];
    const issued = results.filter((r) => r.status === 'issued');
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ waybillNo: w.numbers.contested, reused: true });
    const winner = ra.results[0] === issued[0] ? w.a : w.b;
    expect(results.find((r) => r.status === 'refused')).toMatchObject({
      reason: 'printing_elsewhere',
      claimedBy: { stationId: winner.stationId },
    });
    expect(await issueNumbers(h, winner, [w.sns[2]])).toEqual([w.numbers.contested]);
  });

  it('of two stations that both printed the same old number, the first to return it holds it; the other is intercepted', async () => {
    const first = await push(h, w.a, newClientId(), [returned(1, w.sns[0], w.numbers.shared)]);
    expect(first.body.results).toEqual([{ id: 1, status: 'applied' }]);
    const second = await push(h, w.b, newClientId(), [returned(1, w.sns[0], w.numbers.shared)]);
    expect(second.body.results[0]).toMatchObject({ status: 'rejected', reason: 'taken_over', intercept: true });
    const row = await h.db
      .selectFrom('waybills')
      .select(['status', 'station_id', 'returned_station_id'])
      .where('waybill_no', '=', w.numbers.shared)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'returned', station_id: w.a.stationId, returned_station_id: w.a.stationId });
  });

  it('old returned numbers can be reprinted by any station, and new numbers are issued to a station', async () => {
    const r = await push(h, w.b, newClientId(), [reprinted(1, w.sns[1], w.numbers.returnedByA, '旧单补打')]);
    expect(r.body.results).toEqual([{ id: 1, status: 'applied' }]);
    const d = await ok<MerchantOrderDetailResponse>(h, 'GET', `/v1/merchant/orders/${w.sns[1]}`, {
      token: w.merchant.token,
    });
    expect(d.reprints).toMatchObject([
      { waybillNo: w.numbers.returnedByA, stationName: '老二号站', reason: '旧单补打' },
    ]);
    expect(d.takeovers).toEqual([]);

    const fresh = await issue(h, w.b, [w.sns[3]]);
    expect(fresh.results[0]).toMatchObject({ status: 'issued', reused: false });
    expect((await issue(h, w.a, [w.sns[3]])).results[0]).toMatchObject({
      status: 'refused',
      reason: 'printing_elsewhere',
      message: '其他打印站正在打印此单（老二号站）',
    });
  });
});
