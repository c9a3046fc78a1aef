// Renders the results as the markdown that goes to bench/results/context.md and to stdout.
import { targets as httpTargets } from './http/plan.js';
import { measureDefaults } from './micro/measure.js';
import { microVerdicts, httpVerdicts } from './verdicts.js';
import { codeBlock, environmentSection, MISS, PASS, table } from '../lib/markdown.js';

const ns = (value) => value.toFixed(1);
const ratio = (value) => `${value.toFixed(2)}x`;
const rps = (value) => Math.round(value).toLocaleString('en-US');

function summarySection(verdicts) {
  const missed = verdicts.filter((v) => !v.pass);
  const lines = [`**${verdicts.length - missed.length} of ${verdicts.length} targets met.**`];
  if (missed.length > 0) {
    lines.push('', 'Missed targets:', '', ...missed.map((v) => `- ${v.section === 'micro' ? 'micro' : 'HTTP'}, ${v.subject}: ${v.detail}.`));
  }
  return lines.join('\n');
}

function microSection(micro, microRounds) {
  const headline = table(
    ['Node', 'operation', 'ours (ns/op)', 'raw (ns/op)', 'ours / raw', 'target', 'result'],
    micro.filter((row) => row.target !== undefined).map((row) => {
      const { ours, raw } = row.variants;
      return [row.node, row.label, ns(ours.nsPerOp), ns(raw.nsPerOp), ratio(ours.ratio), `<= ${row.target}x`, ours.ratio <= row.target ? PASS : MISS];
    }),
  );
  const diagnostics = table(
    ['Node', 'case', 'variant', 'ns/op', 'vs raw'],
    micro
      .filter((row) => row.target === undefined || Object.keys(row.variants).length > 2)
      .flatMap((row) =>
        Object.entries(row.variants).map(([name, v]) => [row.node, row.caseId, row.labels[name], ns(v.nsPerOp), ratio(v.ratio)]),
      ),
  );
  return [
    '## 1. Micro-benchmarks',
    '',
    'Each (Node, case, variant) runs in its own child process with only the AsyncLocalStorage instance',
    `it needs: ${measureDefaults.warmupMs} ms warm-up, then ${measureDefaults.samples} samples of about ${measureDefaults.sampleMs} ms, a full GC before each, median kept.`,
    `The variants alternate process by process for ${microRounds} rounds (raw, ours, ... then the next round`,
    'starts one further along). **ns/op** is the median over rounds; **ours / raw** is the median of the',
    'per-round ratios. Every call creates a fresh `{ requestId }` object; `fn` returns a constant; the',
    'raw `get` baseline is `als.getStore()` then a property read.',
    '',
    headline,
    '',
    '### Where the time goes (diagnostics, bench-local code)',
    '',
    'Alternatives written out in bench/context/micro/cases.js and bench/context/micro/emitter-binders.js, measured in the',
    'same rounds as the rows above. `bind-emitter` is the per-request work the framework adapters do',
    'besides `run()`: two emitters bound, and one listener added and emitted, which is what Node (and',
    '@hono/node-server) add to req/res after the middleware in these four frameworks (counted on Node 20).',
    '',
    diagnostics,
  ].join('\n');
}

