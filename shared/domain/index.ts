export * from './types.ts';
export * from './reasons.ts';
export * from './rules.ts';
export * from './masking.ts';
export * from './statement-limit.ts';
export * from './couriers.ts';
