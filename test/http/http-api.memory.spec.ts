import { startTestServer } from '../support/test-server.js';
import { httpApiSuite } from './http-api.suite.js';

httpApiSuite('in-memory store, in-process rate limiter', (env) => startTestServer({ DATABASE_URL: 'memory', ...env }));
