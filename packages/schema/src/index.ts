export * from './enums.ts';
export * from './errors.ts';
export * from './time.ts';
export * from './hashing.ts';
export * from './policy.ts';
export * from './entries.ts';
export * from './promises.ts';
export * from './authorship.ts';
