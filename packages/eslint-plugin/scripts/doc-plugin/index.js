// The plugin as eslint-doc-generator needs to see it. The generator names rules `<prefix>/<rule>`
// and reads the prefix from `meta.name`: for `@unthread/eslint-plugin` that is `@unthread`, while the
// configs register the plugin under its namespace, `unthread`. Presenting the built plugin under the
// unscoped name `eslint-plugin-unthread` makes the generator's prefix match the namespace; nothing
// else changes. Run `npm run docs` (or `docs:check`) in packages/eslint-plugin after `tsc -b`.
import plugin from '../../dist/index.mjs';

export default { ...plugin, meta: { ...plugin.meta, name: `eslint-plugin-${plugin.meta.namespace}` } };
