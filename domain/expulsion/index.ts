export * from './rules';
export * from './dates';
export * from './status';
export * from './letters';
export * from './consequences';
