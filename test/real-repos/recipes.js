// How each repository of the real-repository list is installed, type-checked, tested and migrated:
// the commits and commands there, as data. `paths` and `params` are the codemod's arguments (paths
// relative to the checkout, which is also where the codemod runs); `census` the folders whose
// sources are counted (the codemod's paths unless a recipe says otherwise). Commands run with bash
// in the checkout, or in `cwd` below it. A row is one (repository, parameter set): `id` names it.
//
// The repositories are test subjects: nothing of theirs is copied here, only how to run them.

// The end-to-end encryption package of matrix-appservice-irc downloads a native binary from outside
// the registry at install; its unit specs never call it, so an installed stub stands in: every
// export an empty class.
const MATRIX_CRYPTO_STUB = [
  'rm -rf node_modules/@matrix-org/matrix-sdk-crypto-nodejs-linux-x64-gnu',
  'mkdir -p node_modules/@matrix-org/matrix-sdk-crypto-nodejs-linux-x64-gnu',
  'cd node_modules/@matrix-org/matrix-sdk-crypto-nodejs-linux-x64-gnu',
  `printf '%s\\n' '{"name":"@matrix-org/matrix-sdk-crypto-nodejs-linux-x64-gnu","version":"0.0.0-stub","main":"index.js"}' > package.json`,
  `printf '%s\\n' 'const classes = new Map();' 'module.exports = new Proxy({}, { get(_, name) { if (!classes.has(name)) classes.set(name, class {}); return classes.get(name); } });' > index.js`,
].join(' && ');

// linz/basemaps: every package's built tests but the smoke tests, one `node --test` per package.
const BASEMAPS_TESTS = [
  'for dir in packages/*/; do',
  '  [ "$dir" = packages/smoke/ ] && continue;',
  '  [ -d "$dir/build" ] || continue;',
  '  files=$(cd "$dir" && find build -name "*.test.js" | sort);',
  '  [ -n "$files" ] && (cd "$dir" && node --test $files);',
  'done; true',
].join(' ');

export const recipes = [
  {
    id: 'nestjs-starter-rest-api',
    repo: 'monstar-lab-oss/nestjs-starter-rest-api',
    commit: 'f751b0ae4c8ab631069a450ca27096357769e5a3',
    install: ['npm ci --ignore-scripts', 'npm_config_nodedir=/usr npm rebuild bcrypt'],
    typecheck: 'npx tsc --noEmit',
    test: { command: 'npx jest --runInBand', format: 'jest' },
    codemod: { paths: ['.'], params: ['ctx'] },
  },
  {
    id: 'hmpps-temporary-accommodation-ui',
    repo: 'ministryofjustice/hmpps-temporary-accommodation-ui',
    commit: 'a9c5d7d7c56f0162a73c858738e2d68457925ba1',
    install: ['npm ci --engine-strict=false'],
    typecheck: 'npx tsc --noEmit',
    test: {
      // The pact contract suites need the network; the templates file is not a test (as in its config).
      command: "npx jest --coverage=false --maxWorkers=2 --testPathIgnorePatterns '/server/data/[^/]*Client\\.test\\.ts$' '/server/form-pages/utils/templates/test\\.ts$'",
      format: 'jest',
    },
    // No src/: the code is under server/, so the context module goes there too.
    codemod: { paths: ['.'], params: ['callConfig'], args: ['--context-module', 'server/context.ts'] },
  },
  {
    id: 'authentication-frontend',
    repo: 'govuk-one-login/authentication-frontend',
    commit: '9367f556f047586d5566889da185611beb081e6d',
    install: ['npm ci --engine-strict=false'],
    typecheck: 'npx tsc --noEmit',
    test: { command: 'npm run test:unit-nocov', format: 'mocha' },
    codemod: { paths: ['.'], params: ['sessionId'] },
  },
  {
    id: 'matrix-appservice-irc',
    repo: 'matrix-org/matrix-appservice-irc',
    commit: 'ef5eb44fea268690b423509c74dac47ac032978e',
    install: ['npx -y yarn@1 install --frozen-lockfile --ignore-scripts', MATRIX_CRYPTO_STUB],
    typecheck: 'npx tsc --project ./tsconfig.json',
    test: { command: 'npx ts-node --project spec/tsconfig.json node_modules/jasmine/bin/jasmine', format: 'jasmine' },
    codemod: { paths: ['.'], params: ['req'] },
  },
  {
    id: 'electronic-prescription-service-api',
    repo: 'NHSDigital/electronic-prescription-service-api',
    commit: '77e80e11f58013e89c6b4f1c3d767373faa8c29d',
    install: ['npm ci -w packages/coordinator -w packages/models --include-workspace-root --ignore-scripts'],
    typecheck: { command: 'npx tsc -p tsconfig-build.json', cwd: 'packages/coordinator' },
    test: {
      // The workspace's vitest config sits at the repository root, with the package as a project.
      command: 'npx vitest run --project coordinator --exclude "**/convert.validations*" --exclude "**/certificate-revocation*" --exclude "**/release-response*" --exclude "**/node_modules/**"',
      cwd: 'packages/coordinator',
      format: 'vitest',
    },
    codemod: { paths: ['packages/coordinator'], params: ['logger'] },
  },
  {
    id: 'basemaps-logger',
    repo: 'linz/basemaps',
    commit: '1dffae51ae6b676ea38a059f11c449d54372e34b',
    install: ['npm install --ignore-scripts --engine-strict=false'],
    typecheck: 'npx tsc -b',
    test: { command: BASEMAPS_TESTS, format: 'node-test' },
    codemod: { paths: ['.'], params: ['logger'] },
  },
  {
    id: 'basemaps-req',
    repo: 'linz/basemaps',
    commit: '1dffae51ae6b676ea38a059f11c449d54372e34b',
    install: ['npm install --ignore-scripts --engine-strict=false'],
    typecheck: 'npx tsc -b',
    test: { command: BASEMAPS_TESTS, format: 'node-test' },
    codemod: { paths: ['.'], params: ['req'] },
  },
];

export function recipeById(id) {
  const recipe = recipes.find((r) => r.id === id);
  if (!recipe) throw new Error(`unknown recipe "${id}"; known: ${recipes.map((r) => r.id).join(', ')}`);
  return recipe;
}
