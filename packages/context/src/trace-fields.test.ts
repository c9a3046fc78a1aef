import { context as otelContext, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestContext } from './adapters/express.js';
import { createContext } from './context.js';
import { fields } from './fields.js';
import { closeServer } from './test/adapter-suite.js';
import { KeepAliveClient } from './test/load-client.js';
import { LogCapture } from './test/log-capture.js';
import { traceFields } from './trace-fields.js';

const request = createContext<{ requestId: string }>({ name: 'request' });

describe('OpenTelemetry trace fields', () => {
  it('are absent while OpenTelemetry is not set up', () => {
    expect(traceFields()).toBeUndefined();
    expect(request.run({ requestId: 'r' }, () => fields(request))).toEqual({ requestId: 'r' });
  });

  describe('with the SDK registered', () => {
    let tracer: Tracer;

    beforeAll(() => {
      otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      trace.setGlobalTracerProvider(new BasicTracerProvider());
      tracer = trace.getTracer('unthread-test');
    });

    afterAll(() => {
      trace.disable();
      otelContext.disable();
    });

    it('name the active span, and only while one is', () => {
      expect(traceFields()).toBeUndefined();
      tracer.startActiveSpan('outer', (span) => {
        const { traceId, spanId } = span.spanContext();
        expect(request.run({ requestId: 'r' }, () => fields(request))).toEqual({
          trace_id: traceId,
          span_id: spanId,
          requestId: 'r',
        });
        tracer.startActiveSpan('inner', (inner) => {
          expect(traceFields()).toEqual({ trace_id: traceId, span_id: inner.spanContext().spanId });
          inner.end();
        });
        span.end();
      });
      expect(traceFields()).toBeUndefined();
    });

    it("a context key of the same name wins over the span's", () => {
      const traced = createContext<{ trace_id: string }>({ name: 'traced' });
      tracer.startActiveSpan('span', (span) => {
        expect(traced.run({ trace_id: 'mine' }, () => fields(traced))).toEqual({
          trace_id: 'mine',
          span_id: span.spanContext().spanId,
        });
        span.end();
      });
    });

    describe("on a real server, OpenTelemetry's context and the request's coexist", () => {
      let server: Server | undefined;
      let client: KeepAliveClient | undefined;

      afterEach(async () => {
        client?.close();
        if (server) await closeServer(server);
        server = client = undefined;
      });

      it('every log line of 300 interleaved keep-alive requests names its own request and span', async () => {
        const capture = new LogCapture();
        const log = capture.logger(request);
        const app = express();
        // What HTTP instrumentation does: a span per request, active for the rest of it.
        app.use((_req, res, next) =>
          tracer.startActiveSpan('request', (span) => {
            res.on('finish', () => span.end());
            next();
          }),
        );
        app.use(requestContext(request, { echoHeader: true }));
        app.get('/', async (_req, res) => {
          await sleep(Math.floor(Math.random() * 3));
          log.info('handled');
          res.json(trace.getActiveSpan()?.spanContext() ?? null);
        });
        server = app.listen(0, '127.0.0.1');
        await new Promise<void>((resolve) => server!.once('listening', resolve));
        client = new KeepAliveClient((server.address() as AddressInfo).port, 10);

        const ids = Array.from({ length: 300 }, (_, i) => `traced-${i}`);
        const results = await client.sendAll(ids.map((id) => ({ path: '/', headers: { 'x-request-id': id } })));
        // What the handler saw through OpenTelemetry's own API, per request id.
        const spanOf = new Map(
          results.map((result) => [
            result.headers['x-request-id'],
            JSON.parse(result.body) as { traceId: string; spanId: string },
          ]),
        );
        expect([...spanOf.keys()].sort()).toEqual([...ids].sort());
        expect(new Set([...spanOf.values()].map((span) => span.traceId)).size).toBe(ids.length);

        const lines = capture.withMessage('handled');
        expect(lines).toHaveLength(ids.length);
        const wrong = lines.filter((line) => {
          const span = spanOf.get(line.requestId as string);
          return span === undefined || line.trace_id !== span.traceId || line.span_id !== span.spanId;
        });
        expect(wrong).toEqual([]);
      });
    });
  });
});
