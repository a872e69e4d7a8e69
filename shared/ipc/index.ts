export * from './errors.ts';
export * from './settings.ts';
export * from './print.ts';
export * from './contract.ts';
export * from './wire.ts';
export * from './client.ts';
