export { type DemoOptions, type DemoOutcome, runDemo } from './demo.js';
