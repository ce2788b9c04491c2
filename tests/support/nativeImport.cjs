// Loaded with Node's own require, so this import() is Node's native ESM loader, not Vitest's runner.
module.exports = (url) => import(url);
