export * from './rules';
export * from './dates';
