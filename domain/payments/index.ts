export * from './allocation';
export * from './entries';
export * from './references';
