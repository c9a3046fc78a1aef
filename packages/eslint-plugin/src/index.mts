// The ESM entry re-exports the CommonJS one, so that a config that imports the plugin and one that
// requires it register the same object (ESLint refuses two different plugins under one namespace).
import plugin from './index.cjs';

export default plugin;
