import express, { type Request } from 'express';
import express4 from 'express4';
import { adapterOptions, closeServer, describeAdapter, type AdapterHarness, type AppSetup } from '../test/adapter-suite.js';
import { requestContext } from './express.js';

function expressHarness(name: string, createApp: typeof express): AdapterHarness {
  return {
    name,
    async start(setup: AppSetup) {
      const { context, log } = setup;
      const app = createApp();
      app.use(requestContext(context, adapterOptions(setup, (req: Request, name) => req.get(name))));
      app.get('/store', (_req, res) => {
        setup.inHandler?.();
        log.info('store');
        res.json(context.all());
      });
      app.get('/raw', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('raw');
      });
      app.get('/fail', () => {
        throw new Error('fail');
      });
      app.post('/probe', (req, res, next) => {
        // Express 4 does not handle a rejected promise from a handler.
        setup.probe(req, res).then((report) => res.json(report), next);
      });
      app.post('/self', (req, res) => setup.respondItself(req, res));
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
      return { port: address.port, server, close: () => closeServer(server) };
    },
  };
}

describeAdapter(expressHarness('Express 4', express4));
describeAdapter(expressHarness('Express 5', express));
