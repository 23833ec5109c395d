export * from './transport';
export * from './engine';
