// One measured ESLint run, in its own process: `node bench/eslint/lint-once.js <dir> <variant> [--stats]`.
// Lints <dir>/src/**/*.ts through the ESLint Node API with the variant's flat config (variants.js)
// and prints one JSON line: lint time, problems per rule, the rules enabled, and with --stats the
// per-rule times ESLint's `stats` option collects (the data behind TIMING=1, for every rule and
// file). The plugin is imported only by the variants that use it, so the baseline does not pay
// for loading it.
import { ESLint } from 'eslint';
import { configFor, variants } from './variants.js';

const [dir, variant, flag] = process.argv.slice(2);
if (!dir || !variants[variant]) {
  process.stderr.write(`usage: node bench/eslint/lint-once.js <dir> <${Object.keys(variants).join('|')}> [--stats]\n`);
  process.exit(2);
}
const stats = flag === '--stats';

const started = performance.now();
const overrideConfig = await configFor(variant);
// Building the config imports the plugin (in its variants): its load time, shown on its own.
const configMs = performance.now() - started;
const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig, stats, cache: false });
const results = await eslint.lintFiles(['src/**/*.ts']);
const lintMs = performance.now() - started;

const problemsByRule = {};
let fatal = 0;
for (const result of results) {
  for (const message of result.messages) {
    if (message.fatal) fatal++;
    const rule = message.ruleId ?? '(parse error)';
    problemsByRule[rule] = (problemsByRule[rule] ?? 0) + 1;
  }
}

let ruleMs;
let parseMs;
if (stats) {
  ruleMs = {};
  parseMs = 0;
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      parseMs += pass.parse?.total ?? 0;
      for (const [rule, time] of Object.entries(pass.rules ?? {})) ruleMs[rule] = (ruleMs[rule] ?? 0) + time.total;
    }
  }
}

const config = await eslint.calculateConfigForFile(`${dir}/src/server.ts`);
const enabledRules = Object.entries(config.rules ?? {})
  .filter(([, entry]) => (Array.isArray(entry) ? entry[0] : entry) !== 0 && (Array.isArray(entry) ? entry[0] : entry) !== 'off')
  .map(([rule]) => rule)
  .sort();

process.stdout.write(`${JSON.stringify({ variant, files: results.length, fatal, lintMs, configMs, problemsByRule, enabledRules, ruleMs, parseMs })}\n`);
