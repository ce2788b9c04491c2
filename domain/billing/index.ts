export * from './referenceNumber';
export * from './rfReference';
export * from './iban';
export * from './virtualBarcode';
export * from './fees';
