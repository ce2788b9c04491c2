export * from './holidays';
export * from './deadline';
export * from './settings';
export * from './report';
export * from './corrections';
