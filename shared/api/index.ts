export * from './common.ts';
export * from './hub.ts';
export * from './endpoints.ts';
