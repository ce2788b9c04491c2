export * from './records';
export * from './merge';
export * from './report';
