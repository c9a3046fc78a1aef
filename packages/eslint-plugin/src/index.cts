// What require('@unthread/eslint-plugin') returns: the plugin object itself, as ESLint plugins written
// in CommonJS export it, not a `{ default }` wrapper.
import plugin from './index.js';

export = plugin;
