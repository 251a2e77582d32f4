export * from './options.ts';
export * from './agencies.ts';
export * from './national-id.ts';
export * from './dates.ts';
export * from './schemas.ts';
export * from './validate-doc.ts';
export * from './completeness.ts';
export * from './ids.ts';
