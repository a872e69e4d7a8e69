/** Everything of the hub's API: one module per domain, the endpoint table and the typed client. */
export * from './common.ts';
export * from './shops.ts';
export * from './session.ts';
export * from './bindings.ts';
export * from './orders.ts';
export * from './stations.ts';
export * from './station-events.ts';
export * from './print-payload.ts';
export * from './waybills.ts';
export * from './shipping.ts';
export * from './prices.ts';
export * from './statements.ts';
export * from './risk.ts';
export * from './platform.ts';
export * from './endpoints.ts';
export * from './client.ts';
