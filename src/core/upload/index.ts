export * from './transport';
export * from './engine';
export * from './failure';
