export * from './exchange';
export * from './batchProgress';