function httpSection(http, settings) {
  const verdicts = httpVerdicts(http);
  const rows = http.flatMap((framework, index) => {
    const raw = framework.variants.find((v) => v.kind === 'raw');
    const verdict = verdicts[index];
    const rawWorks = raw.problems.length === 0 && raw.best !== undefined;
    return framework.variants.map((variant) => {
      const works = variant.problems.length === 0 && variant.best !== undefined;
      const result =
        variant.kind === 'ours' ? (verdict.pass ? PASS : `${MISS}: ${verdict.detail}`) : works ? '' : `❌ broken: ${variant.problems[0]}`;
      return [
        framework.label,
        framework.node ?? '',
        variant.kind === 'ours' ? `**${variant.label}**` : variant.label,
        works && rawWorks ? `**${ratio(variant.ratio)}**` : '—',
        works && rawWorks ? ratio(variant.cpuRatio) : '—',
        variant.best === undefined ? '—' : rps(variant.best),
        works ? variant.cpuPerRequest.toFixed(1) : '—',
        variant.rounds.map((value, i) => `${rps(value)} (${variant.cpuRounds[i].toFixed(0)})`).join(' / '),
        variant.kind === 'ours' ? `>= ${httpTargets.minRatioVsRaw}x raw, ahead of every peer` : '',
        result,
      ];
    });
  });
  const loads = table(
    ['framework', 'Node', 'load average (1 min) before each round'],
    http.map((framework) => [framework.label, framework.node ?? '', framework.loads.map((load) => load.toFixed(1)).join(' / ')]),
  );
  return [
    '## 2. HTTP throughput',
    '',
    'Each server variant runs alone in a child process on 127.0.0.1, on the Node named in its row;',
    'autocannon runs in the parent (the Node that runs the bench), so client and server do not share',
    `an event loop. ${settings.connections} connections; each server gets ${settings.jitWarmup} s of load once to warm the JIT, then`,
    `${settings.rounds} rounds of ${settings.warmup} s warm-up + ${settings.duration} s measured, the variant order reversed every round`,
    '(A B C, C B A: each variant is measured next to raw, and neither always first). Every request',
    'carries `x-request-id`; the handler awaits a macrotask (`timers/promises` `setImmediate`, standing',
    'in for I/O), then reads the id from the context and returns `{"requestId": ...}`. Before',
    'measuring, each variant must echo 8 concurrent distinct ids; during the runs autocannon checks',
    'every response body (`expectBody`), and any error, non-2xx or wrong body marks the variant broken.',
    '',
    'The machine is shared (see the load averages below): the speed of one server swings by 2x for',
    'seconds at a time. So the ratios are taken **within each round**, against the raw baseline',
    'measured seconds before or after, and **vs raw** is the median of those per-round ratios (the',
    'verdicts use it). **CPU vs raw** is the same for server CPU time per request (user + system time',
    "of the server process over the measured window / requests completed; raw's over the variant's,",
    'so below 1 means more CPU per request): it does not depend on how much of a core the server got.',
    'The best round of each variant is shown beside them, and every round as req/s (CPU µs/request).',
    '',
    table(
      [
        'framework',
        'Node',
        'variant',
        'vs raw (req/s, median of rounds)',
        'CPU vs raw (median of rounds)',
        'req/s (best)',
        'server CPU µs/request (best)',
        'rounds: req/s (CPU µs/request)',
        'target',
        'result',
      ],
      rows,
    ),
    '',
    loads,
  ].join('\n');
}

function sizeSection(sizes) {
  return [
    '## 3. Bundle size',
    '',
    'Each entry of `packages/context/dist` bundled alone with esbuild (`platform: node`, so `node:`',
    'builtins stay external; ESM; minified), then gzipped at level 9. No targets.',
    '',
    table(
      ['entry', 'minified (bytes)', 'minified + gzip (bytes)'],
      sizes.map((row) => [row.label, row.minified.toLocaleString('en-US'), row.gzipped.toLocaleString('en-US')]),
    ),
  ].join('\n');
}

function commandsSection(commands) {
  return [
    '## Commands',
    '',
    'Everything above came from one run of:',
    '',
    codeBlock(['node bench/context/run.js   # after tsc -b; `pnpm bench` runs it with the other wings']),
    '',
    'which ran these child processes (micro: each once per round; all from the repo root):',
    '',
    '<details><summary>micro-benchmark children</summary>',
    '',
    codeBlock(commands.micro),
    '',
    '</details>',
    '',
    '<details><summary>HTTP servers, load and size commands</summary>',
    '',
    codeBlock(commands.servers),
    '',
    'Load, from the parent through the autocannon API, per server and round:',
    '',
    codeBlock([`autocannon(${JSON.stringify({ url: 'http://127.0.0.1:<port>/', ...commands.loadOptions })})`, commands.loadCli]),
    '',
    'Size (the API call in bench/context/size/index.js; GNU gzip may differ from zlib by a few bytes):',
    '',
    codeBlock(commands.size),
    '',
    '</details>',
  ].join('\n');
}

export function renderReport(data) {
  const verdicts = [...microVerdicts(data.micro), ...httpVerdicts(data.http)];
  return [
    '# @unthread/context benchmarks',
    '',
    environmentSection({
      command: 'node bench/context/run.js',
      startedAt: data.startedAt,
      wallMs: data.wallSeconds * 1000,
      sectionMs: Object.fromEntries(Object.entries(data.sectionSeconds).map(([name, s]) => [name, s * 1000])),
      machine: data.machine,
      load: data.load,
      nodes: data.nodes,
      builds: [{ dir: 'packages/context/dist', ...data.build }],
      versions: data.versions,
    }),
    '',
    '## Summary',
    '',
    summarySection(verdicts),
    '',
    microSection(data.micro, data.microRounds),
    '',
    httpSection(data.http, data.httpSettings),
    '',
    sizeSection(data.sizes),
    '',
    commandsSection(data.commands),
    '',
  ].join('\n');
}
