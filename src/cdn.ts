// IIFE entry for <script src>: rollup exposes these exports as the one global `MvxLogger`.
// The global is assigned by the IIFE wrapper itself; this module runs nothing of its own.
export * from './index.js';
