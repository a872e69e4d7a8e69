export * from './schema.ts';
export * from './template.ts';
export * from './fields.ts';
export * from './text.ts';
export * from './layout.ts';
export * from './codes.ts';
export * from './sample.ts';
export * from './errors.ts';
