// Secret references are defined in the pure engine (src/arazzo/secrets/refs.ts), so the workflow
// and src/arazzo can use them without importing from here. This re-export keeps existing imports
// working; new code imports src/arazzo/secrets/refs.ts.
export * from '../arazzo/secrets/refs.js';
