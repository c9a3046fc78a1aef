// no-threaded-context: the store follows the code started inside run() through promises, timers,
// process.nextTick, queueMicrotask, fs, dns, crypto and zlib, so a value passed along only to reach a
// callee does not need a parameter. It does not follow into a worker thread.
/* global queueMicrotask */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns';
import { readFile } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { gzip } from 'node:zlib';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();
const requestId = () => als.getStore()?.requestId ?? null;

/** Each API's callback, asked which request it runs for. */
function seenThroughApis() {
  const through = (schedule) => new Promise((resolve) => schedule(() => resolve(requestId())));
  return {
    promise: through((done) => Promise.resolve().then(done)),
    setTimeout: through((done) => setTimeout(done, 1)),
    setImmediate: through((done) => setImmediate(done)),
    setInterval: through((done) => {
      const timer = setInterval(() => {
        clearInterval(timer);
        done();
      }, 1);
    }),
    nextTick: through((done) => process.nextTick(done)),
    queueMicrotask: through((done) => queueMicrotask(done)),
    timersPromises: delay(1).then(requestId),
    fs: through((done) => readFile(new URL(import.meta.url), done)),
    dns: through((done) => lookup('localhost', done)),
    crypto: through((done) => randomBytes(8, done)),
    zlib: through((done) => gzip('x', done)),
  };
}

async function settle(pending) {
  const entries = await Promise.all(Object.entries(pending).map(async ([api, seen]) => [api, await seen]));
  return Object.fromEntries(entries);
}

// Flagged: a parameter that only carries the request id on to the callee.
function loadOrder(orderId, requestId) { // flagged: no-threaded-context
  return settle(seenThroughApis(orderId, requestId));
}

function inWorker() {
  const worker = new Worker('const { parentPort } = require("node:worker_threads"); const { AsyncLocalStorage } = require("node:async_hooks"); parentPort.postMessage(new AsyncLocalStorage().getStore() ?? null);', { eval: true });
  return new Promise((resolve) => worker.once('message', resolve));
}

report(
  await als.run({ requestId: 'r1' }, async () => ({
    apis: await loadOrder('o1', 'r1'),
    worker: await inWorker(),
  })),
);
