import type { StationDb } from '../../data/db.ts';

/** A worker has pulled the parcel: the alert stops showing, and keeps who-knew-when. */
export async function acknowledgeAlert(db: StationDb, id: number, at: string): Promise<void> {
  await db.alerts.update(id, { acked: 1, ackedAt: at });
}
