export * from './errors';
export * from './xml';
export * from './camt054';
export * from './ktl';
export * from './pain001';
export * from './finvoice';
export * from './taxReport';
