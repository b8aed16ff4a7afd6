export { DEMO_FIRMS, type DemoFirm, type DemoRelationship, type DemoResult, isEmpty, type SeedOptions, seedDemo } from './seed.ts';
