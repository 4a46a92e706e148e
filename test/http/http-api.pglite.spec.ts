import { startTestServer } from '../support/test-server.js';
import { httpApiSuite } from './http-api.suite.js';

// DATABASE_URL unset: the default, embedded PostgreSQL under the test's own DATA_DIR.
httpApiSuite('PGlite store, in-process rate limiter', (env) => startTestServer({ DATABASE_URL: '', ...env }));
